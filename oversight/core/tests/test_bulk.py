"""Writing many rows at once, and tidying a table after every row was rewritten."""

import pytest
from django.conf import settings
from django.db import connection

from oversight.core.bulk import tidy_after_rewrite, update_rows
from oversight.organisations.models import Unit

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.mark.django_db
def test_update_rows_writes_only_the_given_fields(actors):
    a, b = actors.unit_a, actors.unit_b
    a.sort_order, b.sort_order, a.name = 71, 72, "不应写入的名称"
    update_rows(Unit, [a, b], ["sort_order"])
    rows = dict(Unit.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "sort_order"))
    assert rows == {a.pk: 71, b.pk: 72}
    assert Unit.objects.get(pk=a.pk).name != "不应写入的名称"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])  # one row and many take different paths on SQLite
def test_update_rows_takes_plain_rows_as_well_as_instances(actors, count):
    from types import SimpleNamespace

    units = [actors.unit_a, actors.unit_b, actors.bureau][:count]
    rows = [SimpleNamespace(pk=u.pk, sort_order=80 + i) for i, u in enumerate(units)]
    update_rows(Unit, rows, ["sort_order"])
    stored = dict(Unit.objects.filter(pk__in=[u.pk for u in units]).values_list("pk", "sort_order"))
    assert stored == {u.pk: 80 + i for i, u in enumerate(units)}


@pytest.mark.django_db
def test_tidying_inside_a_transaction_only_analyses(actors):
    assert tidy_after_rewrite(Unit) == ("ANALYZE" if ON_POSTGRES else "无需整理")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="VACUUM: PostgreSQL, as production runs")
def test_tidying_after_a_rewrite_vacuums_the_table(actors):
    Unit.objects.update(sort_order=5)  # every row rewritten: one dead version each

    def last_vacuum():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT last_vacuum, n_dead_tup FROM pg_stat_user_tables WHERE relname = %s",
                [Unit._meta.db_table],
            )
            return cursor.fetchone()

    before, _ = last_vacuum()
    assert tidy_after_rewrite(Unit) == "VACUUM (ANALYZE)"
    after, dead = last_vacuum()
    assert after is not None and after != before
    assert dead == 0
