"""Bulletins (定期通报) and evaluations (中期评估 / 终期评估) pages."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from oversight.core.excel import xlsx_response
from oversight.core.roles import Role, has_capability
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ObjectListView,
    ScopedObjectMixin,
    form_errors_to_messages,
)

from . import evaluations, services
from .documents import bulletin_docx, bulletin_xlsx, evaluation_docx, evaluation_xlsx
from .forms import (
    AdjustForm,
    BulletinCreateForm,
    BulletinEditForm,
    BulletinScheduleForm,
    EvaluationCreateForm,
    EvaluationSchemeForm,
    ObjectionForm,
    SettleForm,
)
from .models import Bulletin, BulletinSchedule, EvaluationResult, EvaluationScheme, Plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_response(name: str, content: bytes):
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _last_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start, _ = services._period_bounds("quarter", today)
    end = start - datetime.timedelta(days=1)
    return services._period_bounds("quarter", end)[0], end


class BulletinListView(ObjectListView):
    capability = "plans.view"
    model = Bulletin
    title = "定期通报"
    export_name = "定期通报"
    default_sort = "-date_to"
    columns = [
        Column("标题", "title", link=True),
        Column("文号", "number"),
        Column(
            "统计期", lambda b: f"{b.date_from:%Y-%m-%d} 至 {b.date_to:%Y-%m-%d}", sort="date_to"
        ),
        Column("状态", "get_status_display", sort="status"),
        Column("发布时间", "published_at", sort="published_at"),
    ]

    def get_queryset(self):
        return Bulletin.objects.restrict(self.request.user, "view").select_related("plan")

    def get_actions(self):
        if has_capability(self.request.user, "plans.manage"):
            return [("起草通报", reverse("workplans:bulletin_add"), "bi-plus-lg")]
        return []


class BulletinCreateView(CapabilityRequiredMixin, View):
    capability = "plans.manage"

    def get(self, request, form=None):
        start, end = _last_quarter(timezone.localdate())
        plan = (
            Plan.objects.restrict(request.user, "change")
            .exclude(status=Plan.Status.CONFIRMED)
            .first()
        )
        form = form or BulletinCreateForm(
            user=request.user,
            initial={"plan": plan, "period": "quarter", "date_from": start, "date_to": end},
        )
        schedules = BulletinSchedule.objects.select_related("plan").filter(
            plan__in=Plan.objects.restrict(request.user, "change")
        )
        return render(
            request,
            "workplans/bulletin_new.html",
            {"form": form, "schedule_form": BulletinScheduleForm(), "schedules": schedules},
        )

    def post(self, request):
        form = BulletinCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                bulletin = services.bulletin_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            else:
                return redirect(bulletin.get_absolute_url())
        return self.get(request, form=form)


class BulletinScheduleView(CapabilityRequiredMixin, View):
    capability = "plans.manage"

    def post(self, request):
        plan = (
            Plan.objects.restrict(request.user, "change")
            .filter(pk=request.POST.get("plan"))
            .first()
        )
        form = BulletinScheduleForm(request.POST)
        if plan is None or not form.is_valid():
            messages.error(request, "请选择计划并填写周期和工作日。")
            return redirect("workplans:bulletin_add")
        from oversight.core import audit

        schedule, _ = BulletinSchedule.objects.update_or_create(
            plan=plan,
            period=form.cleaned_data["period"],
            defaults={"workday": form.cleaned_data["workday"], "active": True},
        )
        audit.record(action="update", obj=schedule, after=audit.snapshot(schedule))
        messages.success(request, f"已设置:{schedule}。定时任务会在到期时自动起草通报。")
        return redirect("workplans:bulletin_add")


class BulletinDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    post_capability = "plans.manage"
    model = Bulletin

    def get(self, request, pk, form=None):
        bulletin = self.get_object()
        figures = services.bulletin_figures(bulletin)
        fmt = request.GET.get("format")
        if fmt == "docx":
            return _docx_response(f"{bulletin.title}.docx", bulletin_docx(bulletin, figures))
        district_wide = bool(request.user.role_codes & {Role.SUPERVISOR, Role.LEADER})
        if fmt == "xlsx":
            return xlsx_response(
                f"{bulletin.title}-台账.xlsx",
                bulletin_xlsx(
                    bulletin,
                    figures,
                    only_units=None if district_wide else set(request.user.scope_unit_ids),
                ),
            )
        editable = (
            bulletin.status == Bulletin.Status.DRAFT and Role.SUPERVISOR in request.user.role_codes
        )
        own = (
            request.user.scope_unit_ids
            if request.user.role_codes & {Role.REPORTER, Role.UNIT_HEAD}
            else set()
        )
        from .documents import bulletin_blocks

        return render(
            request,
            "workplans/bulletin_detail.html",
            {
                "bulletin": bulletin,
                "figures": figures,
                "blocks": bulletin_blocks(bulletin, figures),
                "editable": editable,
                "form": form
                or BulletinEditForm(
                    initial={
                        f: getattr(bulletin, f)
                        for f in ("title", "intro", "highlights", "requirements")
                    }
                ),
                "own_units": own,
                "own_names": {u.unit for u in figures.units if u.unit_id in own},
            },
        )

    def post(self, request, pk):
        bulletin = self.get_object()
        if request.POST.get("publish"):
            try:
                bulletin = services.bulletin_publish(bulletin=bulletin, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, ";".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, f"通报已发布,文号 {bulletin.number},已通知各单位。")
            return redirect(bulletin.get_absolute_url())
        form = BulletinEditForm(request.POST)
        if form.is_valid():
            try:
                services.bulletin_update(
                    bulletin=bulletin, data=form.cleaned_data, user=request.user
                )
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, "草稿已保存。")
                return redirect(bulletin.get_absolute_url())
        return self.get(request, pk, form=form)


class EvaluationListView(ObjectListView):
    capability = "plans.view"
    model = EvaluationScheme
    title = "评估"
    export_name = "评估"
    default_sort = "-as_of"
    columns = [
        Column("名称", "title", link=True),
        Column("类型", "get_kind_display"),
        Column("评估截止日", "as_of", sort="as_of"),
        Column("状态", "get_status_display", sort="status"),
        Column("文号", "number"),
    ]

    def get_queryset(self):
        return EvaluationScheme.objects.restrict(self.request.user, "view")

    def get_actions(self):
        if has_capability(self.request.user, "plans.manage"):
            return [("组织评估", reverse("workplans:evaluation_add"), "bi-plus-lg")]
        return []


class EvaluationCreateView(CapabilityRequiredMixin, View):
    capability = "plans.manage"

    def get(self, request, form=None):
        form = form or EvaluationCreateForm(user=request.user)
        return render(request, "core/object_form.html", {"form": form, "title": "组织评估"})

    def post(self, request):
        form = EvaluationCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                scheme = evaluations.evaluation_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            else:
                return redirect(scheme.get_absolute_url())
        return self.get(request, form=form)


class EvaluationDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    model = EvaluationScheme

    def get(self, request, pk, scheme_form=None):
        scheme = self.get_object()
        fmt = request.GET.get("format")
        results = (
            EvaluationResult.objects.restrict(request.user, "view")
            .filter(scheme=scheme)
            .select_related("unit")
            .order_by("rank")
        )
        if fmt == "docx":
            return _docx_response(f"{scheme.title}.docx", evaluation_docx(scheme))
        if fmt == "xlsx":
            return xlsx_response(f"{scheme.title}.xlsx", evaluation_xlsx(scheme, results))
        supervisor = Role.SUPERVISOR in request.user.role_codes
        initial = {
            "as_of": scheme.as_of,
            "points_per_overdue_workday": scheme.points_per_overdue_workday,
            "points_per_missed_period": scheme.points_per_missed_period,
            "points_per_returned_report": scheme.points_per_returned_report,
            "max_bonus": scheme.max_bonus,
            "task_weights": ",".join(f"{k}={v:g}" for k, v in scheme.task_weights.items()),
            "grades": ",".join(f"{g[0]:g}={g[1]}" for g in scheme.grades),
        }
        return render(
            request,
            "workplans/evaluation_detail.html",
            {
                "scheme": scheme,
                "results": results,
                "supervisor": supervisor,
                "scheme_form": scheme_form or EvaluationSchemeForm(initial=initial),
                "adjust_form": AdjustForm(),
                "objection_form": ObjectionForm(),
                "settle_form": SettleForm(),
            },
        )

    def post(self, request, pk):
        scheme = self.get_object()
        op = request.POST.get("op")
        try:
            if op == "scheme":
                form = EvaluationSchemeForm(request.POST)
                if not form.is_valid():
                    return self.get(request, pk, scheme_form=form)
                self._save_scheme(scheme, form.cleaned_data, request.user)
                messages.success(request, "评分办法已保存。")
            elif op == "score":
                count = evaluations.evaluation_score(scheme=scheme, user=request.user)
                messages.success(request, f"已按数据为 {count} 个单位评分。")
            elif op == "publish":
                scheme = evaluations.evaluation_publish(scheme=scheme, user=request.user)
                messages.success(request, f"评估结果已发布,文号 {scheme.number}。")
            elif op in {"adjust", "object", "settle"}:
                result = (
                    EvaluationResult.objects.restrict(request.user, "view")
                    .filter(scheme=scheme, pk=request.POST.get("result"))
                    .first()
                )
                if result is None:
                    raise Http404
                self._result_action(op, result, request)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        except PermissionDenied as exc:
            raise Http404 from exc
        return redirect(scheme.get_absolute_url())

    def _result_action(self, op, result, request):
        if op == "adjust":
            form = AdjustForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            evaluations.evaluation_adjust(result=result, user=request.user, **form.cleaned_data)
            messages.success(request, f"已调整{result.unit}的评分。")
        elif op == "object":
            form = ObjectionForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请填写异议内容。")
            evaluations.evaluation_object(
                result=result, text=form.cleaned_data["text"], user=request.user
            )
            messages.success(request, "异议已提交,区司法局处理后会通知您。")
        else:
            form = SettleForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请填写处理意见。")
            evaluations.evaluation_settle(
                result=result,
                text=form.cleaned_data["text"],
                adjustment=form.cleaned_data["adjustment"],
                user=request.user,
            )
            messages.success(request, "异议已处理。")

    def _save_scheme(self, scheme, data, user):
        from django.db import transaction

        from oversight.core import audit

        if Role.SUPERVISOR not in user.role_codes:
            raise PermissionDenied
        if scheme.status == EvaluationScheme.Status.PUBLISHED:
            raise ValidationError("评估结果已发布,评分办法不能修改。")
        with transaction.atomic():
            before = audit.snapshot(scheme)
            for key, value in data.items():
                setattr(scheme, key, value)
            scheme.full_clean()
            scheme.save()
            audit.record(action="update", obj=scheme, before=before, after=audit.snapshot(scheme))
