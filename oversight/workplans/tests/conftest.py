import datetime

import pytest

from oversight.core.calendar import calendar_seed_from_package
from oversight.organisations.models import UnitGroup
from oversight.workplans.models import Milestone, Plan, Task, TaskDeadline, TaskUnit
from oversight.workplans.notify import ensure_default_rules


def make_task(plan, number, *, units, due=None, standing=False, milestones=(), order=0):
    task = Task.objects.create(
        plan=plan,
        number=number,
        order=order,
        part="一、测试",
        title=f"任务{number}",
        text=f"任务{number}的内容。",
        is_standing=standing,
        due_date=due,
    )
    TaskDeadline.objects.create(task=task, date=due, standing=standing)
    for i, (target, lead) in enumerate(units):
        TaskUnit.objects.create(
            task=task,
            unit=target if not isinstance(target, UnitGroup) else None,
            group=target if isinstance(target, UnitGroup) else None,
            name=str(target),
            is_lead=lead,
            order=i,
        )
    for i, (date, text) in enumerate(milestones):
        Milestone.objects.create(task=task, date=date, text=text, order=i)
    return task


@pytest.fixture
def calendar(db):
    calendar_seed_from_package(years=[2025, 2026])


@pytest.fixture
def plan(actors, calendar):
    """A confirmed plan: a dated task led by unit A with B cooperating, a standing task of A, and a
    task for a group holding A and B."""
    ensure_default_rules()
    plan = Plan.objects.create(title="测试计划", year=2026)
    today = datetime.date.today()
    group = UnitGroup.objects.create(name="测试执法部门", rule="enforcement")
    make_task(
        plan,
        "1",
        units=[(actors.unit_a, True), (actors.unit_b, False)],
        due=today + datetime.timedelta(days=40),
        milestones=[(today + datetime.timedelta(days=20), "于节点前报送方案")],
        order=1,
    )
    make_task(plan, "2", units=[(actors.unit_a, False)], standing=True, order=2)
    make_task(plan, "3", units=[(group, False)], due=today + datetime.timedelta(days=60), order=3)
    return plan


@pytest.fixture
def issued(plan, actors):
    from oversight.workplans.services import plan_issue

    plan_issue(plan=plan, user=actors.supervisor)
    return plan


@pytest.fixture
def assignment(issued, actors):
    """Unit A's assignment on the dated task 1 (lead)."""
    return issued.tasks.get(number="1").assignments.get(unit=actors.unit_a)
