"""Who is told what about the work-plan loop, driven by NotificationRule rows.

Status changes (a report returned, a task issued, …) look up the active rules of their event; dated
reminders are evaluated by the scheduler (`run_reminders`). Each notice carries a key, so it goes
out once per person however often the rules are evaluated.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from oversight.core.calendar import is_workday, workdays_between
from oversight.core.notifications import Message, notify
from oversight.core.roles import Role
from oversight.organisations.services import notify_robots

from .models import Assignment, AssignmentEvent, NotificationRule, Report

# (name, trigger, workdays, repeat, event, recipients, channels, urgent, action)
DEFAULT_RULES = [
    (
        "截止前 3 个工作日提醒",
        "before",
        3,
        None,
        "",
        ["reporter"],
        ["in_app", "email"],
        False,
        "remind",
    ),
    (
        "截止当日提醒",
        "on_due",
        0,
        None,
        "",
        ["reporter", "unit_head"],
        ["in_app", "email", "webhook"],
        True,
        "remind",
    ),
    (
        "逾期后每 2 个工作日催办",
        "after",
        1,
        2,
        "",
        ["reporter", "unit_head"],
        ["in_app", "email", "webhook"],
        True,
        "remind",
    ),
    (
        "逾期 5 个工作日建议发督办函",
        "after",
        5,
        None,
        "",
        ["supervisor"],
        ["in_app", "email"],
        True,
        "propose_letter",
    ),
    (
        "任务下发通知",
        "event",
        0,
        None,
        "plan_issued",
        ["reporter", "unit_head"],
        ["in_app", "email", "webhook"],
        True,
        "remind",
    ),
    (
        "报告待单位审核",
        "event",
        0,
        None,
        "report_pending_approval",
        ["unit_head"],
        ["in_app"],
        False,
        "remind",
    ),
    (
        "报告待监督机构审核",
        "event",
        0,
        None,
        "report_submit",
        ["supervisor"],
        ["in_app"],
        False,
        "remind",
    ),
    ("报告通过", "event", 0, None, "report_accept", ["reporter"], ["in_app"], False, "remind"),
    (
        "报告退回修改",
        "event",
        0,
        None,
        "report_return",
        ["reporter", "unit_head"],
        ["in_app", "email"],
        True,
        "remind",
    ),
    (
        "申请退回待审定",
        "event",
        0,
        None,
        "hand_back_request",
        ["supervisor"],
        ["in_app"],
        True,
        "remind",
    ),
    (
        "退回申请审定结果",
        "event",
        0,
        None,
        "hand_back_decided",
        ["reporter", "unit_head"],
        ["in_app"],
        False,
        "remind",
    ),
    (
        "延期申请待审批",
        "event",
        0,
        None,
        "extension_request",
        ["supervisor"],
        ["in_app"],
        True,
        "remind",
    ),
    (
        "延期审批结果",
        "event",
        0,
        None,
        "extension_decided",
        ["reporter", "unit_head"],
        ["in_app", "email"],
        False,
        "remind",
    ),
    (
        "办结申请待确认",
        "event",
        0,
        None,
        "completion_request",
        ["supervisor"],
        ["in_app"],
        False,
        "remind",
    ),
    (
        "办结确认结果",
        "event",
        0,
        None,
        "completion_decided",
        ["reporter", "unit_head"],
        ["in_app"],
        False,
        "remind",
    ),
    (
        "建议发督办函",
        "event",
        0,
        None,
        "letter_proposed",
        ["supervisor"],
        ["in_app", "email"],
        True,
        "remind",
    ),
    (
        "督办函送达",
        "event",
        0,
        None,
        "letter_issued",
        ["reporter", "unit_head"],
        ["in_app", "email", "webhook"],
        True,
        "remind",
    ),
]


def ensure_default_rules() -> int:
    """Create the default rules if the table is empty (the supervisor edits them afterwards)."""
    if NotificationRule.objects.exists():
        return 0
    NotificationRule.objects.bulk_create(
        NotificationRule(
            name=name,
            trigger=trigger,
            workdays=workdays,
            repeat_every=repeat,
            event=event,
            recipients=recipients,
            channels=channels,
            urgent=urgent,
            action=action,
        )
        for name, trigger, workdays, repeat, event, recipients, channels, urgent, action in DEFAULT_RULES
    )
    return len(DEFAULT_RULES)


def _unit_users(unit_ids: Iterable[int], role: str):
    User = get_user_model()
    ids = list(unit_ids)
    return (
        User.objects.filter(is_active=True, role_rows__role=role)
        .filter(Q(primary_unit__in=ids) | Q(units__in=ids))
        .distinct()
    )


def recipients(roles: Iterable[str], assignment: Assignment):
    User = get_user_model()
    found = {}
    for role in roles:
        if role == "supervisor":
            users = User.objects.filter(is_active=True, role_rows__role=Role.SUPERVISOR)
        elif role in {"reporter", "unit_head"}:
            users = _unit_users([assignment.unit_id], role)
        else:
            continue
        for user in users:
            found[user.pk] = user
    return list(found.values())


def _send(
    rule: NotificationRule,
    assignment: Assignment,
    key: str,
    title: str,
    body: str,
    url: str,
    urgent=None,
) -> int:
    users = recipients(rule.recipients, assignment)
    plan_title = assignment.task.plan.title
    if plan_title not in title and plan_title not in body:
        # Task numbers repeat across plans: every message says which plan it is about.
        body = f"{body}\n所属计划:《{plan_title}》".strip()
    message = Message(
        key=key, title=title, body=body, url=url, urgent=rule.urgent if urgent is None else urgent
    )
    created = notify(users, message, email="email" in rule.channels)
    if created and "webhook" in rule.channels:
        to_bureau = "supervisor" in rule.recipients
        notify_robots([None] if to_bureau else [assignment.unit_id], title, body, url, key=key)
    return len(created)


def event(
    name: str,
    assignment: Assignment,
    title: str,
    body: str = "",
    report: Report | None = None,
    urgent=None,
) -> int:
    """Apply the active rules of a status change to one assignment."""
    url = report.get_absolute_url() if report else assignment.get_absolute_url()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    sent = 0
    for rule in NotificationRule.objects.filter(
        active=True, trigger=NotificationRule.Trigger.EVENT, event=name
    ):
        sent += _send(
            rule,
            assignment,
            f"{name}:a{assignment.pk}:r{rule.pk}:{stamp}",
            title,
            body,
            url,
            urgent,
        )
    return sent


def to_supervisors(assignment, name, title, body="", report=None, urgent=None) -> int:
    return event(name, assignment, title, body, report, urgent)


def to_unit(assignment, name, title, body="", report=None, urgent=None) -> int:
    return event(name, assignment, title, body, report, urgent)


def to_unit_heads(assignment, name, title, body="", report=None) -> int:
    return event(name, assignment, title, body, report)


def plan_issued(plan, assignments: list[Assignment]) -> int:
    """One notice per unit user listing what their unit received, not one per task."""
    by_unit: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_unit.setdefault(assignment.unit_id, []).append(assignment)
    sent = 0
    for items in by_unit.values():
        first = items[0]
        numbers = "、".join(a.task.number for a in items[:12]) + ("等" if len(items) > 12 else "")
        body = f"《{plan}》下发给贵单位 {len(items)} 项任务({numbers}),请在 {first.sign_due:%Y-%m-%d} 前签收。"
        for rule in NotificationRule.objects.filter(
            active=True, trigger=NotificationRule.Trigger.EVENT, event="plan_issued"
        ):
            key = f"plan_issued:p{plan.pk}:u{first.unit_id}:r{rule.pk}:{timezone.now():%Y%m%d%H%M%S%f}"
            sent += _send(rule, first, key, f"新任务待签收:{plan}", body, "/plans/workspace/")
    return sent


def _fires(rule: NotificationRule, delta: int, overdue: int) -> tuple[bool, bool]:
    """(does the rule fire today, is it a one-off) for an obligation `delta` working days away."""
    start = max(rule.workdays, 1)
    if rule.trigger == NotificationRule.Trigger.BEFORE:
        return 0 < delta <= rule.workdays, True
    if rule.trigger == NotificationRule.Trigger.ON_DUE:
        return delta == 0, True
    if rule.trigger == NotificationRule.Trigger.AFTER:
        if overdue < start:
            return False, True
        if rule.action == NotificationRule.Action.PROPOSE_LETTER or not rule.repeat_every:
            return True, True
        return (overdue - start) % rule.repeat_every == 0, False
    return False, True


def run_reminders(today: datetime.date, assignments=None) -> dict[str, int]:
    """Evaluate the dated rules for every active assignment; only on working days."""
    from . import services
    from .lights import obligations
    from .selectors import active_assignments

    counts = {"reminders": 0, "letters": 0}
    if not is_workday(today):
        return counts
    rules = list(
        NotificationRule.objects.filter(active=True).exclude(trigger=NotificationRule.Trigger.EVENT)
    )
    if not rules:
        return counts
    for assignment in assignments if assignments is not None else active_assignments():
        for ob in obligations(assignment, today):
            if ob.met or ob.pending:
                continue
            delta = workdays_between(today, ob.due)  # > 0 before, 0 on the day, < 0 overdue
            overdue = -delta
            for rule in rules:
                fire, once = _fires(rule, delta, overdue)
                if not fire:
                    continue
                if rule.action == NotificationRule.Action.PROPOSE_LETTER:
                    if services.letter_propose(
                        assignment=assignment, due_date=ob.due, overdue=overdue
                    ):
                        counts["letters"] += 1
                    continue
                if delta > 0:
                    title = f"{ob.label}将于 {ob.due:%m月%d日} 到期"
                elif delta == 0:
                    title = f"{ob.label}今天到期"
                else:
                    title = f"{ob.label}已逾期 {overdue} 个工作日"
                body = f"{assignment.task.number} {assignment.task.title}({assignment.unit})"
                # A one-off reminder goes out once per obligation, even if the scheduler was down
                # on its day; a repeating one once per day it falls on.
                key = f"remind:r{rule.pk}:a{assignment.pk}:{ob.kind}:{ob.due}" + (
                    "" if once else f":{today}"
                )
                sent = _send(rule, assignment, key, title, body, assignment.get_absolute_url())
                if sent:
                    counts["reminders"] += sent
                    AssignmentEvent.objects.create(
                        assignment=assignment, action=AssignmentEvent.Action.REMINDER, comment=title
                    )
    return counts
