"""The unit tree read downwards in one recursive statement: a unit and all below it, a user's
scope (primary unit, extra units and everything under them), and never a parent or sibling."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.accounts.models import User
from oversight.organisations.models import Unit, UnitKind
from oversight.organisations.selectors import unit_descendant_ids


def _unit(name: str, parent: Unit | None = None) -> Unit:
    return Unit.objects.create(name=name, short_name=name, kind=UnitKind.DEPARTMENT, parent=parent)


@pytest.fixture
def tree():
    top = _unit("区甲局")
    mid = _unit("甲局一科", top)
    leaf = _unit("甲局一科一组", mid)
    other = _unit("区乙局")
    other_child = _unit("乙局一科", other)
    lone = _unit("区丙局")
    return {"top": top, "mid": mid, "leaf": leaf, "other": other, "other_child": other_child,
            "lone": lone}  # fmt: skip


@pytest.mark.django_db
def test_descendants_reach_every_level_and_nothing_above(tree):
    ids = {name: unit.pk for name, unit in tree.items()}
    assert unit_descendant_ids([ids["top"]]) == {ids["top"], ids["mid"], ids["leaf"]}
    assert unit_descendant_ids([ids["mid"]]) == {ids["mid"], ids["leaf"]}
    assert unit_descendant_ids([ids["leaf"], ids["other"]]) == {
        ids["leaf"], ids["other"], ids["other_child"]
    }  # fmt: skip
    assert unit_descendant_ids([]) == set()


@pytest.mark.django_db
def test_a_users_scope_is_own_and_extra_units_and_below_in_one_statement(tree):
    ids = {name: unit.pk for name, unit in tree.items()}
    user = User.objects.create(username="kezhang", primary_unit=tree["mid"])
    user.units.add(tree["other"])
    user = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        scope = user.scope_unit_ids
    assert scope == {ids["mid"], ids["leaf"], ids["other"], ids["other_child"]}
    assert len(captured) == 1
    only_extra = User.objects.create(username="jianguan")
    only_extra.units.add(tree["lone"])
    assert User.objects.get(pk=only_extra.pk).scope_unit_ids == {ids["lone"]}
    assert User.objects.create(username="wudanwei").scope_unit_ids == frozenset()
