"""restrict(user, action): fail closed, scope by unit and role, 404 outside the scope."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from oversight.core.querysets import unit_scope_q
from oversight.organisations.models import Unit, UnitAlias


@pytest.mark.django_db
class TestRestrict:
    def test_anonymous_sees_nothing(self, actors):
        assert Unit.objects.restrict(AnonymousUser(), "view").count() == 0

    def test_unknown_action_fails_closed(self, actors):
        assert Unit.objects.restrict(actors.supervisor, "approve").count() == 0

    def test_inactive_user_sees_nothing(self, actors):
        actors.supervisor.is_active = False
        assert Unit.objects.restrict(actors.supervisor, "view").count() == 0

    def test_model_without_policy_fails_closed(self, actors):
        UnitAlias.objects.create(unit=actors.unit_a, name="市场局")
        assert UnitAlias.objects.restrict(actors.sysadmin, "view").count() == 0

    def test_reporter_sees_own_unit_and_its_children_only(self, actors):
        child = Unit.objects.create(
            parent=actors.unit_a, kind="department", name="测试市场监管所", short_name="监管所"
        )
        visible = set(Unit.objects.restrict(actors.reporter_a, "view"))
        assert visible == {actors.unit_a, child}

    def test_supervisor_and_leader_see_the_district(self, actors):
        assert Unit.objects.restrict(actors.supervisor, "view").count() == Unit.objects.count()
        assert Unit.objects.restrict(actors.leader, "view").count() == Unit.objects.count()

    def test_leader_is_read_only(self, actors):
        assert Unit.objects.restrict(actors.leader, "change").count() == 0

    def test_further_units_widen_the_scope(self, actors):
        actors.reporter_a.units.add(actors.unit_b)
        reporter = type(actors.reporter_a).objects.get(pk=actors.reporter_a.pk)
        assert actors.unit_b in Unit.objects.restrict(reporter, "view")


@pytest.mark.django_db
class TestUnitScopeQ:
    """The shared policy of unit-owned business records."""

    def test_supervisor_gets_everything(self, actors):
        assert unit_scope_q(actors.supervisor, "change") == Q()

    def test_reporter_gets_own_units(self, actors):
        assert unit_scope_q(actors.reporter_a, "view") == Q(
            unit__in=actors.reporter_a.scope_unit_ids
        )

    def test_leader_cannot_change(self, actors):
        assert unit_scope_q(actors.leader, "view") == Q()
        assert unit_scope_q(actors.leader, "change") is None

    @pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
    def test_separated_admins_see_no_business_data(self, actors, role):
        assert unit_scope_q(getattr(actors, role), "view") is None


@pytest.mark.django_db
def test_count_rows_counts_each_scoped_queryset_in_one_statement(actors):
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from oversight.accounts.models import User
    from oversight.core.querysets import count_rows

    sets = {
        "units": Unit.objects.filter(is_active=True),
        "scoped": Unit.objects.restrict(actors.reporter_a, "view"),
        "nothing": Unit.objects.restrict(AnonymousUser(), "view"),
        "grouped": User.objects.values("primary_unit").annotate(n=Count("pk")).filter(n__gte=2),
    }
    expected = {name: qs.count() for name, qs in sets.items()}
    with CaptureQueriesContext(connection) as captured:
        found = count_rows(**sets)
    assert len(captured) == 1
    assert found == expected
    assert expected["scoped"] < expected["units"] and expected["nothing"] == 0
