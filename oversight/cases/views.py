import django_filters
from django import forms as djforms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from oversight.core.params import id_param, id_param_value
from oversight.core.roles import Role, has_capability
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ImportView,
    ObjectActionMixin,
    ObjectFormView,
    ObjectListView,
    Op,
    ScopedObjectMixin,
)
from oversight.enforcement.models import EnforcementType, Officer
from oversight.organisations.models import Unit

from . import checks, imports, services
from .forms import (
    CaseForm,
    ConflictForm,
    DrawChangeForm,
    DrawForm,
    DrawResultForm,
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


class CaseDetailView(ObjectActionMixin, CapabilityRequiredMixin, ScopedObjectMixin, View):
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

    ops = {
        "record": Op(
            lambda v, case, d: services.record_add(
                case=case,
                kind=d["kind"],
                title=d["title"],
                reference=d["reference"],
                upload=d["file"],
                user=v.request.user,
            ),
            "记录已登记,案件已重新检查。",
            form=RecordForm,
        ),
        "extension": Op(
            lambda v, case, d: services.extension_add(case=case, user=v.request.user, **d),
            "延长期限已登记。",
            form=ExtensionForm,
        ),
        "escalate": Op(
            lambda v, case, d: services.finding_escalate(
                finding=_finding(case, v.request.POST.get("finding")),
                plan=d["plan"],
                due=d["due"],
                user=v.request.user,
            ),
            lambda task, d: f"已列入督办:{task.plan} {task.number}。",
            form=EscalateForm,
            form_kwargs=lambda v, case: {"user": v.request.user},
        ),
        "recheck": Op(
            lambda v, case, d: services.case_recheck(case=case, user=v.request.user),
            "已重新检查。",
        ),
    }


def _finding(case: Case, raw) -> Finding:
    finding = Finding.objects.filter(case=case, pk=id_param_value(raw)).first()
    if finding is None:
        raise ValidationError("请选择本案的一项检查结果。")
    return finding


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
    target = DrawTarget.objects.filter(draw=draw, pk=id_param_value(raw)).first()
    if target is None:
        raise ValidationError("请选择本次抽查的检查对象。")
    return target


class DrawDetailView(ObjectActionMixin, CapabilityRequiredMixin, ScopedObjectMixin, View):
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

    ops = {
        "verify": Op(lambda v, draw, d: _verify(v.request, draw), ""),
        "result": Op(
            lambda v, draw, d: services.draw_result(
                target=_target(draw, d["target"]),
                result=d["result"],
                result_on=d["result_on"],
                user=v.request.user,
            ),
            "结果已录入。",
            form=DrawResultForm,
            action="change",
        ),
        "change": Op(
            lambda v, draw, d: services.draw_change(
                target=_target(draw, d["target"]),
                officer_ids=d["officer_ids"],
                reason=d["reason"],
                user=v.request.user,
            ),
            "检查人员已变更,变更理由已记录。",
            form=DrawChangeForm,
            action="change",
        ),
        "publish": Op(
            lambda v, draw, d: services.draw_publish(draw=draw, user=v.request.user),
            "抽查结果已公示。",
            action="change",
        ),
    }


def _verify(request, draw: Draw) -> None:
    ok, message = services.draw_verify(draw)
    (messages.success if ok else messages.error)(request, message)


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
