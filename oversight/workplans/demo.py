"""Demo data for the work-plan loop: the seed plan issued, with a realistic picture relative to today.

Labelled demo (the plan is marked 演示数据). Units act through the same services as in real use;
timestamps are then moved back so that the plan reads as issued in mid-June of its year, a few
months before today (`demo_plan_dates`): deadlines met, met late, extended and missed; reports on
time, late and returned; standing tasks in their quarterly cycle; every light.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from oversight.core.calendar import add_workdays
from oversight.core.models import Notification
from oversight.core.rules import rule_value

from . import services
from .lights import obligations
from .models import Assignment, AssignmentEvent, Extension, Plan, Report
from .notify import ensure_default_rules, run_reminders

# The demo reads the seed notice as this year's plan and plays its first months: issued on
# 1 July when today is from September on (its first deadlines, from 15 July, come due), on
# 5 January when today is from 6 March to August (the year's deadlines still ahead, the first
# quarterly reports in), and last year's on 1 July in the first weeks of a year. Either way today
# falls two to eight months into the plan, as in a real district.
SEED_YEAR = 2024


def demo_plan_dates(today: datetime.date) -> tuple[int, datetime.date]:
    """(the plan's year, the day it was issued) for a demo loaded on `today`."""
    if today >= datetime.date(today.year, 9, 1):
        issued = datetime.date(today.year, 7, 1)
    elif today >= datetime.date(today.year, 3, 6):
        issued = datetime.date(today.year, 1, 5)
    else:
        issued = datetime.date(today.year - 1, 7, 1)
    return issued.year, issued


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _report(
    assignment: Assignment,
    ob,
    text: str,
    status: str,
    on: datetime.date,
    self_status="on_track",
    comment="",
):
    report = services.report_save(
        assignment=assignment,
        kind=ob.kind,
        due_date=ob.due,
        data={
            "done_text": text,
            "problems": "无" if self_status == "on_track" else "部分工作进度滞后,人员力量不足。",
            "next_steps": "按计划继续推进,按期报送下一期进展。",
            "self_status": self_status,
        },
        period=(ob.period_start, ob.period_end) if ob.period_start else None,
        milestone_id=ob.milestone_id,
    )
    if status == "draft":
        return report
    services.report_submit(report=report)
    if status == "accepted":
        services.report_accept(report=report, comment="符合要求。", user=_user("jiandu"))
    elif status == "returned":
        services.report_return(
            report=report,
            comment=comment or "佐证材料不全,请补充工作台账和会议记录。",
            user=_user("jiandu"),
        )
    moment = _at(on)
    Report.objects.filter(pk=report.pk).update(
        submitted_at=moment, reviewed_at=moment + datetime.timedelta(days=2)
    )
    return report


@transaction.atomic
def load_demo_loop(today: datetime.date | None = None) -> bool:
    """Issue the seed plan and play a hundred days of work; skipped when the plan is issued."""
    today = today or timezone.localdate()
    plan = Plan.objects.filter(status=Plan.Status.CONFIRMED).order_by("created_at").first()
    if plan is None or Plan.objects.filter(is_demo=True).exists():
        return False
    ensure_default_rules()
    supervisor = _user("jiandu")
    _, issued = demo_plan_dates(today)
    services.plan_issue(plan=plan, user=supervisor)
    Plan.objects.filter(pk=plan.pk).update(is_demo=True, issued_at=_at(issued))
    sign_due = add_workdays(issued, 3)
    Assignment.objects.filter(plan=plan).update(issued_at=_at(issued), sign_due=sign_due)
    AssignmentEvent.objects.filter(assignment__plan=plan).update(time=_at(issued))

    assignments = list(
        Assignment.objects.filter(plan=plan)
        .select_related("task", "unit")
        .order_by("task__kind", "task__order", "unit__sort_order")
    )
    # Two units have not signed: one long overdue, one freshly added to a task (sign due tomorrow).
    unsigned = {("10", "区公安分局"), ("13", "区审计局")}
    for a in assignments:
        if (a.task.number, str(a.unit)) in unsigned:
            continue
        services.assignment_sign(assignment=a)
    Assignment.objects.filter(plan=plan, signed_at__isnull=False).update(
        signed_at=_at(issued + datetime.timedelta(days=1 + (0 if issued.weekday() < 4 else 3)))
    )
    fresh = next(a for a in assignments if (a.task.number, str(a.unit)) == ("13", "区审计局"))
    Assignment.objects.filter(pk=fresh.pk).update(
        issued_at=_at(today), sign_due=add_workdays(today, 1)
    )

    # Dated tasks whose deadline has passed: most done on time, a few late, one on an approved
    # extension, one still open and overdue. Those due later are under way.
    dated = list(
        Assignment.objects.filter(
            plan=plan, task__is_standing=False, status=Assignment.Status.SIGNED
        )
        .select_related("task", "unit")
        .order_by("due_date", "task__order", "unit__sort_order")
    )
    past = [a for a in dated if a.due_date and a.due_date < today]
    longest = rule_value("workplans.extension_max_days")
    outcome: dict[int, str] = {}
    for index, a in enumerate(past):
        outcome[a.pk] = (
            "extended" if index % 11 == 3 else "open" if index % 11 == 7 else
            "late" if index % 7 == 5 else "on_time"
        )  # fmt: skip
    for a in past:
        kind = outcome[a.pk]
        if kind == "extended":
            new_due = add_workdays(today, 6 + a.pk % 10)
            if new_due > a.due_date + datetime.timedelta(days=longest):
                kind = "open"
            else:
                extension = services.extension_request(
                    assignment=a,
                    new_date=new_due,
                    reason="涉及多部门协调,需延期完成(演示数据)。",
                )
                services.extension_decide(
                    extension=extension, approve=True, comment="同意。", user=supervisor
                )
                asked = max(issued, a.due_date - datetime.timedelta(days=5))
                Extension.objects.filter(pk=extension.pk).update(
                    requested_at=_at(asked, 9), decided_at=_at(asked, 15)
                )
                continue
        if kind == "open":
            continue  # overdue and not done: red
        if kind == "late":
            finished = a.due_date + datetime.timedelta(days=3 + a.pk % 8)
        else:
            finished = a.due_date - datetime.timedelta(days=1 + a.pk % 9)
        finished = min(max(finished, issued + datetime.timedelta(days=5)), today)
        services.completion_request(assignment=a, note="已按要求完成,相关材料已报区司法局备案。")
        services.completion_confirm(assignment=a, approve=True, user=supervisor)
        Assignment.objects.filter(pk=a.pk).update(completed_at=_at(finished))

    # Standing tasks: the third-quarter report. Mostly accepted; one returned, one waiting, one late,
    # one missing; the fourth quarter is under way.
    special = {
        ("4", "区城管执法局"): "returned",
        ("1", "团城山街办"): "submitted",
        ("14", "区政数局"): "missing",
        ("6", "区市场监管局"): "late",
        ("3", "区市场监管局"): "risk",
    }
    for a in (
        Assignment.objects.filter(
            plan=plan, task__is_standing=True, status=Assignment.Status.SIGNED
        )
        .select_related("task__plan", "unit")
        .prefetch_related("task__milestones", "reports")
    ):
        outcome = special.get((a.task.number, str(a.unit)), "accepted")
        for ob in obligations(a, today):
            if ob.kind != "periodic" or ob.due >= today:
                continue
            if outcome == "missing":
                continue
            text = f"{a.unit}按照任务要求,本期组织开展了相关工作,建立了工作台账(演示数据)。"
            if outcome == "returned":
                _report(a, ob, text, "returned", ob.due - datetime.timedelta(days=2))
            elif outcome == "submitted":
                _report(a, ob, text, "submitted", ob.due)
            elif outcome == "late":
                _report(a, ob, text, "accepted", ob.due + datetime.timedelta(days=6))
            elif outcome == "risk":
                _report(
                    a,
                    ob,
                    text,
                    "accepted",
                    ob.due - datetime.timedelta(days=1),
                    self_status="at_risk",
                )
            else:
                _report(a, ob, text, "accepted", ob.due - datetime.timedelta(days=3))
    _backdate_timeline(plan, issued)
    # The history above was written round the services: every light is decided on what it says.
    services.lights_refresh(
        ids=Assignment.objects.filter(plan=plan).values_list("pk", flat=True), today=today
    )
    # What the hundred days produced has been dealt with; today's reminders are new.
    Notification.objects.filter(read_at__isnull=True).update(read_at=timezone.now())
    run_reminders(today)
    return True


def _backdate_timeline(plan: Plan, issued: datetime.date) -> None:
    """Give the timeline the dates the steps would have had."""
    A = AssignmentEvent.Action
    events = AssignmentEvent.objects.filter(assignment__plan=plan).select_related(
        "assignment", "report"
    )
    for event in events:
        a = event.assignment
        if event.action == A.SIGN and a.signed_at:
            moment = a.signed_at
        elif event.report_id and event.report.submitted_at:
            moment = event.report.submitted_at
            if event.action in {A.REPORT_ACCEPT, A.REPORT_RETURN}:
                moment += datetime.timedelta(days=2)
        elif event.action in {A.COMPLETION_REQUEST, A.COMPLETION_CONFIRM} and a.completed_at:
            moment = a.completed_at - datetime.timedelta(
                days=1 if event.action == A.COMPLETION_REQUEST else 0
            )
        elif event.action in {A.EXTENSION_REQUEST, A.EXTENSION_APPROVE}:
            extension = a.extensions.order_by("-pk").first()
            if extension is None:
                continue
            moment = (
                extension.decided_at
                if event.action == A.EXTENSION_APPROVE
                else extension.requested_at
            )
        else:
            continue
        AssignmentEvent.objects.filter(pk=event.pk).update(time=moment)
