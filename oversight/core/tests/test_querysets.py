"""Reading rows without Django's per-row iterator gives the same values as the queryset."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper

from oversight.core.models import CalendarDay
from oversight.core.querysets import InRows, JoinedText, Statement, plain_rows, split_joined
from oversight.organisations.models import Unit

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = pytest.mark.django_db


def test_plain_rows_are_the_querysets_rows():
    CalendarDay.objects.create(date=datetime.date(2031, 10, 8), is_workday=False, name="国庆节")
    rows = CalendarDay.objects.filter(date__year=2031).values_list(
        "pk", "date", "is_workday", "name"
    )
    assert plain_rows(rows) == list(rows)
    ((_, day, workday, name),) = plain_rows(rows)
    assert (day, workday, name) == (
        datetime.date(2031, 10, 8),
        False,
        "国庆节",
    )  # not SQLite's text


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite's dates and booleans need converting")
def test_plain_rows_skip_the_iterator_where_nothing_needs_converting():
    CalendarDay.objects.create(date=datetime.date(2031, 10, 8), is_workday=False, name="国庆节")
    rows = CalendarDay.objects.filter(date__year=2031).values_list("date", "is_workday", "name")
    with mock.patch.object(QuerySet, "_fetch_all", side_effect=AssertionError("iterated")):
        assert plain_rows(rows) == [(datetime.date(2031, 10, 8), False, "国庆节")]


def test_plain_rows_read_whole_instances_through_the_queryset(actors):
    units = plain_rows(Unit.objects.order_by("pk"))
    assert units and all(isinstance(u, Unit) for u in units)


def test_plain_rows_of_an_empty_choice_are_empty():
    assert plain_rows(Unit.objects.filter(pk__in=[]).values_list("pk")) == []


# Statements compiled once: the same rows as the queryset for every key, on both databases.

UNIT_ROWS = Statement(
    lambda parent: Unit.objects.filter(parent_id=parent).order_by("pk").values_list("pk", "name")
)
UNITS = Statement(lambda parent: Unit.objects.filter(parent_id=parent).order_by("pk"))
DAYS = Statement(lambda low, high: CalendarDay.objects.filter(pk__gte=low, pk__lte=high).values_list("date", "name"))  # fmt: skip


def _parents():
    """Two parents with children: the fixture's district and one of its units."""
    district = Unit.objects.filter(parent=None).order_by("pk").first()
    below = Unit.objects.filter(parent=district).order_by("pk").first()
    for n in (1, 2):
        Unit.objects.create(
            parent=below, kind=below.kind, name=f"{below.name}第{n}科", short_name=f"测试科{n}"
        )
    return [district.pk, below.pk]


def test_a_statement_gives_the_querysets_rows_for_each_key(actors):
    for parent in _parents():
        expected = list(
            Unit.objects.filter(parent_id=parent).order_by("pk").values_list("pk", "name")
        )
        assert expected and UNIT_ROWS(parent) == [tuple(row) for row in expected]
    assert UNIT_ROWS(0) == []


def test_a_statement_of_instances_gives_saved_instances_with_every_field(actors):
    for parent in _parents():
        expected = list(Unit.objects.filter(parent_id=parent).order_by("pk"))
        found = UNITS(parent)
        assert [u.pk for u in found] == [u.pk for u in expected]
        for mine, theirs in zip(found, expected, strict=True):
            assert isinstance(mine, Unit) and not mine._state.adding and mine._state.db == "default"
            for field in Unit._meta.concrete_fields:
                assert getattr(mine, field.attname) == getattr(theirs, field.attname), field.name
            assert mine.parent.pk == parent  # relations still load


def test_a_statement_with_two_keys_puts_each_in_its_place():
    for day in (8, 9, 10):
        CalendarDay.objects.create(
            date=datetime.date(2031, 10, day), is_workday=False, name=f"假{day}"
        )
    pks = list(
        CalendarDay.objects.filter(date__year=2031).order_by("pk").values_list("pk", flat=True)
    )
    assert [name for _, name in DAYS(pks[1], pks[2])] == ["假9", "假10"]
    assert [day for day, _ in DAYS(pks[0], pks[0])] == [
        datetime.date(2031, 10, 8)
    ]  # a date, not text
    assert DAYS(pks[2], pks[0]) == []


@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite's columns need converting: the ORM runs each time"
)
def test_a_statement_is_built_and_compiled_once(actors):
    built = []
    rows = Statement(
        lambda parent: (
            built.append(parent) or Unit.objects.filter(parent_id=parent).values_list("pk")
        )
    )
    for parent in _parents():
        assert sorted(rows(parent)) == sorted(
            Unit.objects.filter(parent_id=parent).values_list("pk")
        )
    assert len(built) == 1 and built[0] < 0  # built once, with a stand-in for the key


def test_a_statement_whose_sql_depends_on_its_key_runs_through_the_orm(actors):
    # A stand-in that cannot be a parameter (nothing matches: Django writes no statement).
    built = []
    nothing = Statement(
        lambda parent: built.append(parent) or Unit.objects.none().values_list("pk")
    )
    assert nothing(1) == [] and nothing(2) == []
    assert built[1:] == [1, 2]  # built again for each key, never compiled with the stand-in


def test_a_statement_takes_integer_keys_and_as_many_as_it_names():
    with pytest.raises(TypeError):
        UNIT_ROWS("1 OR 1=1")
    with pytest.raises(TypeError, match="需要 1 个键"):
        UNIT_ROWS(1, 2)


def test_in_rows_finds_what_in_a_subquery_finds_under_an_or(actors):
    """`InRows` is `IN (subquery)`: alone, beside other conditions and under an OR (on
    PostgreSQL `= ANY(ARRAY(…))`, its subquery unordered: run once, its ids looked up)."""
    parents = Unit.objects.filter(pk__in=[actors.unit_a.pk, actors.unit_b.pk]).values("parent_id")
    for condition, expected in [
        (InRows("pk", parents), Q(pk__in=parents)),
        (
            Q(InRows("pk", parents)) | Q(pk=actors.unit_b.pk),
            Q(pk__in=parents) | Q(pk=actors.unit_b.pk),
        ),
        (Q(InRows("parent", Unit.objects.filter(pk=-1).values("pk"))), Q(pk__in=[])),
    ]:
        found = set(Unit.objects.filter(condition).values_list("pk", flat=True))
        assert found == set(Unit.objects.filter(expected).values_list("pk", flat=True))
    ordered = Unit.objects.order_by("name").values("parent_id")
    assert set(Unit.objects.filter(InRows("pk", ordered))) == set(
        Unit.objects.filter(pk__in=parents)
    )
    sql = str(Unit.objects.filter(Q(InRows("pk", ordered)) | Q(pk=0)).order_by().query)
    assert "ORDER BY" not in sql
    assert ("= ANY(ARRAY(SELECT" in sql) == ON_POSTGRES


def test_joined_text_reads_back_as_the_columns_values():
    for day, name in [
        (8, "\u56fd\u5e86\u8282"),
        (9, "\u4e2d\u79cb\u8282"),
        (10, "\u56fd\u5e86\u8282"),
    ]:
        CalendarDay.objects.create(date=datetime.date(2031, 10, day), is_workday=False, name=name)
    joined = CalendarDay.objects.filter(date__year=2031).aggregate(names=JoinedText("name"))
    assert sorted(joined["names"].split(",")) == [
        "\u4e2d\u79cb\u8282",
        "\u56fd\u5e86\u8282",
        "\u56fd\u5e86\u8282",
    ]
    assert split_joined(joined["names"]) == {"\u56fd\u5e86\u8282", "\u4e2d\u79cb\u8282"}
    nothing = CalendarDay.objects.filter(date__year=2032).aggregate(names=JoinedText("name"))
    assert nothing["names"] is None and split_joined(nothing["names"]) == frozenset()


def test_a_statement_and_plain_rows_give_annotations_where_values_list_names_them(actors):
    built = []

    def build(parent):
        built.append(parent)
        return (
            Unit.objects.filter(parent_id=parent)
            .annotate(label=Upper("short_name"))
            .values_list("label", "pk", "name")  # the annotation first, selected last
        )

    rows, parents = Statement(build), _parents()
    for parent in parents:
        got = sorted(rows(parent))
        expected = sorted(build(parent))
        assert expected and all(isinstance(pk, int) for _, pk, _ in expected)
        assert got == expected
        assert sorted(plain_rows(build(parent))) == expected
    assert built[0] < 0 and len(built) == 1 + 2 * len(parents)  # compiled once
