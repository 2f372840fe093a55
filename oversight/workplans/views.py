import datetime
import json
from collections import defaultdict
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from oversight.core.documents import chinese_date
from oversight.core.excel import workbook_bytes, xlsx_response
from oversight.core.links import object_url
from oversight.core.params import MAX_ID, id_param, id_param_value
from oversight.core.replica import ReplicaReadsMixin
from oversight.core.roles import Role, has_capability
from oversight.core.templatetags.oversight import estimated, status_badge_of
from oversight.core.uploads import INLINE_TYPES, serve_file
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    KnownTotal,
    ObjectActionMixin,
    ObjectActionView,
    ObjectFormView,
    ObjectListView,
    Op,
    ScopedObjectMixin,
    errors_to_messages,
    form_errors_to_messages,
)
from oversight.organisations.models import Unit

from . import services
from .forms import (
    CompletionForm,
    DecisionForm,
    ExtensionForm,
    LeadSummaryForm,
    LetterIssueForm,
    MeasureFormSet,
    NotificationRuleForm,
    PlanSettingsForm,
    ReasonForm,
    ReportForm,
    ReviewForm,
    TaskUnitsForm,
)
from .ledger import LEDGER_HEADERS, ledger_rows
from .lights import Light, obligations, overdue_workdays, states
from .models import (
    Assignment,
    Evidence,
    Extension,
    NotificationRule,
    Plan,
    Report,
    SupervisionLetter,
    Task,
)
from .selectors import (
    assignment_rows,
    assignment_states,
    dashboard,
    light_counts,
    plan_list,
    task_deadlines,
    task_list,
    task_unit_names,
    task_worst_light,
    tasks_by_section,
    with_light_data,
)


class PlanListView(ObjectListView):
    capability = "plans.view"
    model = Plan
    title = "工作计划"
    default_sort = "-created_at"
    export_name = "工作计划"
    columns = [
        Column("计划", "title", sort="title", link=True),
        Column("年度", "year", sort="year"),
        Column("任务数", "task_count"),
        Column("长期任务", "standing_count"),
        Column("状态", "get_status_display", sort="status"),
        Column("创建时间", "created_at", sort="created_at"),
    ]

    def get_queryset(self):
        return plan_list(user=self.request.user)

    def get_actions(self):
        if has_capability(self.request.user, "notices.import"):
            return [("导入通知", reverse("notices:draft_new"), "bi-upload")]
        return []


def _chart_lights(lights: dict[str, int]) -> dict:
    return {
        "tooltip": {"trigger": "item"},
        "color": ["#dc3545", "#ffc107", "#198754"],
        "series": [
            {
                "type": "pie",
                "radius": ["45%", "70%"],
                "label": {"formatter": "{b}\n{c}"},
                "data": [
                    {"name": "红灯", "value": lights.get("red", 0)},
                    {"name": "黄灯", "value": lights.get("yellow", 0)},
                    {"name": "绿灯", "value": lights.get("green", 0)},
                ],
            }
        ],
    }


def _chart_units(units) -> dict:
    top = units[:20]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["办结率", "按时率"]},
        "grid": {"left": 110, "right": 20, "top": 30, "bottom": 20},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": [str(f.unit) for f in top][::-1]},
        "series": [
            {"name": "办结率", "type": "bar", "data": [f.completion_rate or 0 for f in top][::-1]},
            {"name": "按时率", "type": "bar", "data": [f.on_time_rate for f in top][::-1]},
        ],
    }


class TaskRow(NamedTuple):
    """A row of the plan's task table, as plain values (`{% memo %}` keeps the table under a
    digest of its rows)."""

    number: str
    url: str
    title: str
    light: Light | None
    leads: tuple[str, ...]
    others: tuple[tuple[str, bool, bool], ...]  # (name, a group of units, a 、 follows)
    deadlines: tuple[tuple[bool, datetime.date | None], ...]  # (standing, date)


def _task_row(task, lights: dict[int, Light], units, deadlines) -> TaskRow:
    last = len(units) - 1
    return TaskRow(
        task.number,
        task.get_absolute_url(),
        task.title,
        lights.get(task.pk),
        tuple(u.name for u in units if u.is_lead),
        tuple((u.name, u.is_group, i < last) for i, u in enumerate(units) if not u.is_lead),
        tuple((standing, day) for standing, day, _ in deadlines),
    )


class UnitRow(NamedTuple):
    """A unit's row of the plan's figures, with its ledger address (made once here: for a
    hundred rows, 10–20 ms of template look-ups of the plan's and unit's ids)."""

    unit: str
    href: str
    total: int
    completed: int
    completion_rate: float | None
    on_time_rate: float
    red: int
    yellow: int
    green: int


class BoardRow(NamedTuple):
    """An item of the dashboard's lists (overdue, waiting for review), as plain values."""

    url: str
    unit: str
    number: str
    text: str  # the task's title, or the kind of report
    due: datetime.date | None = None
    label: str = ""  # of the obligation overdue
    late_days: int = 0
    submitted_at: datetime.datetime | None = None
    badge: str = ""  # a request's status


def _board_rows(board) -> dict[str, list[BoardRow]]:
    def about(item, url_name: str, **more) -> BoardRow:
        return BoardRow(
            object_url(url_name, item.pk), item.unit, item.number, item.text, item.due, **more
        )

    assignment = "workplans:assignment_detail"
    return {
        "overdue": [
            about(i, assignment, label=i.label, late_days=i.late_days) for i in board.overdue
        ],
        "waiting": [
            about(i, "workplans:report_detail", submitted_at=i.submitted_at)
            for i in board.waiting_reports
        ],
        "pending": [
            about(i, assignment, badge=status_badge_of(Assignment.Status, i.status))
            for i in board.pending_requests
        ],
    }


class AssignmentRow(NamedTuple):
    """A row of the ledger and the workspace (`_assignment_rows.html`), as plain values."""

    pk: int
    light: Light
    url: str
    number: str
    title: str
    is_lead: bool
    plan: str
    unit: str
    status: str  # its badge
    next_label: str | None
    next_due: datetime.date | None
    late: bool  # the next obligation's date has passed
    late_days: int  # working days overdue
    estimated: str  # said when the date rests on a year's calendar not yet published


# What a row of the ledger and the workspace prints, read as plain values (fifty assignments
# made as objects with their tasks, plans and units cost more than the statement reading them).
ROW_COLUMNS = (
    "pk", "light", "task__number", "task__title", "is_lead", "task__plan__title",
    "unit__short_name", "status", "next_due_label", "next_due_on",
)  # fmt: skip


def _assignment_row(row: tuple, today: datetime.date) -> AssignmentRow:
    """An AssignmentRow from a row of ROW_COLUMNS, as its stored light and next obligation say."""
    pk, light, number, title, is_lead, plan, unit, status, label, due = row
    return AssignmentRow(
        pk, Light(light), object_url("workplans:assignment_detail", pk), number, title, is_lead,
        plan, unit, status_badge_of(Assignment.Status, status), label if due else None, due,
        due is not None and due < today, overdue_workdays(due, today),
        estimated(due),
    )  # fmt: skip


def _unit_row(f, href: str) -> UnitRow:
    return UnitRow(
        str(f.unit), href, f.total, f.completed, f.completion_rate, f.on_time_rate, f.red,
        f.yellow, f.green,
    )  # fmt: skip


class PlanDetailView(CapabilityRequiredMixin, ReplicaReadsMixin, ScopedObjectMixin, View):
    """The plan: its tasks by part and section; once issued, the supervisor's dashboard."""

    capability = "plans.view"
    model = Plan

    tasks_per_page = 50

    def get(self, request, pk):
        plan = self.get_object()
        issued = plan.status != Plan.Status.CONFIRMED
        # The dashboard first: it brings stale lights up to date before the tasks read them.
        board = dashboard(user=request.user, plan=plan) if issued else None
        tasks = task_list(
            user=request.user, plan=plan, milestones=False, deadlines=False, units=False
        )
        page = Paginator(tasks.filter(kind=Task.Kind.TABLE), self.tasks_per_page).get_page(
            request.GET.get("page")
        )
        # The page's table tasks and the notice's body requirements (shown with their deadlines
        # only) in one statement, each with its light; their units and deadlines in one each.
        shown = tasks.filter(Q(kind=Task.Kind.BODY) | Q(pk__in=page.object_list.values("pk")))
        if issued:
            shown = shown.annotate(worst_light=task_worst_light(user=request.user, plan=plan))
        shown = list(shown)
        table = [t for t in shown if t.kind == Task.Kind.TABLE]
        body = [t for t in shown if t.kind == Task.Kind.BODY]
        task_lights = (
            {t.pk: Light(t.worst_light) for t in shown if t.worst_light is not None}
            if board is not None
            else {}
        )
        # Their units and deadlines as the text the page prints, in one statement each.
        ids = [t.pk for t in shown]
        units, deadlines = task_unit_names(ids), task_deadlines(ids)
        context = {
            "plan": plan,
            "notice": plan.notice,
            "task_parts": [
                (
                    part,
                    [
                        (
                            section,
                            [
                                _task_row(t, task_lights, units[t.pk], deadlines[t.pk])
                                for t in tasks
                            ],
                        )
                        for section, tasks in sections
                    ],
                )
                for part, sections in tasks_by_section(table)
            ],
            "lit": board is not None,
            "table_count": page.paginator.count,
            "page": page,
            "body": [(t, deadlines[t.pk]) for t in body],
            "is_supervisor": Role.SUPERVISOR in request.user.role_codes,
            "settings_form": PlanSettingsForm(instance=plan),
        }
        if board is not None:
            ledger = reverse("workplans:assignment_list")
            context.update(
                board=board,
                task_lights=task_lights,
                board_rows=_board_rows(board),
                chart_lights=_chart_lights(board.lights),
                chart_units=_chart_units(board.units),
                unit_rows=[
                    _unit_row(f, f"{ledger}?plan={plan.pk}&unit={f.unit.pk}") for f in board.units
                ],
            )
        return render(request, "workplans/plan_detail.html", context)


class PlanIssueView(ObjectActionView):
    capability = "plans.manage"
    model = Plan
    default_op = "issue"
    ops = {
        "issue": Op(
            lambda v, plan, d: services.plan_issue(plan=plan, user=v.request.user),
            lambda count, d: f"已下发:{count} 项任务分工,已通知各责任单位签收。",
            action="change",
        )
    }


class PlanSettingsView(ObjectActionView):
    capability = "plans.manage"
    model = Plan
    default_op = "settings"
    ops = {
        "settings": Op(
            lambda v, plan, d: services.plan_settings_update(
                plan=plan, data=d, user=v.request.user
            ),
            "计划设置已保存。",
            form=PlanSettingsForm,
            action="change",
        )
    }


LIGHT_FILTERS = {"red": Light.RED, "yellow": Light.YELLOW, "green": Light.GREEN}


class AssignmentListView(CapabilityRequiredMixin, ReplicaReadsMixin, View):
    """The ledger (工作台账) of assignments, filtered by plan, task, unit, light or status; paged,
    every filter and the order in SQL over the stored lights; the export has every row."""

    capability = "plans.view"
    per_page = 50

    def get(self, request):
        plan = self._get(Plan, request.GET.get("plan"))
        task = self._get(Task, request.GET.get("task"))
        unit_id = id_param(request, "unit")
        today = timezone.localdate()
        status = request.GET.get("status")
        base = assignment_rows(user=request.user, plan=plan, task=task, today=today)
        qs = assignment_rows(
            user=request.user,
            plan=plan,
            task=task,
            today=today,
            unit_ids=None if unit_id is None else [unit_id],
            light=LIGHT_FILTERS.get(request.GET.get("light", "")),
            status=status if status in Assignment.Status.values else None,
            fresh=False,  # `base` holds these rows and brought them up to date
        )
        if request.GET.get("export") == "xlsx":
            stamp = timezone.localtime().strftime("%Y%m%d")
            name = f"工作台账-{plan.title[:20] if plan else '全部'}-{stamp}.xlsx"
            return xlsx_response(
                name, workbook_bytes([("工作台账", LEDGER_HEADERS, ledger_rows(qs, today))])
            )
        # Counted without the joins its rows read: PostgreSQL counts over an index alone.
        paginator = KnownTotal(qs.values_list(*ROW_COLUMNS), self.per_page, qs.count())
        page = paginator.get_page(request.GET.get("page"))
        # The units one may filter by: those with an assignment the user sees here. Seeing the
        # whole district: an EXISTS per unit (an index probe each), not a DISTINCT over every
        # assignment; seeing a unit's share: the distinct units of those few rows.
        if Assignment.scope_q(request.user, "view") == Q():
            units = (
                Unit.objects.filter(Exists(base.order_by().filter(unit_id=OuterRef("pk"))))
                .order_by("sort_order", "short_name")
                .values_list("pk", "short_name")
            )
        else:
            units = (
                base.order_by("unit__sort_order", "unit__short_name")
                .values_list("unit_id", "unit__short_name")
                .distinct()
            )
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "workplans/assignment_list.html",
            {
                "rows": [_assignment_row(row, today) for row in page.object_list],
                "page": page,
                "plan": plan,
                "task": task,
                "query": query.urlencode(),
                "units": list(units),
                "statuses": Assignment.Status.choices,
                "plans": Plan.objects.restrict(request.user, "view")
                .exclude(status=Plan.Status.CONFIRMED)
                .order_by("-pk")
                .values_list("pk", "title"),
            },
        )

    def _get(self, model, pk):
        if not pk:
            return None
        obj = (
            model.objects.restrict(self.request.user, "view").filter(pk=pk).first()
            if str(pk).isdigit() and int(pk) <= MAX_ID
            else None
        )
        if obj is None:
            raise Http404
        return obj


class SignRow(NamedTuple):
    """An assignment waiting to be signed for, as the workspace lists it (plain values)."""

    pk: int
    url: str
    number: str
    title: str
    plan: str
    sign_due: datetime.date | None


class WriteRow(NamedTuple):
    """A report the unit owes, as the workspace lists it (plain values)."""

    pk: int  # the assignment's
    url: str  # of its report form
    kind: str
    number: str
    label: str
    plan: str
    due: datetime.date
    late: bool
    estimated: str


SIGN_COLUMNS = ("pk", "task__number", "task__title", "task__plan__title", "sign_due")


def _sign_rows(rows) -> list[SignRow]:
    """SignRows from rows of SIGN_COLUMNS."""
    return [
        SignRow(pk, object_url("workplans:assignment_detail", pk), number, title, plan, due)
        for pk, number, title, plan, due in rows
    ]


def _write_row(state, ob, today: datetime.date) -> WriteRow:
    task = state.assignment.task
    pk = state.assignment.pk
    return WriteRow(
        pk, object_url("workplans:report_form", pk), ob.kind, task.number, ob.label, task.plan.title, ob.due,
        ob.due < today, estimated(ob.due),
    )  # fmt: skip


class ReportRow(NamedTuple):
    """A report returned for revision or waiting for the head's approval, as the workspace lists
    it (plain values)."""

    pk: int
    url: str
    number: str  # its task's
    kind: str
    due_date: datetime.date
    review_comment: str
    status: str


REPORT_COLUMNS = ("pk", "assignment__task__number", "kind", "due_date", "review_comment", "status")


def _report_rows(rows) -> list[ReportRow]:
    """ReportRows from rows of REPORT_COLUMNS."""
    kinds = dict(Report.Kind.choices)
    return [
        ReportRow(
            pk, object_url("workplans:report_detail", pk), number, kinds.get(kind, kind), *rest
        )
        for pk, number, kind, *rest in rows
    ]


class WorkspaceView(CapabilityRequiredMixin, View):
    """The unit's workspace: its assignments with lights, what to sign, reports to write or revise.
    The lists to act on show the first `shown` (by date), with the totals; the ledger has all."""

    capability = "plans.workspace"
    shown = 50
    horizon_days = 45

    def _to_write(self, qs, today) -> tuple[list, bool]:
        """The reports to write within the horizon, earliest first: the obligations of signed
        assignments due by then, from each one's own record. An assignment owes nothing before
        its stored next obligation (`next_due_on`, indexed), so the assignments are read in that
        order, twice as many as are shown (a unit with thousands of assignments reads a hundred,
        in three statements), and what they owe up to the last one's date is exactly the start
        of the whole list: whatever the others owe falls on or after that date. The flag says
        that more may wait (the note sends the user to the ledger)."""
        horizon = today + datetime.timedelta(days=self.horizon_days)
        candidates = 2 * self.shown
        signed = qs.filter(status=Assignment.Status.SIGNED, next_due_on__lte=horizon).order_by(
            "next_due_on", "pk"
        )
        read = with_light_data(Assignment.objects.filter(pk__in=signed.values("pk")[:candidates]))
        # Each assignment's place in the reading order, as stored (before `states` decides it).
        order = {a.pk: (a.next_due_on, a.pk) for a in read}
        found = [
            (s, ob)
            for s in states(read, today)
            for ob in s.obligations
            if ob.kind in {"periodic", "milestone"}
            and not ob.met
            and not ob.pending
            and ob.due <= horizon
            and (ob.report is None or ob.report.status == Report.Status.DRAFT)
        ]
        # By date, then in reading order: an obligation on the last read one's date comes before
        # any on that date of an assignment not read.
        found.sort(key=lambda pair: (pair[1].due, order[pair[0].assignment.pk]))
        if len(read) < candidates:
            return found[: self.shown], len(found) > self.shown
        last = max(order.values())[0]
        return [pair for pair in found if pair[1].due <= last][: self.shown], True

    def get(self, request):
        today = timezone.localdate()
        own = request.user.scope_unit_ids
        qs = assignment_rows(user=request.user, today=today, unit_ids=own, action="change")
        counts = light_counts(
            qs,
            total=Count("light"),
            to_sign=Count("status", filter=Q(status=Assignment.Status.ISSUED)),
        )
        # Counted above with the lights: no second COUNT.
        paginator = KnownTotal(qs.values_list(*ROW_COLUMNS), 50, counts.pop("total"))
        page = paginator.get_page(request.GET.get("page"))
        # The first to sign (by their last day); 全部签收 signs every one, shown or not.
        to_sign = _sign_rows(
            qs.filter(status=Assignment.Status.ISSUED)
            .order_by("sign_due", "pk")
            .values_list(*SIGN_COLUMNS)[: self.shown]
        )
        # Returned reports and, for a head, those awaiting approval: the first `shown` of each
        # by due date, and one more to know whether others wait, in one statement.
        statuses = [Report.Status.RETURNED]
        if Role.UNIT_HEAD in request.user.role_codes:
            statuses.append(Report.Status.PENDING_APPROVAL)
        first = _report_rows(
            Report.objects.filter(assignment__in=qs.order_by().values("pk"), status__in=statuses)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=F("status"), order_by=[F("due_date"), F("pk")]
                )
            )
            .filter(rank__lte=self.shown + 1)
            .order_by("due_date", "pk")
            .values_list(*REPORT_COLUMNS)
        )
        returned = [r for r in first if r.status == Report.Status.RETURNED]
        approvals = [r for r in first if r.status == Report.Status.PENDING_APPROVAL]
        to_write, more_to_write = self._to_write(qs, today)
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "workplans/workspace.html",
            {
                "rows": [_assignment_row(row, today) for row in page.object_list],
                "page": page,
                "query": query.urlencode(),
                "to_sign": to_sign,
                "to_sign_total": counts.pop("to_sign"),
                "more_to_write": more_to_write,
                "returned": returned[: self.shown],
                "more_returned": len(returned) > self.shown,
                "approvals": approvals[: self.shown],
                "more_approvals": len(approvals) > self.shown,
                "to_write": [_write_row(st, ob, today) for st, ob in to_write],
                "counts": counts,
            },
        )


class TaskDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    model = Task

    def get(self, request, pk):
        task = self.get_object()
        task = task_list(user=request.user).get(pk=task.pk)
        notice = task.plan.notice
        lines = notice.source_text.split("\n") if notice else []
        refs = sorted({n for numbers in task.source_lines.values() for n in numbers})
        excerpt = [(n, lines[n - 1]) for n in refs if 0 < n <= len(lines)]
        today = timezone.localdate()
        rows = assignment_states(user=request.user, task=task, today=today)
        events = []
        for state in rows:
            events += list(state.assignment.events.select_related("actor").all())
        events.sort(key=lambda e: e.time)
        is_supervisor = Role.SUPERVISOR in request.user.role_codes
        units_form = None
        if is_supervisor:
            units_form = TaskUnitsForm(
                user=request.user,
                initial={
                    "lead": [u.unit for u in task.units.all() if u.is_lead and u.unit],
                    "units": [u.unit for u in task.units.all() if not u.is_lead and u.unit],
                    "groups": [u.group for u in task.units.all() if u.group],
                },
            )
        from .lights import task_light

        return render(
            request,
            "workplans/task_detail.html",
            {
                "task": task,
                "excerpt": excerpt,
                "rows": rows,
                "light": task_light([s.light for s in rows]) if rows else None,
                "events": events,
                "units_form": units_form,
                "today": today,
            },
        )


class TaskUnitsView(ObjectActionView):
    capability = "plans.manage"
    model = Task
    default_op = "units"
    ops = {
        "units": Op(
            lambda v, task, d: services.task_set_units(
                task=task, links=v.form.links(), user=v.request.user
            ),
            "责任单位已调整。",
            form=TaskUnitsForm,
            form_kwargs=lambda v, task: {"user": v.request.user},
            action="change",
        )
    }


class AssignmentDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    model = Assignment

    def get(self, request, pk, measure_formset=None):
        assignment = self.get_object()
        today = timezone.localdate()
        state = next(
            iter(
                assignment_states(
                    user=request.user, task=assignment.task, unit=assignment.unit, today=today
                )
            ),
            None,
        )
        if state is None:  # handed back
            from .lights import AssignmentState, assignment_light

            obs = obligations(assignment, today)
            state = AssignmentState(assignment, assignment_light(assignment, today, obs), obs, None)
        assignment = state.assignment
        user = request.user
        can_act = Assignment.objects.restrict(user, "change").filter(pk=assignment.pk).exists()
        unit_actor = can_act and bool(user.role_codes & {Role.REPORTER, Role.UNIT_HEAD})
        supervisor = Role.SUPERVISOR in user.role_codes
        measures = list(assignment.measures.all())
        initial = (
            [
                {
                    "content": m.content,
                    "responsible_person": m.responsible_person,
                    "planned_date": m.planned_date,
                    "expected_evidence": m.expected_evidence,
                    "milestone_id": m.milestone_id,
                    "done": m.done,
                }
                for m in measures
            ]
            if measures
            else services.breakdown_prefill(assignment)
        )
        siblings = []
        if assignment.is_lead:
            siblings = [
                s
                for s in assignment_states(user=user, task=assignment.task, today=today)
                if s.assignment.pk != assignment.pk
            ]
        return render(
            request,
            "workplans/assignment_detail.html",
            {
                "a": assignment,
                "state": state,
                "today": today,
                "unit_actor": unit_actor,
                "supervisor": supervisor,
                "measures": measures,
                "measure_formset": measure_formset or MeasureFormSet(initial=initial, prefix="m"),
                "events": assignment.events.select_related("actor", "report"),
                "extensions": assignment.extensions.all(),
                "pending_extension": next(
                    (
                        e
                        for e in assignment.extensions.all()
                        if e.status == Extension.Status.PENDING
                    ),
                    None,
                ),
                "letters": assignment.letters.all(),
                "siblings": siblings,
                "reason_form": ReasonForm(),
                "extension_form": ExtensionForm(),
                "completion_form": CompletionForm(),
                "decision_form": DecisionForm(),
                "summary_form": LeadSummaryForm(initial={"text": assignment.lead_summary}),
            },
        )


def _measures(view, assignment, data):
    formset = MeasureFormSet(view.request.POST, prefix="m")
    if not formset.is_valid():
        raise ValidationError("量化分解有误,请按标出的提示修改后再保存。")
    measures = [f for f in formset.cleaned_data if f and not f.get("DELETE")]
    services.assignment_breakdown(assignment=assignment, measures=measures, user=view.request.user)
    return measures


def _pending_extension(assignment: Assignment) -> Extension:
    extension = assignment.extensions.filter(status=Extension.Status.PENDING).first()
    if extension is None:
        raise ValidationError("没有待审批的延期申请。")
    return extension


class SignSelectedView(CapabilityRequiredMixin, View):
    """签收 the assignments ticked on the workspace (or the one whose row button was pressed)."""

    capability = "plans.workspace"

    def post(self, request):
        only = request.POST.get("only")
        mine = Assignment.objects.restrict(request.user, "change")
        if request.POST.get("all") and not only:
            raw = mine.filter(
                status=Assignment.Status.ISSUED, unit_id__in=request.user.scope_unit_ids
            ).values_list("pk", flat=True)
        else:
            raw = [only] if only else request.POST.getlist("assignments")
        ids = {id_param_value(value) for value in raw} - {None}
        assignments = list(
            mine.filter(pk__in=ids).select_related("task").order_by("task__plan_id", "task__order")
        )
        if len(assignments) != len(ids) or not ids:
            messages.error(
                request, "请勾选要签收的任务。" if not ids else "所选任务中有不在您签收范围内的。"
            )
            return redirect("workplans:workspace")
        try:
            signed = services.assignments_sign(assignments=assignments, user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("workplans:workspace")
        if len(signed) == 1:
            messages.success(request, "已签收。请进行量化分解,明确措施、责任人和时间节点。")
            return redirect(signed[0].get_absolute_url())
        messages.success(
            request, f"已签收 {len(signed)} 项任务。请逐项进行量化分解,明确措施、责任人和时间节点。"
        )
        return redirect("workplans:workspace")


class AssignmentActionView(ObjectActionView):
    """The actions on an assignment; each service checks who may run it."""

    def post(self, request, *args, **kwargs):
        if kwargs.get("op") != "breakdown":
            return super().post(request, *args, **kwargs)
        # A breakdown that cannot be saved comes back with what was typed and its errors marked.
        assignment = self.get_object()
        try:
            with transaction.atomic():
                measures = _measures(self, assignment, {})
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            raise Http404("对象不在您的权限范围内。") from exc
        else:
            messages.success(request, f"已保存量化分解:{len(measures)} 条措施。")
            return redirect(assignment.get_absolute_url())
        detail = AssignmentDetailView()
        detail.setup(request, pk=assignment.pk)
        return detail.get(
            request, assignment.pk, measure_formset=MeasureFormSet(request.POST, prefix="m")
        )

    capability = "plans.view"
    model = Assignment
    ops = {
        "sign": Op(
            lambda v, a, d: services.assignment_sign(assignment=a, user=v.request.user),
            "已签收。请进行量化分解,明确措施、责任人和时间节点。",
        ),
        "hand_back": Op(
            lambda v, a, d: services.assignment_hand_back_request(
                assignment=a, reason=d["reason"], user=v.request.user
            ),
            "已提交退回申请,等待监督机构审定。",
            form=ReasonForm,
        ),
        "hand_back_decide": Op(
            lambda v, a, d: services.assignment_hand_back_decide(
                assignment=a, approve=d["approve"], comment=d["comment"], user=v.request.user
            ),
            "已审定退回申请。",
            form=DecisionForm,
        ),
        "breakdown": Op(_measures, lambda measures, d: f"已保存量化分解:{len(measures)} 条措施。"),
        "extension": Op(
            lambda v, a, d: services.extension_request(
                assignment=a, new_date=d["new_date"], reason=d["reason"], user=v.request.user
            ),
            "已提交延期申请。",
            form=ExtensionForm,
        ),
        "extension_decide": Op(
            lambda v, a, d: services.extension_decide(
                extension=_pending_extension(a),
                approve=d["approve"],
                comment=d["comment"],
                user=v.request.user,
            ),
            "已审批延期申请。",
            form=DecisionForm,
        ),
        "complete": Op(
            lambda v, a, d: services.completion_request(
                assignment=a, note=d["note"], user=v.request.user
            ),
            "已申请办结,等待监督机构确认。",
            form=CompletionForm,
        ),
        "complete_decide": Op(
            lambda v, a, d: services.completion_confirm(
                assignment=a, approve=d["approve"], comment=d["comment"], user=v.request.user
            ),
            lambda result, d: "已确认办结。" if d["approve"] else "已退回继续办理。",
            form=DecisionForm,
        ),
        "summary": Op(
            lambda v, a, d: services.lead_summary_save(
                assignment=a, text=d["text"], user=v.request.user
            ),
            "已保存牵头单位汇总。",
            form=LeadSummaryForm,
        ),
    }


class ReportFormView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """Write or revise the report for one obligation of an assignment (identified by kind and due)."""

    capability = "plans.report"
    model = Assignment
    action = "change"

    def obligation(self, assignment, request):
        kind = request.GET.get("kind") or request.POST.get("kind")
        due = request.GET.get("due") or request.POST.get("due")
        try:
            due_date = datetime.date.fromisoformat(due or "")
        except ValueError as exc:
            raise Http404 from exc
        for ob in obligations(assignment, timezone.localdate()):
            if ob.kind == kind and ob.due == due_date:
                return ob
        if kind == "final" and assignment.due_date == due_date:
            return None
        raise Http404

    def get(self, request, pk):
        assignment = self.get_object()
        ob = self.obligation(assignment, request)
        report = Report.objects.filter(
            assignment=assignment, kind=request.GET.get("kind"), due_date=request.GET.get("due")
        ).first()
        initial = (
            {f: getattr(report, f) for f in services.REPORT_FIELDS}
            if report
            else {"self_status": "on_track"}
        )
        return self.render(request, assignment, ob, report, ReportForm(initial=initial))

    def render(self, request, assignment, ob, report, form):
        return render(
            request,
            "workplans/report_form.html",
            {
                "a": assignment,
                "ob": ob,
                "report": report,
                "form": form,
                "kind": request.GET.get("kind") or request.POST.get("kind"),
                "due": request.GET.get("due") or request.POST.get("due"),
            },
        )

    def post(self, request, pk):
        assignment = self.get_object()
        ob = self.obligation(assignment, request)  # 404 unless kind and due name an obligation
        kind = request.POST.get("kind") or request.GET.get("kind")
        due_date = datetime.date.fromisoformat(request.POST.get("due") or request.GET.get("due"))
        form = ReportForm(request.POST, request.FILES)
        report = Report.objects.filter(assignment=assignment, kind=kind, due_date=due_date).first()
        if not form.is_valid():
            return self.render(request, assignment, ob, report, form)
        try:
            with transaction.atomic():
                report = services.report_save(
                    assignment=assignment,
                    kind=kind,
                    due_date=due_date,
                    data=form.cleaned_data,
                    user=request.user,
                    period=(ob.period_start, ob.period_end) if ob and ob.period_start else None,
                    milestone_id=ob.milestone_id if ob else None,
                )
                for upload in form.cleaned_data["files"]:
                    services.evidence_add(
                        report=report, name=upload.name, data=upload.read(), user=request.user
                    )
                if request.POST.get("action") == "submit":
                    services.report_submit(report=report, user=request.user)
        except ValidationError as exc:
            form_errors_to_messages(form, exc)
            return self.render(request, assignment, ob, report, form)
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.success(
            request,
            "报告已报送。" if request.POST.get("action") == "submit" else "报告草稿已保存。",
        )
        return redirect(report.get_absolute_url())


class ReportDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    model = Report

    def get(self, request, pk):
        report = self.get_object()
        a = report.assignment
        user = request.user
        own = Assignment.objects.restrict(user, "change").filter(pk=a.pk).exists() and bool(
            user.role_codes & {Role.REPORTER, Role.UNIT_HEAD}
        )
        return render(
            request,
            "workplans/report_detail.html",
            {
                "report": report,
                "a": a,
                "evidence": report.evidence.all(),
                "revisions": report.revisions.select_related("submitted_by"),
                "can_edit": own and report.status in {Report.Status.DRAFT, Report.Status.RETURNED},
                "can_review": Role.SUPERVISOR in user.role_codes
                and report.status == Report.Status.SUBMITTED,
                "can_approve": own
                and Role.UNIT_HEAD in user.role_codes
                and report.status == Report.Status.PENDING_APPROVAL,
                "review_form": ReviewForm(),
                "decision_form": DecisionForm(),
            },
        )


def _comment(view) -> str:
    form = ReviewForm(view.request.POST)
    return form.cleaned_data.get("comment", "") if form.is_valid() else ""


class ReportActionView(ObjectActionView):
    capability = "plans.view"
    model = Report
    ops = {
        "accept": Op(
            lambda v, r, d: services.report_accept(
                report=r, comment=_comment(v), user=v.request.user
            ),
            "报告已通过。",
        ),
        "return": Op(
            lambda v, r, d: services.report_return(
                report=r, comment=_comment(v), user=v.request.user
            ),
            "报告已退回修改。",
        ),
        "approve": Op(
            lambda v, r, d: services.report_approve(
                report=r, approve=d["approve"], comment=d["comment"], user=v.request.user
            ),
            "已审核。",
            form=DecisionForm,
        ),
        "submit": Op(
            lambda v, r, d: services.report_submit(report=r, user=v.request.user), "报告已报送。"
        ),
    }


class EvidenceFileView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """Serve an evidence file to whoever may see its report: inline when the browser can show it,
    as a download with `?download=1`."""

    capability = "plans.view"
    model = Evidence

    def get_object(self):
        reports = Report.objects.restrict(self.request.user, "view")
        evidence = Evidence.objects.filter(pk=self.kwargs["pk"], report__in=reports).first()
        if evidence is None:
            raise Http404
        return evidence

    def get(self, request, pk):
        evidence = self.get_object()
        inline = evidence.content_type in INLINE_TYPES and not request.GET.get("download")
        response = serve_file(
            evidence.file,
            content_type=evidence.content_type,
            inline=inline,
            filename=evidence.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        # Shown in a frame of the report page (same origin only). Images get a CSP that forbids
        # everything else; Chrome's PDF viewer does not work under one, and PDFs run sandboxed there.
        response["X-Frame-Options"] = "SAMEORIGIN"
        if evidence.content_type.startswith("image/"):
            response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
        return response


class EvidenceDeleteView(CapabilityRequiredMixin, View):
    capability = "plans.report"

    def post(self, request, pk):
        evidence = EvidenceFileView.get_object(self)
        try:
            services.evidence_delete(evidence=evidence, user=request.user)
        except ValidationError as exc:
            errors_to_messages(request, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        return redirect(evidence.report.get_absolute_url())


class CalendarView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """Deadlines of a plan by month: every obligation not yet met, with its light."""

    capability = "plans.view"
    model = Plan

    def get(self, request, pk):
        plan = self.get_object()
        today = timezone.localdate()
        months: dict[tuple[int, int], list] = defaultdict(list)
        for state in assignment_states(
            user=request.user, plan=plan, include_closed=False, today=today
        ):
            for ob in state.obligations:
                if (not ob.met and ob.kind != "sign") or (ob.kind == "sign" and not ob.met):
                    months[(ob.due.year, ob.due.month)].append((ob, state))
        timeline = [
            ((y, m), sorted(items, key=lambda x: (x[0].due, str(x[1].assignment.unit))))
            for (y, m), items in sorted(months.items())
        ]
        return render(
            request, "workplans/calendar.html", {"plan": plan, "timeline": timeline, "today": today}
        )


class LetterListView(ObjectListView):
    capability = "plans.manage"
    model = SupervisionLetter
    title = "督办函"
    default_sort = "-proposed_at"
    export_name = "督办函"
    template_name = "workplans/letter_list.html"
    columns = [
        Column("文号", "number"),
        Column("单位", "assignment.unit"),
        Column(
            "任务", lambda letter: f"{letter.assignment.task.number} {letter.assignment.task.title}"
        ),
        Column("逾期事项截止日", "due_date", sort="due_date"),
        Column("状态", "get_status_display", sort="status"),
        Column("等级", "get_level_display"),
        Column("回复期限", "reply_due"),
        Column("提出时间", "proposed_at", sort="proposed_at"),
    ]

    def get_queryset(self):
        return SupervisionLetter.objects.restrict(self.request.user, "view").select_related(
            "assignment__unit", "assignment__task"
        )


class LetterIssueView(ObjectActionMixin, CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.manage"
    model = SupervisionLetter
    action = "change"

    def get(self, request, pk, form=None):
        letter = self.get_object()
        a = letter.assignment
        default = (
            f"你单位承担的“{a.task.number} {a.task.title}”任务,截止日期为 {chinese_date(letter.due_date)},"
            f"至今未按要求完成。请高度重视,立即整改,并将整改情况书面报区司法局。"
        )
        form = form or LetterIssueForm(
            initial={
                "level": "blue",
                "content": default,
                "reply_due": timezone.localdate() + datetime.timedelta(days=7),
            }
        )
        return render(request, "workplans/letter_issue.html", {"letter": letter, "form": form})

    ops = {
        "issue": Op(
            lambda v, letter, d: services.letter_issue(letter=letter, user=v.request.user, **d),
            lambda letter, d: f"已签发督办函 {letter.number}。",
            form=LetterIssueForm,
        ),
        "dismiss": Op(
            lambda v, letter, d: services.letter_dismiss(letter=letter, user=v.request.user),
            "已决定不发督办函。",
        ),
    }
    default_op = "issue"

    def post(self, request, *args, **kwargs):
        # An invalid letter is shown again with what was typed.
        if request.POST.get("op", "issue") == "issue":
            form = LetterIssueForm(request.POST)
            if not form.is_valid():
                return self.get(request, kwargs["pk"], form=form)
        return super().post(request, *args, **kwargs)

    def action_url(self, letter) -> str:
        return reverse("workplans:letter_issue", args=[letter.pk])

    def success_url(self, letter, result) -> str:
        return reverse("workplans:letter_list")


class NotificationRuleListView(ObjectListView):
    capability = "plans.manage"
    model = NotificationRule
    title = "提醒规则"
    export_name = "提醒规则"
    default_sort = "trigger"
    columns = [
        Column("名称", "name", link=True),
        Column("触发条件", "get_trigger_display"),
        Column("工作日数", "workdays"),
        Column("重复间隔", "repeat_every"),
        Column("状态变化", "get_event_display"),
        Column(
            "接收人",
            lambda r: "、".join(
                dict(NotificationRuleForm.RECIPIENTS).get(x, x) for x in r.recipients
            ),
        ),
        Column(
            "渠道",
            lambda r: "、".join(dict(NotificationRuleForm.CHANNELS).get(x, x) for x in r.channels),
        ),
        Column("动作", "get_action_display"),
        Column("启用", "active"),
    ]

    def get_queryset(self):
        from .notify import ensure_default_rules

        ensure_default_rules()
        # Rules are the supervisor's configuration, not unit data: the capability gates them.
        return NotificationRule.objects.all()

    def get_actions(self):
        return [
            ("新增规则", reverse("workplans:notification_rule_add"), "bi-plus-lg"),
            ("亮灯与时限参数", reverse("core:rules", args=["workplans"]), "bi-sliders"),
        ]


class NotificationRuleFormView(ObjectFormView):
    capability = "plans.manage"
    model = NotificationRule
    form_class = NotificationRuleForm

    def get_object(self):
        obj = NotificationRule.objects.filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404
        return obj

    def save(self, form, obj):
        from oversight.core import audit

        before = audit.snapshot(obj) if obj else None
        rule = form.save(commit=False)
        rule.channels = form.cleaned_data["channels"]
        rule.full_clean()
        rule.save()
        audit.record(
            action="update" if before else "create",
            obj=rule,
            before=before,
            after=audit.snapshot(rule),
        )
        return rule

    def success_url(self, obj):
        return reverse("workplans:notification_rule_list")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
