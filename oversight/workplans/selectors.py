"""Reading plans and tasks, always through the user's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .lights import AssignmentState, Light, states, task_light
from .models import Assignment, Plan, Report, Task, TaskUnit


def plan_list(*, user) -> QuerySet[Plan]:
    return Plan.objects.restrict(user, "view").annotate(
        task_count=Count("tasks", filter=Q(tasks__kind=Task.Kind.TABLE), distinct=True),
        standing_count=Count(
            "tasks", filter=Q(tasks__kind=Task.Kind.TABLE, tasks__is_standing=True), distinct=True
        ),
    )


def task_list(*, user, plan: Plan | None = None) -> QuerySet[Task]:
    qs = Task.objects.restrict(user, "view").select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("unit", "group")),
        "deadlines",
        "milestones",
    ).order_by("kind", "order")


def tasks_by_section(tasks) -> list[tuple[str, list[tuple[str, list[Task]]]]]:
    parts: list[tuple[str, list[tuple[str, list[Task]]]]] = []
    for task in tasks:
        if not parts or parts[-1][0] != task.part:
            parts.append((task.part, []))
        sections = parts[-1][1]
        if not sections or sections[-1][0] != task.section:
            sections.append((task.section, []))
        sections[-1][1].append(task)
    return parts


# -- assignments, lights, dashboards -------------------------------------------------------------


def _with_related(qs):
    return qs.select_related("task__plan", "unit").prefetch_related(
        "task__milestones",
        "extensions",
        Prefetch("reports", queryset=Report.objects.order_by("due_date", "id")),
    )


class _Rows(list):
    """A prefetched relation: `.all()` gives the rows, as a related manager would."""

    def all(self):
        return self


def _chunks(ids: list[int], size: int = 900):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def with_history(qs) -> list[Assignment]:
    """Assignments with what `lights.snapshot(at=…)` needs to rebuild a past state: milestones,
    events, extensions, reports and their revisions.

    Loaded in a handful of queries and attached as plain lists: a bulletin over ten thousand
    assignments would spend most of its time in Django's per-object prefetch machinery otherwise.
    """
    from collections import defaultdict as _dd

    from .models import AssignmentEvent, Extension, Milestone, ReportRevision

    assignments = list(qs.select_related("task__plan", "unit"))
    ids = [a.pk for a in assignments]
    task_ids = list({a.task_id for a in assignments})
    events, extensions, reports, revisions, milestones = (
        _dd(_Rows),
        _dd(_Rows),
        _dd(_Rows),
        _dd(_Rows),
        _dd(_Rows),
    )
    for chunk in _chunks(task_ids):
        for m in Milestone.objects.filter(task_id__in=chunk).order_by("order"):
            milestones[m.task_id].append(m)
    report_ids = []
    for chunk in _chunks(ids):
        for e in AssignmentEvent.objects.filter(assignment_id__in=chunk).only(
            "id", "assignment_id", "action", "time", "report_id"
        ):
            events[e.assignment_id].append(e)
        for x in Extension.objects.filter(assignment_id__in=chunk):
            extensions[x.assignment_id].append(x)
        for r in Report.objects.filter(assignment_id__in=chunk).order_by("due_date", "id"):
            reports[r.assignment_id].append(r)
            report_ids.append(r.pk)
    for chunk in _chunks(report_ids):
        for v in ReportRevision.objects.filter(report_id__in=chunk).only(
            "id", "report_id", "submitted_at", "content"
        ):
            revisions[v.report_id].append(v)
    for a in assignments:
        a._prefetched_objects_cache = {
            "events": events[a.pk],
            "extensions": extensions[a.pk],
            "reports": reports[a.pk],
        }
        a.task._prefetched_objects_cache = {"milestones": milestones[a.task_id]}
        for r in a.reports.all():
            r._prefetched_objects_cache = {"revisions": revisions[r.pk]}
    return assignments


def active_assignments():
    """Every assignment still running, district-wide: for the scheduler only (no user)."""
    return _with_related(
        Assignment.objects.exclude(
            status__in=[Assignment.Status.HANDED_BACK, Assignment.Status.COMPLETED]
        )
    )


def assignment_states(
    *, user, plan=None, task=None, unit=None, include_closed: bool = True, today=None
) -> list[AssignmentState]:
    """Assignments the user may see, each with its light and obligations."""
    qs = Assignment.objects.restrict(user, "view").exclude(status=Assignment.Status.HANDED_BACK)
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    if task is not None:
        qs = qs.filter(task=task)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if not include_closed:
        qs = qs.exclude(status=Assignment.Status.COMPLETED)
    return states(_with_related(qs), today or timezone.localdate())


@dataclass
class UnitFigures:
    unit: object
    total: int = 0
    dated: int = 0  # assignments with a deadline; standing ones are never "completed"
    completed: int = 0
    completed_on_time: int = 0
    overdue: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    due_obligations: int = 0
    met_on_time: int = 0

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.dated, 1) if self.dated else None

    @property
    def on_time_rate(self) -> float:
        return (
            round(100 * self.met_on_time / self.due_obligations, 1)
            if self.due_obligations
            else 100.0
        )


@dataclass
class Dashboard:
    states: list[AssignmentState]
    task_lights: dict[int, Light] = field(default_factory=dict)
    units: list[UnitFigures] = field(default_factory=list)
    overdue: list[AssignmentState] = field(default_factory=list)
    waiting_reports: list = field(default_factory=list)
    pending_requests: list[AssignmentState] = field(default_factory=list)
    lights: dict[str, int] = field(default_factory=dict)

    @property
    def waiting_count(self) -> int:
        return len(self.waiting_reports) + len(self.pending_requests)


def _met_on_time(ob) -> bool:
    if ob.kind == "final":
        return ob.met
    if ob.report is None or ob.report.submitted_at is None:
        return False
    return ob.met and timezone.localdate(ob.report.submitted_at) <= ob.due


def dashboard(*, user, plan, today=None) -> Dashboard:
    """Every figure of the supervisor's dashboard, from the same states the lists use."""
    today = today or timezone.localdate()
    all_states = assignment_states(user=user, plan=plan, today=today)
    board = Dashboard(states=all_states)
    by_task: dict[int, list[Light]] = defaultdict(list)
    by_unit: dict[int, UnitFigures] = {}
    for state in all_states:
        a = state.assignment
        by_task[a.task_id].append(state.light)
        figures = by_unit.setdefault(a.unit_id, UnitFigures(a.unit))
        figures.total += 1
        figures.dated += not a.task.is_standing
        if a.status == Assignment.Status.COMPLETED:
            figures.completed += 1
            if a.due_date is None or (a.completed_at and a.completed_at.date() <= a.due_date):
                figures.completed_on_time += 1
        setattr(figures, state.light.code, getattr(figures, state.light.code) + 1)
        for ob in state.obligations:
            if ob.kind != "sign" and ob.due < today:
                figures.due_obligations += 1
                figures.met_on_time += _met_on_time(ob)
        if state.light == Light.RED:
            figures.overdue += 1
            board.overdue.append(state)
        if a.status in {Assignment.Status.HAND_BACK, Assignment.Status.COMPLETION} or any(
            e for e in a.extensions.all() if e.status == "pending"
        ):
            board.pending_requests.append(state)
        for report in a.reports.all():
            if report.status == Report.Status.SUBMITTED:
                board.waiting_reports.append((report, a))
    board.task_lights = {task_id: task_light(lights) for task_id, lights in by_task.items()}
    board.units = sorted(by_unit.values(), key=lambda f: (-f.red, -f.yellow, f.unit.sort_order))
    board.overdue.sort(key=lambda s: s.next.due if s.next else today)
    board.lights = {
        "red": sum(1 for s in all_states if s.light == Light.RED),
        "yellow": sum(1 for s in all_states if s.light == Light.YELLOW),
        "green": sum(1 for s in all_states if s.light == Light.GREEN),
    }
    return board
