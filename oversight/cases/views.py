import datetime

import django_filters
from django import forms as djforms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from oversight.core.params import MAX_ID, id_param
from oversight.core.roles import Role, has_capability
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ImportView,
    ObjectFormView,
    ObjectListView,
    ScopedObjectMixin,
)
from oversight.enforcement.models import EnforcementType, Officer
from oversight.organisations.models import Unit

from . import checks, imports, services
from .forms import (
    CaseForm,
    ConflictForm,
    DrawForm,
    EnterpriseForm,
    EscalateForm,
    ExtensionForm,
    InspectionForm,
    LeniencyForm,
    RecordForm,
)
from .models import (
    Case,
    Draw,
    DrawTarget,
    Enterprise,
    Finding,
    Inspection,
    LeniencyItem,
    OfficerConflict,
)
from .selectors import case_list, finding_figures, mode_figures

LIGHTS = [("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")]


def _errors(request, exc):
    messages.error(request, ";".join(getattr(exc, "messages", [str(exc)])))


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="案号或当事人")
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.none(), label="单位")
    act_type = django_filters.ChoiceFilter(choices=EnforcementType.choices, label="类别")
    light = django_filters.ChoiceFilter(choices=LIGHTS, label="亮灯")
    since = django_filters.DateFilter(
        field_name="filed_on",
        lookup_expr="gte",
        label="立案起",
        widget=djforms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="filed_on",
        lookup_expr="lte",
        label="立案止",
        widget=djforms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.restrict(request.user, "view").filter(
            is_enforcement=True
        )

    def search(self, queryset, name, value):
        return queryset.filter(number__icontains=value) | queryset.filter(
            party_name__icontains=value
        )


def _light(case) -> str:
    return dict(LIGHTS).get(case.light, case.light)


class CaseListView(ObjectListView):
    capability = "cases.view"
    model = Case
    title = "执法案件"
    filterset_class = CaseFilterSet
    export_name = "执法案件"
    default_sort = "-filed_on"
    columns = [
        Column("案号", "number", sort="number", link=True),
        Column("单位", "unit.short_name"),
        Column("类别", "get_act_type_display", sort="act_type"),
        Column("程序", "get_procedure_display"),
        Column("当事人", "party_name"),
        Column("立案", "filed_on", sort="filed_on"),
        Column("决定", "decided_on", sort="decided_on"),
        Column("罚款(元)", "fine_amount"),
        Column("亮灯", _light, sort="light"),
    ]

    def get_queryset(self):
        return case_list(user=self.request.user)

    def get_actions(self):
        if has_capability(self.request.user, "cases.record"):
            return [
                ("登记案件", reverse("cases:case_add"), "bi-plus-lg"),
                ("批量导入", reverse("cases:case_import"), "bi-upload"),
            ]
        return []


class CaseFormView(ObjectFormView):
    capability = "cases.record"
    model = Case
    form_class = CaseForm

    def save(self, form, obj):
        data = {k: v for k, v in form.cleaned_data.items() if k != "officers"}
        return services.case_save(
            case=obj,
            data=data,
            officers=list(form.cleaned_data["officers"]),
            user=self.request.user,
        )


class CaseDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "cases.view"
    post_capability = "cases.record"
    model = Case

    def get(self, request, pk):
        case = self.get_object()
        stages = [(Case._meta.get_field(f).verbose_name, getattr(case, f)) for f in (
            "filed_on", "investigated_on", "preserved_on", "preservation_decided_on", "notified_on", "hearing_requested_on",
            "hearing_withdrawn_on", "hearing_notified_on", "hearing_held_on", "legal_review_on", "collective_discussion_on",
            "decided_on", "served_on", "executed_on", "closed_on", "published_on", "credit_repair_notice_on",
            "impact_assessed_on", "crime_found_on", "crime_reported_on", "transfer_decided_on")]  # fmt: skip
        can_edit = Case.objects.restrict(request.user, "change").filter(
            pk=case.pk
        ).exists() and has_capability(request.user, "cases.record")
        supervisor = Role.SUPERVISOR in request.user.role_codes
        return render(
            request,
            "cases/case_detail.html",
            {
                "case": case,
                "stages": stages,
                "findings": case.findings.select_related("escalated_task"),
                "officers": case.officers.select_related("unit").prefetch_related("certificates"),
                "records": case.records.all(),
                "extensions": case.extensions.all(),
                "can_edit": can_edit,
                "supervisor": supervisor,
                "record_form": RecordForm(),
                "extension_form": ExtensionForm(),
                "escalate_form": EscalateForm(user=request.user) if supervisor else None,
                "late_hearing_request": checks.hearing_request_late(case),
            },
        )

    def post(self, request, pk):
        case = self.get_object()
        op = request.POST.get("op")
        try:
            if op == "record":
                form = RecordForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError("请填写记录类型和名称。")
                data = form.cleaned_data
                services.record_add(
                    case=case,
                    kind=data["kind"],
                    title=data["title"],
                    reference=data["reference"],
                    upload=data["file"],
                    user=request.user,
                )
                messages.success(request, "记录已登记,案件已重新检查。")
            elif op == "extension":
                form = ExtensionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("请填写延长天数、理由和批准日期。")
                services.extension_add(case=case, user=request.user, **form.cleaned_data)
                messages.success(request, "延长期限已登记。")
            elif op == "escalate":
                finding = Finding.objects.filter(case=case, pk=request.POST.get("finding")).first()
                form = EscalateForm(request.POST, user=request.user)
                if finding is None or not form.is_valid():
                    raise ValidationError("请选择工作计划和整改期限。")
                task = services.finding_escalate(
                    finding=finding,
                    plan=form.cleaned_data["plan"],
                    due=form.cleaned_data["due"],
                    user=request.user,
                )
                messages.success(request, f"已列入督办:{task.plan} {task.number}。")
            elif op == "recheck":
                services.case_recheck(case=case, user=request.user)
                messages.success(request, "已重新检查。")
            else:
                raise Http404
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        return redirect(case.get_absolute_url())


class CaseImportView(ImportView):
    importer_class = imports.CaseImporter
    success_url = "cases:case_list"


class FindingsView(CapabilityRequiredMixin, View):
    """Warnings and breaches across the district (or the unit): by unit, by rule, the red list."""

    capability = "cases.view"

    def get(self, request):
        figures = finding_figures(user=request.user)
        red = (
            Finding.objects.restrict(request.user, "view")
            .filter(level="red")
            .select_related("case__unit", "escalated_task")
            .order_by("case__unit__sort_order", "-found_at")[:200]
        )
        from .rules import RULE_LABELS

        by_rule = [(RULE_LABELS.get(r["rule"], r["rule"]), r["n"]) for r in figures["by_rule"]]
        return render(
            request,
            "cases/findings.html",
            {
                "figures": figures,
                "red": red,
                "by_rule": by_rule,
                "modes": mode_figures(user=request.user),
            },
        )


class EnterpriseListView(ObjectListView):
    capability = "cases.view"
    model = Enterprise
    title = "企业(检查对象)"
    export_name = "企业"
    columns = [
        Column("名称", "name", sort="name"),
        Column("统一社会信用代码", "credit_code"),
        Column("风险等级", "get_risk_display", sort="risk"),
        Column("行业", "industry"),
    ]

    def get_queryset(self):
        return Enterprise.objects.restrict(self.request.user, "view")

    def get_actions(self):
        return (
            [
                ("登记企业", reverse("cases:enterprise_add"), "bi-plus-lg"),
                ("导入检查对象名录", reverse("cases:enterprise_import"), "bi-upload"),
                ("回避关系", reverse("cases:conflict_list"), "bi-person-x"),
            ]
            if has_capability(self.request.user, "cases.record")
            else []
        )


class EnterpriseFormView(ObjectFormView):
    capability = "cases.record"
    model = Enterprise
    form_class = EnterpriseForm

    def save(self, form, obj):
        return services.enterprise_save(
            enterprise=obj, data=form.cleaned_data, user=self.request.user
        )

    def success_url(self, obj):
        return reverse("cases:enterprise_list")


class InspectionListView(ObjectListView):
    capability = "cases.view"
    model = Inspection
    title = "涉企检查"
    export_name = "涉企检查"
    template_name = "cases/inspection_list.html"
    default_sort = "-date"
    columns = [
        Column("日期", "date", sort="date"),
        Column("企业", "enterprise"),
        Column("单位", "unit"),
        Column("类型", "get_kind_display"),
        Column("提示", lambda i: ";".join(i.warnings)),
    ]

    def get_queryset(self):
        qs = Inspection.objects.restrict(self.request.user, "view").select_related(
            "enterprise", "unit"
        )
        enterprise = id_param(self.request, "enterprise")
        if enterprise is not None:
            qs = qs.filter(enterprise_id=enterprise)
        return qs

    def get_actions(self):
        return (
            [("登记检查", reverse("cases:inspection_add"), "bi-plus-lg")]
            if has_capability(self.request.user, "cases.record")
            else []
        )


class InspectionCreateView(CapabilityRequiredMixin, View):
    capability = "cases.record"

    def get(self, request, form=None):
        return render(
            request,
            "core/object_form.html",
            {"form": form or InspectionForm(user=request.user), "title": "登记涉企检查"},
        )

    def post(self, request):
        form = InspectionForm(request.POST, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"officers", "items"}}
            try:
                inspection = services.inspection_record(
                    data=data,
                    officers=list(form.cleaned_data["officers"]),
                    items=list(form.cleaned_data["items"]),
                    user=request.user,
                )
            except ValidationError as exc:
                from oversight.core.views import form_errors_to_messages

                form_errors_to_messages(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                for warning in inspection.warnings:
                    messages.warning(request, warning)
                messages.success(request, "检查已登记。")
                return redirect("cases:inspection_list")
        return self.get(request, form=form)


class LeniencyListView(ObjectListView):
    capability = "cases.view"
    model = LeniencyItem
    title = "四张清单"
    export_name = "四张清单"
    columns = [
        Column("单位", "unit"),
        Column("清单", "get_kind_display", sort="kind"),
        Column("事项", "title"),
        Column("适用情形", "conditions"),
        Column("法律依据", "legal_basis"),
    ]

    def get_queryset(self):
        return LeniencyItem.objects.restrict(self.request.user, "view").select_related("unit")

    def get_actions(self):
        return (
            [("登记清单事项", reverse("cases:leniency_add"), "bi-plus-lg")]
            if has_capability(self.request.user, "cases.record")
            else []
        )


class LeniencyFormView(ObjectFormView):
    capability = "cases.record"
    model = LeniencyItem
    form_class = LeniencyForm

    def save(self, form, obj):
        return services.leniency_item_save(item=obj, data=form.cleaned_data, user=self.request.user)

    def success_url(self, obj):
        return reverse("cases:leniency_list")


class DrawListView(ObjectListView):
    capability = "cases.view"
    model = Draw
    title = "双随机抽查"
    export_name = "双随机抽查"
    columns = [
        Column("名称", "title", link=True),
        Column("单位", "unit"),
        Column("抽取日期", "drawn_on", sort="drawn_on"),
        Column("状态", "get_status_display"),
        Column("公示日期", "published_on"),
    ]
    default_sort = "-drawn_on"

    def get_queryset(self):
        return Draw.objects.restrict(self.request.user, "view").select_related("unit")

    def get_actions(self):
        return (
            [("新建抽查", reverse("cases:draw_add"), "bi-shuffle")]
            if has_capability(self.request.user, "cases.record")
            else []
        )


class DrawCreateView(CapabilityRequiredMixin, View):
    capability = "cases.record"

    def get(self, request, form=None):
        return render(
            request,
            "core/object_form.html",
            {
                "form": form or DrawForm(user=request.user),
                "title": "双随机抽查:抽取检查对象和检查人员",
            },
        )

    def post(self, request):
        form = DrawForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                draw = services.draw_perform(unit=form.cleaned_data["unit"], title=form.cleaned_data["title"], quotas=form.quotas(),
                                             officers_per_target=form.cleaned_data["officers_per_target"], user=request.user)  # fmt: skip
            except (ValidationError, djforms.ValidationError) as exc:
                form.add_error(None, exc.messages if hasattr(exc, "messages") else str(exc))
            else:
                messages.success(request, f"已抽取 {draw.targets.count()} 户。")
                return redirect(draw.get_absolute_url())
        return self.get(request, form=form)


def _target(draw, raw) -> DrawTarget:
    """The draw's target named in a form; anything else (another draw's, not a number) is a
    message, not a server error."""
    if not raw or not str(raw).isdigit() or int(raw) > MAX_ID:
        raise ValidationError("请选择本次抽查的检查对象。")
    return DrawTarget.objects.get(draw=draw, pk=int(raw))


class DrawDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "cases.view"
    post_capability = "cases.record"
    model = Draw

    def get(self, request, pk):
        draw = self.get_object()
        officers = {o.pk: o for o in Officer.objects.filter(pk__in=draw.officer_pool)}
        targets = [
            (t, [officers.get(i) for i in t.officer_ids])
            for t in draw.targets.select_related("enterprise").prefetch_related("changes")
        ]
        can_edit = Draw.objects.restrict(request.user, "change").filter(
            pk=draw.pk
        ).exists() and has_capability(request.user, "cases.record")
        from django.utils import timezone

        return render(
            request,
            "cases/draw_detail.html",
            {
                "draw": draw,
                "targets": targets,
                "can_edit": can_edit,
                "due": services.draw_publication_due(draw),
                "pool_officers": officers.values(),
                "today": timezone.localdate(),
            },
        )

    def post(self, request, pk):
        draw = self.get_object()
        op = request.POST.get("op")
        try:
            if op == "verify":
                ok, message = services.draw_verify(draw)
                (messages.success if ok else messages.error)(request, message)
                return redirect(draw.get_absolute_url())
            if not Draw.objects.restrict(request.user, "change").filter(pk=draw.pk).exists():
                raise Http404
            if op == "result":
                target = _target(draw, request.POST.get("target"))
                try:
                    result_on = datetime.date.fromisoformat(request.POST.get("result_on") or "")
                except ValueError:
                    result_on = None  # not given: today
                services.draw_result(
                    target=target,
                    result=request.POST.get("result", ""),
                    result_on=result_on,
                    user=request.user,
                )
                messages.success(request, "结果已录入。")
            elif op == "change":
                target = _target(draw, request.POST.get("target"))
                ids = [int(x) for x in request.POST.getlist("officer_ids") if x.isdigit()]
                services.draw_change(
                    target=target,
                    officer_ids=ids,
                    reason=request.POST.get("reason", ""),
                    user=request.user,
                )
                messages.success(request, "检查人员已变更,变更理由已记录。")
            elif op == "publish":
                services.draw_publish(draw=draw, user=request.user)
                messages.success(request, "抽查结果已公示。")
            else:
                raise Http404
        except (ValidationError, DrawTarget.DoesNotExist) as exc:
            _errors(request, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        return redirect(draw.get_absolute_url())


class EnterpriseImportView(ImportView):
    """The inspection-target list (检查对象名录) with risk tiers, from Excel."""

    importer_class = imports.EnterpriseImporter
    success_url = "cases:enterprise_list"


class ConflictListView(ObjectListView):
    """Officers' declared links with enterprises: the draw never sends them there."""

    capability = "cases.record"
    model = OfficerConflict
    title = "回避关系"
    export_name = "回避关系"
    columns = [
        Column("执法人员", "officer.name"),
        Column("单位", "officer.unit"),
        Column("企业", "enterprise"),
        Column("关系说明", "reason"),
    ]

    def get_queryset(self):
        officers = Officer.objects.restrict(self.request.user, "view")
        return (
            OfficerConflict.objects.filter(officer__in=officers)
            .select_related("officer__unit", "enterprise")
            .order_by("officer__unit__sort_order", "officer__name", "pk")
        )

    def get_actions(self):
        return [("登记回避关系", reverse("cases:conflict_add"), "bi-plus-lg")]


class ConflictCreateView(CapabilityRequiredMixin, View):
    capability = "cases.record"

    def get(self, request, form=None):
        return render(
            request,
            "core/object_form.html",
            {"form": form or ConflictForm(user=request.user), "title": "登记回避关系"},
        )

    def post(self, request):
        form = ConflictForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.conflict_declare(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, "回避关系已登记,今后抽查不会把该人员派往该企业。")
                return redirect("cases:conflict_list")
        return self.get(request, form=form)
