"""Kernel pages: home, working-day calendar, audit log, scheduler status, rule settings."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views import View
from django.views.decorators.http import require_safe

from . import audit
from . import calendar as workcal
from .filtersets import AuditEntryFilterSet, ScheduledRunFilterSet
from .forms import CalendarDayForm, RulesForm
from .home import panels_for
from .models import (
    AuditEntry,
    CalendarDay,
    CalendarYear,
    Job,
    Notification,
    ScheduledJob,
    ScheduledRun,
)
from .notifications import mark_read
from .params import year_param
from .replica import reads_from_replica
from .roles import has_capability
from .rules import CATEGORIES, rule_set, rules_in
from .scheduler import discover as discover_jobs
from .scheduler import title_of
from .views import CapabilityRequiredMixin, Column, ObjectListView, form_errors_to_messages


@require_safe
@login_required
@reads_from_replica
def home(request):
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


class CalendarView(CapabilityRequiredMixin, View):
    capability = "calendar.manage"

    def get(self, request, form=None):
        today = timezone.localdate()
        year = year_param(request, default=today.year)
        days = CalendarDay.objects.filter(date__year=year)
        known = {y.year: y for y in CalendarYear.objects.all()}
        context = {
            "year": year,
            "days": days,
            "year_row": known.get(year),
            "known_years": sorted(known.values(), key=lambda y: -y.year),
            "missing_next": today.year + 1 not in known,
            "next_year": today.year + 1,
            "form": form or CalendarDayForm(initial={"date": datetime.date(year, 1, 1)}),
            "package_years": workcal.package_years(),
            "workdays_in_year": sum(
                1
                for i in range((datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1)
                if workcal.is_workday(datetime.date(year, 1, 1) + datetime.timedelta(days=i))
            ),
        }
        return render(request, "core/calendar.html", context)

    def post(self, request):
        op = request.POST.get("op")
        try:
            if op == "seed":
                loaded = workcal.calendar_seed_from_package(user=request.user)
                messages.success(
                    request,
                    "已从数据包更新:" + ("、".join(map(str, loaded)) if loaded else "无变化"),
                )
            elif op == "delete":
                day = CalendarDay.objects.filter(pk=request.POST.get("pk")).first()
                if day is None:
                    raise Http404
                workcal.calendar_day_delete(day=day, user=request.user)
                messages.success(request, f"已删除 {day.date:%Y-%m-%d} 的安排。")
                return redirect(f"{request.path}?year={day.date.year}")
            elif op == "confirm":
                year = int(request.POST.get("year", "0"))
                workcal.calendar_year_confirm(year=year, user=request.user)
                messages.success(request, f"已确认 {year} 年节假日安排由管理员维护。")
                return redirect(f"{request.path}?year={year}")
            else:
                form = CalendarDayForm(request.POST)
                if not form.is_valid():
                    return self.get(request, form=form)
                day = form.cleaned_data["date"]
                try:
                    workcal.calendar_day_set(
                        day=day,
                        is_workday=form.cleaned_data["is_workday"],
                        name=form.cleaned_data["name"],
                        user=request.user,
                    )
                except ValidationError as exc:
                    form_errors_to_messages(form, exc)
                    return self.get(request, form=form)
                messages.success(request, f"已保存 {day:%Y-%m-%d} 的安排。")
                return redirect(f"{request.path}?year={day.year}")
        except (ValueError, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(request.path)


def _object_label(entry: AuditEntry) -> str:
    if entry.object_type_id is None:
        return "—"
    return (
        entry.object_type.model_class()._meta.verbose_name
        if entry.object_type.model_class()
        else "—"
    )


class AuditListView(ObjectListView):
    """The audit administrator's read-only view of every change; exportable, never editable."""

    capability = "audit.view"
    model = AuditEntry
    title = "审计日志"
    filterset_class = AuditEntryFilterSet
    export_name = "审计日志"
    template_name = "core/audit_list.html"
    columns = [
        Column("时间", "time", sort="time"),
        Column("操作人", "username", sort="username"),
        Column("IP", "ip"),
        Column("动作", "get_action_display", sort="action"),
        Column("途径", "via"),
        Column("对象类型", _object_label),
        Column("对象编号", "object_id"),
        Column("所属单位", "unit_name"),
        Column("对象", audit.masked_repr),
        Column("说明", audit.masked_message),
        Column("修改前", lambda e: audit.masked_data(e, e.data_before)),
        Column("修改后", lambda e: audit.masked_data(e, e.data_after)),
        Column("请求编号", "request_id"),
    ]
    default_sort = "-time"

    def get_queryset(self):
        # Audit entries belong to no unit: only the audit administrator's capability gates them.
        return AuditEntry.objects.select_related("object_type")


class JobsView(CapabilityRequiredMixin, View):
    capability = "system.jobs"

    def get(self, request):
        discover_jobs()
        return render(
            request,
            "core/jobs.html",
            {
                "jobs": [(job, title_of(job.name)) for job in ScheduledJob.objects.all()],
                # Work people started: what ran, when and how it ended (not its contents).
                "background": Job.objects.select_related("created_by")[:50],
            },
        )


def _run_seconds(run: ScheduledRun) -> str:
    if run.finished_at is None:
        return "—"
    return f"{(run.finished_at - run.started_at).total_seconds():.1f}"


def _run_outcome(run: ScheduledRun) -> str:
    return "运行中" if run.ok is None else ("成功" if run.ok else "失败")


class ScheduledRunListView(ObjectListView):
    """Every run of the periodic jobs: which process ran which due time and how it ended (kept
    SCHEDULER_HISTORY_DAYS days); shows that with several schedulers each due time ran once."""

    capability = "system.jobs"
    model = ScheduledRun
    title = "定时任务运行记录"
    filterset_class = ScheduledRunFilterSet
    export_name = "定时任务运行记录"
    default_sort = "-started_at"
    per_page = 50
    columns = [
        Column("任务", lambda run: title_of(run.job_id), sort="job"),
        Column("任务代码", "job_id"),
        Column("应运行时间", "due_at", sort="due_at"),
        Column("第几次", "attempt"),
        Column("运行进程", "worker"),
        Column("开始时间", "started_at", sort="started_at"),
        Column("结束时间", "finished_at"),
        Column("用时（秒）", _run_seconds),
        Column("结果", _run_outcome, sort="ok"),
        Column("说明", lambda run: run.message[:300]),
    ]

    def get_queryset(self):
        # The scheduler's own record: no unit's business, only the system administrator's capability.
        return ScheduledRun.objects.all()


class JobDetailView(LoginRequiredMixin, View):
    """The progress of a piece of long work, for the person who started it: a bar that follows
    the work (htmx asks again every second until it ends), then the result and its link."""

    def get(self, request, pk):
        job = Job.objects.filter(pk=pk, created_by=request.user).first()
        if job is None:
            raise Http404("没有这项后台任务,或它不是您发起的。")
        if job.status == Job.Status.SUCCEEDED and job.result_url and job.details.get("open_result"):
            # Ready: on to what it made (a draft to edit), saying so once.
            messages.success(request, job.message)
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = job.result_url
                return response
            return redirect(job.result_url)
        template = "core/partials/job_progress.html" if request.htmx else "core/job.html"
        return render(request, template, {"job": job})


class RulesView(CapabilityRequiredMixin, View):
    """Edit the rules of one category; who may depends on the category."""

    def dispatch(self, request, *args, **kwargs):
        category = kwargs["category"]
        if category not in CATEGORIES:
            raise Http404
        self.title, capability = CATEGORIES[category]
        if request.user.is_authenticated and not has_capability(request.user, capability):
            raise PermissionDenied("您的角色无权修改这些参数。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, category, form=None):
        rules = rules_in(category)
        return render(
            request,
            "core/rules.html",
            {"title": self.title, "form": form or RulesForm(rules=rules), "rules": rules},
        )

    def post(self, request, category):
        since = timezone.now()
        form = RulesForm(request.POST, rules=rules_in(category))
        if not form.is_valid():
            return self.get(request, category, form=form)
        changed = 0
        current = {spec.key: value for spec, value in rules_in(category)}
        try:
            for field, spec in form.specs.items():
                value = form.cleaned_data[field]
                if value != current[spec.key]:
                    rule_set(
                        key=spec.key, value=value, note=form.cleaned_data["note"], user=request.user
                    )
                    changed += 1
        except ValidationError as exc:
            form_errors_to_messages(form, exc)
            return self.get(request, category, form=form)
        messages.success(
            request, f"已保存,修改了 {changed} 项参数。" if changed else "参数没有变化。"
        )
        started = (
            Job.objects.filter(created_by=request.user, created_at__gte=since)
            .order_by("-created_at")
            .first()
            if changed
            else None
        )
        if started is not None:
            # A changed limit applies to what exists: the work it set off, and where to follow it.
            messages.info(
                request,
                format_html(
                    '{}正在后台进行,<a href="{}">查看进度</a>。',
                    started.title,
                    started.get_absolute_url(),
                ),
            )
        return redirect(request.path)


class NotificationListView(ObjectListView):
    """The user's own notices: unread first, newest first."""

    capability = "notifications.view"
    model = Notification
    title = "消息"
    template_name = "core/notification_list.html"
    columns = [
        Column("时间", "created_at", sort="created_at"),
        Column("消息", "title"),
        Column("内容", "body"),
        Column("已读", lambda n: n.read_at is not None),
    ]
    default_sort = "-created_at"

    def get_queryset(self):
        # Notices belong to their recipient; nobody reads another person's.
        qs = Notification.objects.filter(user=self.request.user)
        if self.request.GET.get("unread") == "1":
            qs = qs.filter(read_at__isnull=True)
        return qs


@require_safe
@login_required
def notification_open(request, pk: int):
    notice = Notification.objects.filter(user=request.user, pk=pk).first()
    if notice is None:
        raise Http404
    mark_read(user=request.user, ids=[notice.pk])
    url = notice.url if notice.url.startswith("/") else reverse("core:notifications")
    return redirect(url)


@login_required
def notifications_read_all(request):
    if request.method != "POST":
        return redirect("core:notifications")
    count = mark_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("core:notifications")
