"""Issuing a plan: an assignment per unit (groups expanded), units changed on a task, supervision tasks added."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.calendar import add_workdays
from oversight.core.context import require_actor
from oversight.core.rules import rule_value
from oversight.organisations.models import Unit, UnitGroup
from oversight.organisations.selectors import group_members

from .. import notify
from ..models import (
    Assignment,
    AssignmentEvent,
    Plan,
    Report,
    Task,
    TaskDeadline,
    TaskUnit,
)
from .common import Action, _event, require_supervisor
from .lights import lights_refresh


def _expand(task: Task) -> list[tuple[Unit, bool, UnitGroup | None]]:
    """The task's units with groups expanded to their current members; the lead keeps its flag."""
    result: dict[int, tuple[Unit, bool, UnitGroup | None]] = {}
    for link in task.units.select_related("unit", "group").order_by("order"):
        if link.unit_id:
            current = result.get(link.unit_id)
            result[link.unit_id] = (link.unit, link.is_lead or bool(current and current[1]), None)
        else:
            for unit in group_members(link.group):
                if unit.pk not in result:
                    result[unit.pk] = (unit, link.is_lead, link.group)
    return list(result.values())


def _create_assignments(
    task: Task, now: datetime.datetime, sign_due: datetime.date
) -> list[Assignment]:
    existing = set(task.assignments.values_list("unit_id", flat=True))
    created = []
    for unit, is_lead, group in _expand(task):
        if unit.pk in existing:
            continue
        created.append(
            Assignment.objects.create(
                task=task,
                unit=unit,
                is_lead=is_lead,
                via_group=group,
                issued_at=now,
                sign_due=sign_due,
                due_date=task.due_date,
            )
        )
    return created


@transaction.atomic
def plan_issue(*, plan: Plan, user=None) -> int:
    """下发: one assignment per responsible unit (groups expanded); every unit is told."""
    require_actor(user)
    require_supervisor(user)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.CONFIRMED:
        raise ValidationError("该计划已经下发。")
    now = timezone.now()
    sign_due = add_workdays(timezone.localdate(now), rule_value("workplans.sign_workdays"))
    created: list[Assignment] = []
    for task in plan.tasks.all():
        created += _create_assignments(task, now, sign_due)
    if not created:
        raise ValidationError("计划中没有可下发的责任单位。")
    AssignmentEvent.objects.bulk_create(
        AssignmentEvent(assignment=a, action=Action.ISSUE, actor=user) for a in created
    )
    plan.status = Plan.Status.ISSUED
    plan.issued_at = now
    plan.issued_by = user
    plan.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    lights_refresh(ids=[a.pk for a in created])
    audit.record(action="action", obj=plan, message=f"下发计划:{len(created)} 项任务分工")
    notify.plan_issued(plan, created)
    return len(created)


@transaction.atomic
def supervision_task_add(
    *, plan: Plan, unit: Unit, title: str, text: str, due: datetime.date, user
) -> Task:
    """A supervision item (督办事项) added to a plan for one unit, e.g. a breach found in a case:
    numbered 督1, 督2 … after the notice's own tasks; assigned and notified at once when the
    plan is already issued."""
    require_supervisor(user)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    count = plan.tasks.filter(number__startswith="督").count() + 1
    task = Task.objects.create(
        plan=plan,
        number=f"督{count}",
        order=10000 + count,
        part="执法监督督办事项",
        title=title[:200],
        text=text,
        due_date=due,
    )
    TaskDeadline.objects.create(task=task, date=due)
    audit.record(
        action="create",
        obj=task,
        after={"plan": plan.pk, "number": task.number, "title": task.title, "due": due.isoformat()},
    )
    if plan.status == Plan.Status.ISSUED:
        task_set_units(task=task, links=[(unit, True)], user=user)
    else:
        task.units.create(unit=unit, name=str(unit), is_lead=True)
    return task


@transaction.atomic
def task_set_units(*, task: Task, links: list[tuple[Unit | UnitGroup, bool]], user=None) -> Task:
    """Change a task's units before or after issuing. After issuing, new units get assignments;
    a removed unit's assignment goes only if it has no reports yet."""
    require_actor(user)
    require_supervisor(user)
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if not links:
        raise ValidationError("至少保留一个责任单位。")
    before = [str(link.unit or link.group) for link in task.units.all()]
    task.units.all().delete()
    for order, (target, is_lead) in enumerate(links):
        TaskUnit.objects.create(
            task=task,
            unit=target if isinstance(target, Unit) else None,
            group=target if isinstance(target, UnitGroup) else None,
            name=str(target),
            is_lead=is_lead,
            order=order,
        )
    if task.plan.status == Plan.Status.ISSUED:
        wanted = {unit.pk: is_lead for unit, is_lead, _ in _expand(task)}
        for assignment in task.assignments.all():
            if assignment.unit_id not in wanted:
                if assignment.reports.exclude(status=Report.Status.DRAFT).exists():
                    raise ValidationError(
                        f"{assignment.unit}已报送报告,不能从该任务中移除;可由其申请退回。"
                    )
                assignment.delete()
            elif assignment.is_lead != wanted[assignment.unit_id]:
                assignment.is_lead = wanted[assignment.unit_id]
                assignment.save(update_fields=["is_lead"])
        now = timezone.now()
        sign_due = add_workdays(timezone.localdate(now), rule_value("workplans.sign_workdays"))
        created = _create_assignments(task, now, sign_due)
        for assignment in created:
            _event(assignment, Action.ISSUE, user, "调整责任单位后补充下发")
        notify.plan_issued(task.plan, created)
    after = [str(t) for t, _ in links]
    audit.record(
        action="update",
        obj=task,
        before={"units": before},
        after={"units": after},
        message="调整责任单位",
    )
    return task


@transaction.atomic
def plan_settings_update(*, plan: Plan, data: dict[str, Any], user=None) -> Plan:
    """The plan's report cadence and whether unit heads approve reports (the bureau only)."""
    require_actor(user)
    require_supervisor(user)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = audit.snapshot(plan)
    fields = ("report_cadence", "require_head_approval")
    for key in fields:
        if key in data:
            setattr(plan, key, data[key])
    others = [f.name for f in Plan._meta.fields if f.name not in fields]
    plan.full_clean(exclude=others, validate_unique=False)
    plan.save(update_fields=list(fields))
    lights_refresh(ids=Assignment.objects.filter(plan=plan).values_list("pk", flat=True))
    audit.record(action="update", obj=plan, before=before, after=audit.snapshot(plan))
    return plan
