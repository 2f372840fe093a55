"""Delegated items: the evaluation round from the 街办's form to the catalogue's adjustment."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.catalogue import delegations, services
from oversight.core.roles import Role
from oversight.core.testing.fixtures import make_user
from oversight.organisations.models import Unit, UnitKind

D = dt.date
ITEM = {
    "name": "对占道经营的行政处罚",
    "item_class": "penalty",
    "legal_basis": "《城市道路管理条例》第四十二条",
    "subject": "区城管执法局",
}


@pytest.fixture(autouse=True)
def pinned(db):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def delegated(actors):
    street = Unit.objects.create(
        parent=actors.root,
        kind=UnitKind.SUBDISTRICT,
        name="测试甲街道办事处",
        short_name="甲街办",
        is_enforcement=True,
    )
    for unit in (actors.unit_b, street):
        adjustment = services.adjustment_propose(
            unit=unit, kind="add", code="3302180010", data=ITEM | {"subject": unit.name}, reason="赋权",
            document="下政发〔2024〕3号", effective_on=D(2024, 7, 1), user=actors.supervisor,
        )  # fmt: skip
        services.adjustment_review(adjustment=adjustment, approve=True, user=actors.supervisor)
    item = services.catalogue_as_of(D(2025, 1, 1)).get(item__unit=actors.unit_b).item
    delegation = delegations.delegation_create(
        item=item,
        subdistrict=street,
        document="下政发〔2024〕3号",
        delegated_on=D(2024, 7, 1),
        user=actors.supervisor,
    )
    return street, delegation


def test_the_evaluation_round_from_form_to_adjustment(actors, delegated):
    street, delegation = delegated
    street_reporter = make_user("street", Role.REPORTER, street)
    review = delegations.review_start(
        title="2025年度赋权事项评估", period_from=D(2025, 1, 1), period_to=D(2025, 12, 31), due=D(2026, 3, 31), user=actors.supervisor
    )  # fmt: skip
    form = review.forms.get()
    assert (
        form.cases == 0 and "评估期间未实施" in form.flags and "持证执法人员不足两人" in form.flags
    )
    with pytest.raises(PermissionDenied):
        delegations.form_submit(form=form, data={}, user=actors.reporter_a)
    with pytest.raises(ValidationError, match="请填写"):
        delegations.form_submit(form=form, data={"need": "有"}, user=street_reporter)
    with pytest.raises(ValidationError, match="街办尚未提交"):
        delegations.form_conclude(
            form=form, conclusion="take_back", note="未实施", user=actors.supervisor
        )
    answers = {
        "need": "需求不大",
        "use": "全年未办理",
        "capacity": "仅一名持证人员",
        "safety": "无明显风险",
        "problems": "缺少专业人员",
    }
    delegations.form_submit(form=form, data=answers, user=street_reporter)
    delegations.form_department_view(
        form=form, view="建议收回,由我局统一实施", user=actors.reporter_b
    )
    delegations.form_conclude(
        form=form, conclusion="take_back", note="两年未实施,承接能力不足", user=actors.supervisor
    )
    delegation.refresh_from_db()
    review.refresh_from_db()
    assert delegation.status == "taken_back" and review.status == "concluded"
    # The 街办's catalogue no longer carries the item from tomorrow.
    assert services.catalogue_as_of(D(2026, 3, 2), [street]).exists()
    assert not services.catalogue_as_of(D(2026, 3, 3), [street]).exists()


def test_only_a_street_office_and_an_item_in_force_can_be_delegated(actors, delegated):
    street, delegation = delegated
    with pytest.raises(ValidationError, match="承接单位应为街道"):
        delegations.delegation_create(
            item=delegation.item,
            subdistrict=actors.unit_a,
            document="某文件",
            delegated_on=D(2025, 1, 1),
            user=actors.supervisor,
        )
    with pytest.raises(ValidationError, match="已赋权给该街办"):
        delegations.delegation_create(
            item=delegation.item,
            subdistrict=street,
            document="某文件",
            delegated_on=D(2025, 1, 1),
            user=actors.supervisor,
        )
    with pytest.raises(PermissionDenied):
        delegations.delegation_create(
            item=delegation.item,
            subdistrict=street,
            document="某文件",
            delegated_on=D(2025, 1, 1),
            user=actors.reporter_b,
        )
