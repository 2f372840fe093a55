"""Bulletins (定期通报) and evaluations (中期评估 / 终期评估) pages."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from oversight.core.documents import docx_response
from oversight.core.excel import xlsx_response
from oversight.core.params import id_param_value
from oversight.core.replica import ReplicaReadsMixin
from oversight.core.roles import Role, has_capability
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    LinkCheck,
    ObjectActionMixin,
    ObjectListView,
    Op,
    ScopedObjectMixin,
    ServiceFormView,
    form_errors_to_messages,
)
from oversight.workplans.models import Plan

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
from .models import Bulletin, BulletinSchedule, EvaluationResult, EvaluationScheme


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
        Column("工作计划", lambda b: b.plan.title, sort="plan__title"),
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
            return [("起草通报", reverse("bulletins:bulletin_add"), "bi-plus-lg")]
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
            "bulletins/bulletin_new.html",
            {"form": form, "schedule_form": BulletinScheduleForm(), "schedules": schedules},
        )

    def post(self, request):
        form = BulletinCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.bulletin_check(
                    plan=data["plan"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    user=request.user,
                )
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            else:
                existing = Bulletin.objects.filter(
                    plan=data["plan"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    status=Bulletin.Status.DRAFT,
                ).first()
                if existing is not None:
                    messages.info(
                        request, "同一计划、同一统计期已有通报草稿,已为您打开,没有重复起草。"
                    )
                    return redirect(existing.get_absolute_url())
                from oversight.core import background

                from .tasks import draft_bulletin

                # Counting every unit's work as of the period's end takes a while on a large
                # plan: it runs in the background and the page goes on to the draft when ready.
                job = background.start(
                    kind="bulletins.draft",
                    title=f"起草通报({data['date_from']:%Y-%m-%d} 至 {data['date_to']:%Y-%m-%d})",
                    task=draft_bulletin,
                    args=[
                        data["plan"].pk,
                        data["period"],
                        data["date_from"].isoformat(),
                        data["date_to"].isoformat(),
                    ],
                    user=request.user,
                    open_result=True,
                )
                return redirect(job)
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
            return redirect("bulletins:bulletin_add")
        from oversight.core import audit

        schedule, _ = BulletinSchedule.objects.update_or_create(
            plan=plan,
            period=form.cleaned_data["period"],
            defaults={"workday": form.cleaned_data["workday"], "active": True},
        )
        audit.record(action="update", obj=schedule, after=audit.snapshot(schedule))
        messages.success(request, f"已设置:{schedule}。定时任务会在到期时自动起草通报。")
        return redirect("bulletins:bulletin_add")


class BulletinDetailView(ObjectActionMixin, CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "plans.view"
    post_capability = "plans.manage"
    model = Bulletin

    def get(self, request, pk, form=None):
        bulletin = self.get_object()
        figures = services.bulletin_figures(bulletin)
        fmt = request.GET.get("format")
        if fmt == "docx":
            return docx_response(f"{bulletin.title}.docx", bulletin_docx(bulletin, figures))
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
            "bulletins/bulletin_detail.html",
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

    default_op = "save"

    def success_url(self, obj, result) -> str:
        if not Bulletin.objects.filter(pk=obj.pk).exists():  # the draft was deleted
            return reverse("bulletins:bulletin_list")
        return super().success_url(obj, result)

    ops = {
        "delete": Op(
            lambda v, bulletin, d: services.bulletin_delete(bulletin=bulletin, user=v.request.user),
            "通报草稿已删除。",
        ),
        "publish": Op(
            lambda v, bulletin, d: services.bulletin_publish(
                bulletin=bulletin, user=v.request.user
            ),
            lambda bulletin, d: f"通报已发布,文号 {bulletin.number},已通知各单位。",
        ),
        "save": Op(
            lambda v, bulletin, d: services.bulletin_update(
                bulletin=bulletin, data=d, user=v.request.user
            ),
            "草稿已保存。",
            form=BulletinEditForm,
        ),
    }

    def post(self, request, *args, **kwargs):
        # An invalid draft is shown again with what was typed, its errors on the fields.
        if request.POST.get("op", "save") == "save":
            form = BulletinEditForm(request.POST)
            if not form.is_valid():
                return self.get(request, kwargs["pk"], form=form)
        return super().post(request, *args, **kwargs)


class EvaluationListView(ObjectListView):
    capability = "plans.view"
    model = EvaluationScheme
    title = "评估"
    export_name = "评估"
    default_sort = "-as_of"
    columns = [
        Column("名称", "title", link=True),
        Column("工作计划", lambda e: e.plan.title, sort="plan__title"),
        Column("类型", "get_kind_display"),
        Column("评估截止日", "as_of", sort="as_of"),
        Column("状态", "get_status_display", sort="status"),
        Column("文号", "number"),
    ]

    def get_queryset(self):
        return EvaluationScheme.objects.restrict(self.request.user, "view").select_related("plan")

    def get_actions(self):
        if has_capability(self.request.user, "plans.manage"):
            return [("组织评估", reverse("bulletins:evaluation_add"), "bi-plus-lg")]
        return []


class EvaluationCreateView(ServiceFormView):
    capability = "plans.manage"
    form_class = EvaluationCreateForm
    form_takes_user = True
    title = "组织评估"
    success_message = "评估已创建:请核对评分办法后按数据评分。"

    def run(self, data):
        return evaluations.evaluation_create(user=self.request.user, **data)


class EvaluationDetailView(ObjectActionMixin, CapabilityRequiredMixin, ScopedObjectMixin, View):
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
            return docx_response(f"{scheme.title}.docx", evaluation_docx(scheme))
        if fmt == "xlsx":
            return xlsx_response(f"{scheme.title}.xlsx", evaluation_xlsx(scheme, results))
        supervisor = Role.SUPERVISOR in request.user.role_codes
        initial = {
            "as_of": scheme.as_of,
            "points_per_overdue_workday": scheme.points_per_overdue_workday,
            "points_per_missed_period": scheme.points_per_missed_period,
            "points_per_returned_report": scheme.points_per_returned_report,
            "points_per_substantiated_clue": scheme.points_per_substantiated_clue,
            "points_per_late_document_reply": scheme.points_per_late_document_reply,
            "points_per_failed_rectification": scheme.points_per_failed_rectification,
            "points_per_sanction": scheme.points_per_sanction,
            "points_per_failed_review_file": scheme.points_per_failed_review_file,
            "max_bonus": scheme.max_bonus,
            "task_weights": ",".join(f"{k}={v:g}" for k, v in scheme.task_weights.items()),
            "grades": ",".join(f"{g[0]:g}={g[1]}" for g in scheme.grades),
        }
        return render(
            request,
            "bulletins/evaluation_detail.html",
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

    def success_url(self, obj, result) -> str:
        if not EvaluationScheme.objects.filter(pk=obj.pk).exists():  # deleted
            return reverse("bulletins:evaluation_list")
        return super().success_url(obj, result)

    ops = {
        "delete": Op(
            lambda v, scheme, d: evaluations.evaluation_delete(scheme=scheme, user=v.request.user),
            "评估已删除。",
        ),
        "scheme": Op(
            lambda v, scheme, d: evaluations.evaluation_scheme_update(
                scheme=scheme, data=d, user=v.request.user
            ),
            "评分办法已保存。",
            form=EvaluationSchemeForm,
        ),
        "publish": Op(
            lambda v, scheme, d: evaluations.evaluation_publish(scheme=scheme, user=v.request.user),
            lambda scheme, d: f"评估结果已发布,文号 {scheme.number}。",
        ),
        "adjust": Op(
            lambda v, scheme, d: evaluations.evaluation_adjust(
                result=_result(v, scheme), user=v.request.user, **d
            ),
            lambda result, d: f"已调整{result.unit}的评分。",
            form=AdjustForm,
        ),
        "object": Op(
            lambda v, scheme, d: evaluations.evaluation_object(
                result=_result(v, scheme), text=d["text"], user=v.request.user
            ),
            "异议已提交,区司法局处理后会通知您。",
            form=ObjectionForm,
        ),
        "settle": Op(
            lambda v, scheme, d: evaluations.evaluation_settle(
                result=_result(v, scheme),
                text=d["text"],
                adjustment=d["adjustment"],
                user=v.request.user,
            ),
            "异议已处理。",
            form=SettleForm,
        ),
    }

    def post(self, request, *args, **kwargs):
        if request.POST.get("op") == "score":
            return self.score(request, self.get_object())
        # An invalid scoring method is shown again with what was typed, not thrown away.
        if request.POST.get("op") == "scheme":
            form = EvaluationSchemeForm(request.POST)
            if not form.is_valid():
                return self.get(request, kwargs["pk"], scheme_form=form)
        return super().post(request, *args, **kwargs)

    def score(self, request, scheme: EvaluationScheme):
        """Scoring replays every assignment of the plan as of the evaluation date: a background
        job, followed on its page, which goes on to the scored evaluation (one at a time)."""
        from oversight.core import background
        from oversight.core.models import Job

        from .tasks import score_evaluation

        if Role.SUPERVISOR not in request.user.role_codes:
            raise PermissionDenied("只有监督机构可以评分。")
        if scheme.status == EvaluationScheme.Status.PUBLISHED:
            messages.error(request, "评估结果已发布，不能重新评分。")
            return redirect(scheme.get_absolute_url())
        kind = f"bulletins.evaluation_score:{scheme.pk}"
        running = Job.objects.filter(
            kind=kind, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).first()
        if running is not None:
            messages.info(request, "该评估正在评分，请稍候。")
            return redirect(running)
        job = background.start(
            kind=kind,
            title=f"评分：{scheme.title}",
            task=score_evaluation,
            args=[scheme.pk],
            user=request.user,
            open_result=True,
        )
        return redirect(job)


def _result(view, scheme: EvaluationScheme) -> EvaluationResult:
    """The unit result the form names (a hidden `result` field), within the user's scope."""
    result = (
        EvaluationResult.objects.restrict(view.request.user, "view")
        .filter(scheme=scheme, pk=id_param_value(view.request.POST.get("result")))
        .first()
    )
    if result is None:
        raise Http404("该单位的评估结果不存在或不在您的权限范围内。")
    return result


class CockpitView(CapabilityRequiredMixin, ReplicaReadsMixin, View):
    """驾驶舱: the district on one screen for the leaders' meeting room; `?screen=1` hides the menu."""

    capability = "plans.dashboard"

    def get(self, request):
        from .cockpit import charts, cockpit

        plan = None
        if request.GET.get("plan"):
            plan = (
                Plan.objects.restrict(request.user, "view")
                .filter(pk=id_param_value(request.GET["plan"]))
                .first()
            )
        issued = list(
            Plan.objects.restrict(request.user, "view")
            .filter(status=Plan.Status.ISSUED)
            .order_by("-issued_at", "-pk")
        )
        # Without a choice, the latest issued plan (what `current_plan` would read again).
        view = cockpit(user=request.user, plan=plan or (issued[0] if issued else None))
        follow = LinkCheck(request.user)
        links = {
            "ledger": follow(reverse("workplans:assignment_list")),
            "cases": follow(reverse("cases:case_list")),
            "training": follow(reverse("enforcement:training")),
            "clues": follow(reverse("supervision:clue_list")),
            "matters": follow(reverse("supervision:matter_list")),
            "documents": follow(reverse("supervision:document_list")),
        }
        plans = [(p.pk, p.title) for p in issued]
        return render(
            request,
            "bulletins/cockpit.html",
            {
                "view": view,
                "charts": charts(view),
                "links": links,
                "plans": plans,
                "screen": request.GET.get("screen") == "1",
            },
        )
