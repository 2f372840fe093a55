"""Obligations and traffic lights (红黄绿灯): the one place that decides a light.

An assignment owes a series of obligations: sign for it; a report for each period of a standing
task, for each dated milestone, and the completion of a dated task by its deadline. `obligations()`
lists them with their state; `assignment_light()` turns them into a light. Lists, dashboards,
exports, the ledger command and notifications all call these two functions, so they never disagree.

- red: an obligation is past its date and not met (a report accepted, the task completed, signed);
- yellow: an obligation is due within N working days (rule, default 3), or met only pending review
  after its date, or the unit's latest report says 存在风险 / 进度滞后;
- green: otherwise; and a completed assignment.
"""

from __future__ import annotations

import calendar as _cal
import datetime
from dataclasses import dataclass
from enum import IntEnum

from oversight.core.calendar import add_workdays, local_date, workdays_between
from oversight.core.rules import rule_value

from .models import Assignment, Cadence, Report


def related(obj, name: str):
    """`obj.<name>.all()`, straight from the prefetched rows when there are some: building a
    related manager costs more than the replay itself over a bulletin's thousands of rows."""
    cache = getattr(obj, "_prefetched_objects_cache", None)
    if cache is not None and name in cache:
        return cache[name]
    return getattr(obj, name).all()


class Light(IntEnum):
    GREEN = 0
    YELLOW = 1
    RED = 2

    # Looked up by the member itself (an int): an enum's `.value` is a descriptor call, and a
    # bulletin asks for these tens of thousands of times.
    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def css(self) -> str:
        return _CSS[self]

    @property
    def code(self) -> str:
        return _CODES[self]


_LABELS = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}
_CSS = {Light.GREEN: "success", Light.YELLOW: "warning", Light.RED: "danger"}
_CODES = {Light.GREEN: "green", Light.YELLOW: "yellow", Light.RED: "red"}


@dataclass
class Obligation:
    kind: str  # "sign", "periodic", "milestone", "final"
    due: datetime.date
    label: str
    met: bool = False
    pending: bool = False  # done by the unit, waiting for the supervisor
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    milestone_id: int | None = None
    report: Report | None = None


_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.HALF_YEARLY: 6, Cadence.YEARLY: 12}


def _period_of(day: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    start_month = ((day.month - 1) // months) * months + 1
    start = datetime.date(day.year, start_month, 1)
    end_month = start_month + months - 1
    next_first = datetime.date(day.year + (end_month // 12), end_month % 12 + 1, 1)
    return start, next_first - datetime.timedelta(days=1)


def periods(
    cadence: str, first_day: datetime.date, until: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Reporting periods from the one holding `first_day` to the one holding `until`."""
    months = _MONTHS[Cadence(cadence)]
    result = []
    start, end = _period_of(first_day, months)
    start = max(start, first_day)
    while start <= until:
        result.append((start, end))
        start = end + datetime.timedelta(days=1)
        _, end = _period_of(start, months)
    return result


def _period_label(start: datetime.date, end: datetime.date, cadence: str) -> str:
    if cadence == Cadence.QUARTERLY:
        return f"{end.year}年第{(end.month - 1) // 3 + 1}季度报告"
    if cadence == Cadence.MONTHLY:
        return f"{end.year}年{end.month}月报告"
    if cadence == Cadence.HALF_YEARLY:
        return f"{end.year}年{'上' if end.month <= 6 else '下'}半年报告"
    return f"{end.year}年度报告"


def _milestone_dates(milestone, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    if milestone.recurrence == "yearly" and milestone.month_day:
        month_text, _, day_text = milestone.month_day.partition("-")
        dates = []
        for year in range(first.year, last.year + 1):
            month = int(month_text)
            day = _cal.monthrange(year, month)[1] if day_text == "月末" else int(day_text)
            occurrence = datetime.date(year, month, min(day, _cal.monthrange(year, month)[1]))
            if first <= occurrence <= last:
                dates.append(occurrence)
        return dates
    return [milestone.date] if milestone.date and milestone.date >= first else []


@dataclass
class Snapshot:
    """What an assignment's record said at one moment: now, or as of a past date.

    Current state comes from the assignment's fields; a past state is rebuilt from its timeline
    (AssignmentEvent), approved extensions and report revisions up to that moment, so a bulletin
    for a past period gives the same figures however much has happened since.
    """

    status: str
    signed: bool
    due_date: datetime.date | None
    reports: dict[tuple[str, datetime.date], tuple[str, datetime.datetime | None, Report]]
    self_status: str | None
    completed_at: datetime.datetime | None = None
    signed_at: datetime.datetime | None = None


_EVENT_REPORT_STATUS = {
    "report_submit": Report.Status.SUBMITTED,
    "report_approve": Report.Status.SUBMITTED,
    "report_reject": Report.Status.RETURNED,
    "report_accept": Report.Status.ACCEPTED,
    "report_return": Report.Status.RETURNED,
}
_EVENT_STATUS = {
    "sign": Assignment.Status.SIGNED,
    "hand_back_request": Assignment.Status.HAND_BACK,
    "hand_back_approve": Assignment.Status.HANDED_BACK,
    "completion_request": Assignment.Status.COMPLETION,
    "completion_confirm": Assignment.Status.COMPLETED,
}


def snapshot(assignment: Assignment, at: datetime.datetime | None = None) -> Snapshot:
    """The assignment as it stood at `at` (None: now). Past states need the prefetches of
    `selectors.with_history` (events, extensions, report revisions)."""
    if at is None:
        reports = {
            (r.kind, r.due_date): (r.status, r.submitted_at, r)
            for r in related(assignment, "reports")
        }
        latest = max(
            (r for r in related(assignment, "reports") if r.status != Report.Status.DRAFT),
            key=lambda r: r.submitted_at or r.created_at,
            default=None,
        )
        return Snapshot(
            status=assignment.status,
            signed=assignment.signed_at is not None,
            due_date=assignment.due_date,
            reports=reports,
            self_status=latest.self_status if latest else None,
            completed_at=assignment.completed_at,
            signed_at=assignment.signed_at,
        )
    status = Assignment.Status.ISSUED
    signed = False
    signed_at = None
    report_status: dict[int, str] = {}
    first_submit: dict[int, datetime.datetime] = {}
    completed_at = None
    for event in sorted(related(assignment, "events"), key=lambda e: (e.time, e.pk)):
        if event.time > at:
            break
        action = event.action
        if action in _EVENT_STATUS:
            status = _EVENT_STATUS[action]
            if action == "sign" and not signed:
                signed, signed_at = True, event.time
            if action == "completion_confirm":
                completed_at = event.time
        elif action in {"hand_back_refuse", "completion_refuse"}:
            status = Assignment.Status.SIGNED if signed else Assignment.Status.ISSUED
        if event.report_id and action in _EVENT_REPORT_STATUS:
            report_status[event.report_id] = _EVENT_REPORT_STATUS[action]
            if action == "report_submit":
                first_submit.setdefault(event.report_id, event.time)
    due = assignment.task.due_date
    approved = [
        e
        for e in related(assignment, "extensions")
        if e.status == "approved" and e.decided_at and e.decided_at <= at
    ]
    if approved:
        due = max(approved, key=lambda e: e.decided_at).requested_date
    reports = {}
    latest_self, latest_time = None, None
    for report in related(assignment, "reports"):
        if report.pk in report_status:
            reports[(report.kind, report.due_date)] = (
                report_status[report.pk],
                first_submit.get(report.pk),
                report,
            )
        for revision in related(report, "revisions"):
            if revision.submitted_at <= at and (
                latest_time is None or revision.submitted_at > latest_time
            ):
                latest_self, latest_time = (
                    revision.content.get("self_status"),
                    revision.submitted_at,
                )
    return Snapshot(status, signed, due, reports, latest_self, completed_at, signed_at)


def obligations(
    assignment: Assignment, today: datetime.date, snap: Snapshot | None = None
) -> list[Obligation]:
    """What the assignment owes, oldest first, as `snap` (default: now) records it."""
    snap = snap or snapshot(assignment)
    task = assignment.task
    issued = local_date(assignment.issued_at)
    result = [
        Obligation(
            "sign",
            assignment.sign_due,
            "签收",
            met=snap.signed or snap.status == Assignment.Status.COMPLETED,
        )
    ]

    def with_report(ob: Obligation) -> Obligation:
        found = snap.reports.get((ob.kind, ob.due))
        if found is not None:
            status, _, ob.report = found
            ob.met = status == Report.Status.ACCEPTED
            ob.pending = status in {Report.Status.SUBMITTED, Report.Status.PENDING_APPROVAL}
        return ob

    horizon = today + datetime.timedelta(days=400)
    if task.is_standing:
        cadence = task.report_cadence or task.plan.report_cadence
        report_days = rule_value("workplans.report_workdays")
        for start, end in periods(cadence, issued, min(today, horizon)):
            due = add_workdays(end, report_days)
            label = _period_label(start, end, cadence)
            result.append(
                with_report(Obligation("periodic", due, label, period_start=start, period_end=end))
            )
    last = snap.due_date or task.due_date or horizon
    for milestone in related(task, "milestones"):
        for day in _milestone_dates(milestone, issued, min(last, horizon)):
            if snap.due_date and day >= snap.due_date and not milestone.recurrence:
                continue  # the final deadline covers a milestone on or after it
            label = f"时间节点:{milestone.text[:30]}"
            result.append(
                with_report(Obligation("milestone", day, label, milestone_id=milestone.pk))
            )
    if not task.is_standing and snap.due_date:
        final = Obligation("final", snap.due_date, "完成办结")
        final.met = snap.status == Assignment.Status.COMPLETED
        final.pending = snap.status == Assignment.Status.COMPLETION
        found = snap.reports.get(("final", snap.due_date))
        final.report = found[2] if found else None
        result.append(final)
    result.sort(key=lambda ob: (ob.due, ob.kind))
    return result


def assignment_light(
    assignment: Assignment,
    today: datetime.date,
    obs: list[Obligation] | None = None,
    snap: Snapshot | None = None,
) -> Light:
    snap = snap or snapshot(assignment)
    if snap.status == Assignment.Status.COMPLETED:
        return Light.GREEN
    obs = obligations(assignment, today, snap) if obs is None else obs
    near = rule_value("workplans.yellow_workdays")
    # The sign-for limit is itself as short as the warning window: it warns only on its last day
    # (a rule), so a freshly issued plan is green.
    sign_near = rule_value("workplans.sign_yellow_workdays")
    light = Light.GREEN
    for ob in obs:
        if ob.met:
            continue
        if ob.due < today:
            if not ob.pending:
                return Light.RED
            light = Light.YELLOW
        elif ob.pending:
            continue
        elif workdays_between(today, ob.due) <= (sign_near if ob.kind == "sign" else near):
            light = Light.YELLOW
    if snap.self_status in {Report.SelfStatus.AT_RISK, Report.SelfStatus.BEHIND}:
        light = max(light, Light.YELLOW)
    return light


def next_due(obs: list[Obligation]) -> Obligation | None:
    """The first obligation not yet met nor waiting for review."""
    return next((ob for ob in obs if not ob.met and not ob.pending), None)


@dataclass
class AssignmentState:
    assignment: Assignment
    light: Light
    obligations: list[Obligation]
    next: Obligation | None
    snapshot: Snapshot | None = None

    @property
    def overdue_workdays(self) -> int:
        return overdue_workdays(self.next.due if self.next else None, self._today)

    _today: datetime.date = datetime.date.min


def states(
    assignments, today: datetime.date, at: datetime.datetime | None = None
) -> list[AssignmentState]:
    """Light and obligations of each assignment, now or as of `at` (then `today` is its date)."""
    result = []
    for assignment in assignments:
        snap = snapshot(assignment, at)
        obs = obligations(assignment, today, snap)
        state = AssignmentState(
            assignment, assignment_light(assignment, today, obs, snap), obs, next_due(obs), snap
        )
        state._today = today
        result.append(state)
    return result


def task_light(lights) -> Light:
    """A task's light is the worst of its active assignments' lights."""
    return max(lights, default=Light.GREEN)


def met_on_time(ob: Obligation) -> bool:
    """An obligation met by its date: a report accepted that was sent by then, or completion."""
    if ob.kind == "final":
        return ob.met
    if ob.report is None or ob.report.submitted_at is None:
        return False
    return ob.met and local_date(ob.report.submitted_at) <= ob.due


def _window_opens(due: datetime.date, window: int, today: datetime.date) -> datetime.date:
    """The first day after `today` within `window` working days of `due` (due itself at most)."""
    low, high = today + datetime.timedelta(days=1), due
    while low < high:  # workdays_between(day, due) only falls as the day moves on
        middle = low + (high - low) // 2
        if workdays_between(middle, due) <= window:
            high = middle
        else:
            low = middle + datetime.timedelta(days=1)
    return low


#: However far the next change seems, the light is decided again at least this often.
LONGEST_WAIT = datetime.timedelta(days=92)


def next_change(
    assignment: Assignment, obs: list[Obligation], today: datetime.date, snap: Snapshot
) -> datetime.date | None:
    """The first day after `today` on which the passing of time alone can change the light, the
    next obligation or the count of obligations due: an obligation's date passes, its warning
    window opens, or a new reporting period begins. None for a closed assignment (only an event
    reopens it, and every event decides the light again)."""
    if snap.status in {Assignment.Status.COMPLETED, Assignment.Status.HANDED_BACK}:
        return None
    near = rule_value("workplans.yellow_workdays")
    sign_near = rule_value("workplans.sign_yellow_workdays")
    days = [today + LONGEST_WAIT]
    for ob in obs:
        if ob.due < today:
            continue
        days.append(ob.due + datetime.timedelta(days=1))
        window = sign_near if ob.kind == "sign" else near
        if not ob.met and not ob.pending and workdays_between(today, ob.due) > window:
            days.append(_window_opens(ob.due, window, today))
    task = assignment.task
    if task.is_standing:
        cadence = task.report_cadence or task.plan.report_cadence
        _, period_end = _period_of(today, _MONTHS[Cadence(cadence)])
        days.append(period_end + datetime.timedelta(days=1))
    return min(day for day in days if day > today)


@dataclass(frozen=True)
class Decision:
    """What is stored on the assignment (the columns `lights.STORED`)."""

    light: int
    light_on: datetime.date
    light_next_on: datetime.date | None
    next_due_on: datetime.date | None
    next_due_label: str
    obligations_due: int
    obligations_on_time: int

    def differs_from(self, assignment: Assignment) -> bool:
        return any(getattr(assignment, name) != getattr(self, name) for name in STORED)


STORED = (
    "light",
    "light_on",
    "light_next_on",
    "next_due_on",
    "next_due_label",
    "obligations_due",
    "obligations_on_time",
)


def decide(assignment: Assignment, today: datetime.date) -> Decision:
    """Everything stored about the assignment's light as of `today`, from its current record
    (needs task, plan, milestones and reports loaded, as `selectors.with_light_data` does)."""
    snap = snapshot(assignment)
    obs = obligations(assignment, today, snap)
    light = assignment_light(assignment, today, obs, snap)
    upcoming = next_due(obs)
    due = [ob for ob in obs if ob.kind != "sign" and ob.due < today]
    return Decision(
        light=int(light),
        light_on=today,
        light_next_on=next_change(assignment, obs, today, snap),
        next_due_on=upcoming.due if upcoming else None,
        next_due_label=upcoming.label[:60] if upcoming else "",
        obligations_due=len(due),
        obligations_on_time=sum(1 for ob in due if met_on_time(ob)),
    )


@dataclass(frozen=True)
class Due:
    label: str
    due: datetime.date


class StoredState:
    """An assignment's stored light read like an `AssignmentState`, for lists and dashboards."""

    __slots__ = ("_today", "assignment")

    def __init__(self, assignment: Assignment, today: datetime.date):
        self.assignment = assignment
        self._today = today

    @property
    def light(self) -> Light:
        return Light(self.assignment.light)

    @property
    def next(self) -> Due | None:
        a = self.assignment
        return Due(a.next_due_label, a.next_due_on) if a.next_due_on else None

    @property
    def overdue_workdays(self) -> int:
        return overdue_workdays(self.assignment.next_due_on, self._today)


def overdue_workdays(due: datetime.date | None, today: datetime.date) -> int:
    """Working days an obligation due on `due` is overdue `today` (0 when not due, or no date)."""
    return max(0, workdays_between(due, today)) if due else 0
