"""Reading plans and tasks, always through the user's scope."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from oversight.organisations.models import Unit

from .lights import AssignmentState, Light, overdue_workdays, states
from .models import (
    Assignment,
    Extension,
    Milestone,
    Plan,
    Report,
    Task,
    TaskDeadline,
    TaskUnit,
)


def plan_list(*, user, standing: bool = True) -> QuerySet[Plan]:
    """The plans the user may read, newest first, with their table tasks counted (`task_count`)
    and, with `standing`, the standing ones among them (`standing_count`).

    Each count is a subquery of the plan's own tasks, not a join grouped by plan: PostgreSQL
    works out a subquery for the rows a page shows (after its LIMIT), where the grouped join
    counted every task of every plan to show five (8 ms of the home page at ten plans of 2,000
    tasks; 2 ms this way)."""
    plans = Plan.objects.restrict(user, "view").annotate(task_count=_task_count())
    if standing:
        plans = plans.annotate(standing_count=_task_count(is_standing=True))
    return plans.order_by("-created_at", "-pk")


def _task_count(**conditions) -> Coalesce:
    tasks = Task.objects.filter(plan=OuterRef("pk"), kind=Task.Kind.TABLE, **conditions)
    # COUNT(*): the unique index (plan, kind, number) answers it without reading the tasks.
    counted = tasks.order_by().values("plan").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)


def task_list(
    *,
    user,
    plan: Plan | None = None,
    milestones: bool = True,
    deadlines: bool = True,
    units: bool = True,
) -> QuerySet[Task]:
    """The tasks the user may see, with their units, deadlines and milestones (each unless
    told not to: a page that shows them as text reads `task_unit_names` and `task_deadlines`)."""
    qs = Task.objects.restrict(user, "view").select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    # Each task's rows in their own columns' order: the models' default orders begin with the
    # task's own (its plan's date, kind, number), which joined every task of every plan to sort a
    # page's fifty (15 ms at 100,000 assignments), where only the order within a task matters.
    return qs.prefetch_related(
        *(
            [
                Prefetch(
                    "units",
                    queryset=TaskUnit.objects.select_related("unit", "group").order_by(
                        "task_id", "order", "pk"
                    ),
                )
            ]
            if units
            else []
        ),
        *(
            [Prefetch("deadlines", TaskDeadline.objects.order_by("task_id", "standing", "date"))]
            if deadlines
            else []
        ),
        *(
            [Prefetch("milestones", Milestone.objects.order_by("task_id", "order", "pk"))]
            if milestones
            else []
        ),
    ).order_by("kind", "order")


class TaskUnitName(NamedTuple):
    name: str  # the unit's short name, or the group's name
    is_lead: bool
    is_group: bool


def task_unit_names(task_ids: list[int]) -> dict[int, list[TaskUnitName]]:
    """Each task's units in their order, by name: what a list of tasks prints, read as plain
    rows (a page of fifty tasks made two hundred and fifty unit rows as objects, each with its
    unit or group)."""
    rows = (
        TaskUnit.objects.filter(task_id__in=task_ids)
        .order_by("task_id", "order", "pk")
        .values_list("task_id", "unit_id", "unit__short_name", "group__name", "is_lead")
    )
    names: dict[int, list[TaskUnitName]] = defaultdict(list)
    for task_id, unit_id, unit, group, is_lead in rows:
        # A task unit names a unit or a group, never both (a check constraint).
        is_group = unit_id is None
        names[task_id].append(TaskUnitName(group if is_group else unit, is_lead, is_group))
    return names


def task_deadlines(task_ids: list[int]) -> dict[int, list[tuple[bool, datetime.date | None, str]]]:
    """Each task's deadlines in their order as (standing, date, text), read as plain rows."""
    rows = (
        TaskDeadline.objects.filter(task_id__in=task_ids)
        .order_by("task_id", "standing", "date")
        .values_list("task_id", "standing", "date", "text")
    )
    deadlines: dict[int, list[tuple[bool, datetime.date | None, str]]] = defaultdict(list)
    for task_id, *deadline in rows:
        deadlines[task_id].append(tuple(deadline))
    return deadlines


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


def _chunks(ids: list[int], size: int | None = None):
    """Slices of ids for `IN (…)`: short enough for SQLite's parameter limit, long on PostgreSQL."""
    from django.db import connection

    size = size or (900 if connection.vendor == "sqlite" else 10_000)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _with_shared_parents(assignments: list[Assignment], qs: QuerySet) -> list[Assignment]:
    """Give the assignments their task, plan and unit, each loaded once and shared (a plan's ten
    thousand assignments have a few hundred tasks and units, not ten thousand of each)."""
    tasks = Task.objects.filter(pk__in=qs.values("task_id")).select_related("plan").in_bulk()
    plans: dict[int, Plan] = {}
    for task in tasks.values():  # one instance per plan, too
        task.plan = plans.setdefault(task.plan_id, task.plan)
    units = Unit.objects.filter(pk__in=qs.values("unit_id")).in_bulk()
    for a in assignments:
        # Into the relation cache directly (what assigning `a.task` ends in, without the checks
        # of a changed relation: the ids are the ones just read).
        a._state.fields_cache["task"] = tasks[a.task_id]
        a._state.fields_cache["unit"] = units[a.unit_id]
    return assignments


class _Event(NamedTuple):
    pk: int
    action: str
    time: datetime.datetime
    report_id: int | None


class _Extension(NamedTuple):
    status: str
    decided_at: datetime.datetime | None
    requested_date: datetime.date


class _Revision(NamedTuple):
    submitted_at: datetime.datetime
    self_status: str | None

    @property
    def content(self) -> dict:
        return {"self_status": self.self_status}


def with_history(qs) -> list[Assignment]:
    """Assignments with what `lights.snapshot(at=…)` needs to rebuild a past state: milestones,
    events, extensions, reports and their revisions.

    Loaded in a handful of queries and attached as plain lists; the timeline rows (events,
    extensions, revisions: most of the rows) as tuples of the fields the replay reads, not model
    instances: a bulletin over ten thousand assignments would spend most of its time building
    objects otherwise.
    """
    from .models import AssignmentEvent, Extension, Milestone, ReportRevision

    # Every related load is one query with the assignments' own query as its subquery: no list
    # of ten thousand ids is sent (or built into parameters) several times.
    assignments = list(qs)
    qs = qs.order_by()
    _with_shared_parents(assignments, qs)
    mine = qs.values("pk")
    events, extensions, reports, revisions, milestones = (
        defaultdict(_Rows),
        defaultdict(_Rows),
        defaultdict(_Rows),
        defaultdict(_Rows),
        defaultdict(_Rows),
    )
    for m in Milestone.objects.filter(task_id__in=qs.values("task_id")).order_by("order"):
        milestones[m.task_id].append(m)
    # Ordered by their own columns: the models' default orders join the assignment, task, plan
    # and unit to sort tens of thousands of rows (events: the replay sorts them itself).
    for assignment_id, *row in (
        AssignmentEvent.objects.filter(assignment_id__in=mine)
        .order_by()
        .values_list("assignment_id", "id", "action", "time", "report_id")
    ):
        events[assignment_id].append(_Event(*row))
    for assignment_id, *row in (
        Extension.objects.filter(assignment_id__in=mine)
        .order_by("assignment_id", "-requested_at")
        .values_list("assignment_id", "status", "decided_at", "requested_date")
    ):
        extensions[assignment_id].append(_Extension(*row))
    for r in Report.objects.filter(assignment_id__in=mine).order_by("due_date", "id"):
        reports[r.assignment_id].append(r)
    for report_id, *row in (
        ReportRevision.objects.filter(report__assignment_id__in=mine)
        .order_by("report_id", "version")
        .values_list("report_id", "submitted_at", "content__self_status")
    ):
        revisions[report_id].append(_Revision(*row))
    for a in assignments:
        a._prefetched_objects_cache = {
            "events": events[a.pk],
            "extensions": extensions[a.pk],
            "reports": reports[a.pk],
        }
        a.task._prefetched_objects_cache = {"milestones": milestones[a.task_id]}
        for r in reports[a.pk]:
            r._prefetched_objects_cache = {"revisions": revisions[r.pk]}
    return assignments


def with_light_data(qs) -> list[Assignment]:
    """Assignments with what `lights.decide` reads (task, plan, milestones, reports), loaded flat
    in three queries and attached as plain lists, as `with_history` does."""
    from .models import Milestone

    assignments = list(qs.select_related("task__plan", "unit"))
    reports, milestones = defaultdict(_Rows), defaultdict(_Rows)
    ids = [a.pk for a in assignments]
    for chunk in _chunks(sorted({a.task_id for a in assignments})):
        for m in Milestone.objects.filter(task_id__in=chunk).order_by("order", "pk"):
            milestones[m.task_id].append(m)
    for chunk in _chunks(ids):
        for r in Report.objects.filter(assignment_id__in=chunk).order_by("due_date", "id"):
            reports[r.assignment_id].append(r)
    for a in assignments:
        cache = getattr(a, "_prefetched_objects_cache", {})
        cache["reports"] = reports[a.pk]
        a._prefetched_objects_cache = cache
        task_cache = getattr(a.task, "_prefetched_objects_cache", {})
        task_cache["milestones"] = milestones[a.task_id]
        a.task._prefetched_objects_cache = task_cache
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
        qs = qs.filter(plan=plan)
    if task is not None:
        qs = qs.filter(task=task)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if not include_closed:
        qs = qs.exclude(status=Assignment.Status.COMPLETED)
    return states(_with_related(qs), today or timezone.localdate())


# -- stored lights: what lists, counts and dashboards read -------------------------------------

#: A page decides at most this many stale lights itself before showing them; beyond that (a rule
#: changed a moment ago) the background job and the scheduler are already on it.
FRESH_LIMIT = 2000


def fresh_lights(qs: QuerySet[Assignment], today: datetime.date) -> None:
    """Decide the lights among `qs` that the date has made stale, so what is shown is today's."""
    from .services.lights import lights_refresh, stale_q

    # Unordered: the list's order would join tasks, plans and units for nothing.
    stale = qs.filter(stale_q(today)).order_by().values_list("pk", flat=True)
    ids = list(stale[: FRESH_LIMIT + 1])
    if ids and len(ids) <= FRESH_LIMIT:
        lights_refresh(ids=ids, today=today)


def assignment_rows(
    *,
    user,
    today: datetime.date,
    plan: Plan | None = None,
    task: Task | None = None,
    unit_ids=None,
    light: Light | None = None,
    status: str | None = None,
    fresh: bool = True,
    action: str = "view",
) -> QuerySet[Assignment]:
    """Assignments the user may see with today's stored lights, worst first, then by next date.

    Every filter is SQL; the caller pages or aggregates. `fresh=False` when the caller already
    brought a wider set of the same rows up to date (the ledger's unfiltered base).
    `action="change"`: only the rows the user acts on — a unit's own, without the other units'
    rows of the tasks it leads. A unit's own lists ask for that: the same rows as "view" narrowed
    to its units, with a plain unit condition instead of the view scope's union (which PostgreSQL
    worked out again in each of a workspace's statements, 8 ms each at 100,000)."""
    qs = Assignment.objects.restrict(user, action).exclude(status=Assignment.Status.HANDED_BACK)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if task is not None:
        qs = qs.filter(task=task)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if fresh:
        fresh_lights(qs, today)
    if light is not None:
        qs = qs.filter(light=int(light))
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("task__plan", "unit").order_by(
        "-light", F("next_due_on").asc(nulls_last=True), "pk"
    )


def light_counts(qs: QuerySet[Assignment], **extra) -> dict[str, int]:
    """{"red": n, "yellow": n, "green": n} over the stored lights, and any `extra` counts
    (name=Count(…)) in the same aggregation.

    Counted over `light` (never null), not the id, and `extra` counts should name `light` or
    `status` too: then PostgreSQL reads only the (light, status) index, not the table."""
    return qs.order_by().aggregate(
        **{light.code: Count("light", filter=Q(light=light)) for light in Light}, **extra
    )


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


OVERDUE_SHOWN = 50


class BoardItem(NamedTuple):
    """An item of the dashboard's lists, read as plain values: an assignment overdue or with a
    request pending (`pk` its id), or a report waiting for review (`pk` the report's)."""

    pk: int
    unit: str
    number: str
    text: str  # the task's title, or the kind of report
    due: datetime.date | None = None  # the obligation overdue, or the report's due date
    label: str = ""  # of the obligation overdue
    late_days: int = 0  # working days overdue
    submitted_at: datetime.datetime | None = None
    status: str = ""  # the assignment's


@dataclass
class Dashboard:
    lights: dict[str, int]
    units: list[UnitFigures] = field(default_factory=list)
    overdue: list[BoardItem] = field(default_factory=list)
    overdue_total: int = 0
    waiting_reports: list[BoardItem] = field(default_factory=list)
    waiting_reports_total: int = 0
    pending_requests: list[BoardItem] = field(default_factory=list)
    pending_requests_total: int = 0

    @property
    def waiting_count(self) -> int:
        return self.waiting_reports_total + self.pending_requests_total


def dashboard(*, user, plan, today=None) -> Dashboard:
    """Every figure of the supervisor's dashboard, aggregated in SQL over the stored lights the
    lists show; the lists of overdue and waiting items are the first OVERDUE_SHOWN, with totals.
    A task's light is read with the task (`task_worst_light`)."""
    today = today or timezone.localdate()
    qs = assignment_rows(user=user, plan=plan, today=today)
    plain = qs.order_by()
    board = Dashboard(lights={})
    completed = Q(status=Assignment.Status.COMPLETED)
    pending = Q(status__in=[Assignment.Status.HAND_BACK, Assignment.Status.COMPLETION]) | Q(
        pk__in=Extension.objects.filter(status=Extension.Status.PENDING).values("assignment")
    )
    rows = list(
        plain.values("unit", "unit__name", "unit__short_name", "unit__sort_order").annotate(
            total=Count("pk"),
            # The plan's dated tasks as a subquery: joining the task table for its flag read
            # every task of every plan (two thirds of this statement at ten plans).
            dated=Count(
                "pk",
                filter=Q(task__in=Task.objects.filter(plan=plan, is_standing=False).values("pk")),
            ),
            completed=Count("pk", filter=completed),
            completed_on_time=Count(
                "pk",
                filter=completed & (Q(due_date=None) | Q(completed_at__date__lte=F("due_date"))),
            ),
            red=Count("pk", filter=Q(light=Light.RED)),
            yellow=Count("pk", filter=Q(light=Light.YELLOW)),
            green=Count("pk", filter=Q(light=Light.GREEN)),
            due_obligations=Sum("obligations_due"),
            met_on_time=Sum("obligations_on_time"),
            pending=Count("pk", filter=pending),
        )
    )
    pending_total = sum(row.pop("pending") for row in rows)
    board.units = sorted(
        (
            UnitFigures(
                unit=Unit(
                    pk=row.pop("unit"),
                    name=row.pop("unit__name"),
                    short_name=row.pop("unit__short_name"),
                    sort_order=row.pop("unit__sort_order"),
                ),
                **row,
            )
            for row in rows
        ),
        key=lambda f: (-f.red, -f.yellow, f.unit.sort_order),
    )
    board.lights = {light.code: sum(getattr(f, light.code) for f in board.units) for light in Light}
    # The lists read only the columns they show, as plain rows: fifty assignments made as
    # objects with their tasks, plans and units cost more than the statement that reads them.
    red = qs.filter(light=Light.RED).order_by(F("next_due_on").asc(nulls_last=True), "pk")
    board.overdue = overdue_items(red, today) if board.lights["red"] else []
    board.overdue_total = board.lights["red"]
    waiting = (
        Report.objects.restrict(user, "view")
        .filter(status=Report.Status.SUBMITTED, assignment__plan=plan)
        .exclude(assignment__status=Assignment.Status.HANDED_BACK)
        .order_by("submitted_at", "pk")
    )
    board.waiting_reports, board.waiting_reports_total = _waiting_items(waiting)
    board.pending_requests = _pending_items(qs.filter(pending)) if pending_total else []
    board.pending_requests_total = pending_total
    return board


def overdue_items(
    qs: QuerySet[Assignment], today: datetime.date, limit: int = OVERDUE_SHOWN
) -> list[BoardItem]:
    """The first `limit` of these assignments as plain rows: unit, task, the obligation overdue,
    its date and the working days since."""
    rows = qs.values_list(
        "pk", "unit__short_name", "task__number", "task__title", "next_due_on", "next_due_label"
    )[:limit]
    return [
        BoardItem(pk, unit, number, title, due, label, overdue_workdays(due, today))
        for pk, unit, number, title, due, label in rows
    ]


def _waiting_items(qs: QuerySet[Report]) -> tuple[list[BoardItem], int]:
    """The first reports waiting for review, and how many wait in all: the total rides on every
    row (a window count), so no second statement counts them."""
    rows = list(
        qs.annotate(total=Window(Count("pk"))).values_list(
            "pk",
            "assignment__unit__short_name",
            "assignment__task__number",
            "kind",
            "due_date",
            "submitted_at",
            "total",
        )[:OVERDUE_SHOWN]
    )
    kinds = dict(Report.Kind.choices)
    items = [
        BoardItem(pk, unit, number, kinds.get(kind, kind), due, submitted_at=submitted_at)
        for pk, unit, number, kind, due, submitted_at, _ in rows
    ]
    return items, rows[0][-1] if rows else 0


def _pending_items(qs: QuerySet[Assignment]) -> list[BoardItem]:
    rows = qs.values_list("pk", "unit__short_name", "task__number", "task__title", "status")[
        :OVERDUE_SHOWN
    ]
    return [
        BoardItem(pk, unit, number, title, status=status)
        for pk, unit, number, title, status in rows
    ]


def task_worst_light(*, user, plan) -> Subquery:
    """A task's light for the plan page (the worst stored light among its assignments that the
    user may see, handed-back ones aside), as a subquery to annotate the page's tasks with."""
    rows = (
        Assignment.objects.restrict(user, "view")
        .exclude(status=Assignment.Status.HANDED_BACK)
        .filter(plan=plan, task=OuterRef("pk"))
    )
    return Subquery(rows.order_by().values("task").annotate(worst=Max("light")).values("worst"))
