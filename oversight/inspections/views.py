from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from oversight.core.params import id_param, id_param_value
from oversight.core.roles import has_capability
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ImportView,
    ObjectActionMixin,
    ObjectFormView,
    ObjectListView,
    Op,
    ScopedObjectMixin,
    ServiceFormView,
)
from oversight.enforcement.models import Officer

from . import imports, services
from .forms import (
    ConflictForm,
    DrawChangeForm,
    DrawForm,
    DrawResultForm,
    EnterpriseForm,
    InspectionForm,
)
from .models import (
    Draw,
    DrawTarget,
    Enterprise,
    Inspection,
    OfficerConflict,
)

LIGHTS = [("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")]


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
                ("登记企业", reverse("inspections:enterprise_add"), "bi-plus-lg"),
                ("导入检查对象名录", reverse("inspections:enterprise_import"), "bi-upload"),
                ("回避关系", reverse("inspections:conflict_list"), "bi-person-x"),
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
        return reverse("inspections:enterprise_list")


class InspectionListView(ObjectListView):
    capability = "cases.view"
    model = Inspection
    title = "涉企检查"
    export_name = "涉企检查"
    template_name = "inspections/inspection_list.html"
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
            [("登记检查", reverse("inspections:inspection_add"), "bi-plus-lg")]
            if has_capability(self.request.user, "cases.record")
            else []
        )


class InspectionCreateView(ServiceFormView):
    capability = "cases.record"
    form_class = InspectionForm
    form_takes_user = True
    title = "登记涉企检查"
    success_message = "检查已登记。"

    def run(self, data):
        inspection = services.inspection_record(
            data={k: v for k, v in data.items() if k not in {"officers", "items"}},
            officers=list(data["officers"]),
            items=list(data["items"]),
            user=self.request.user,
        )
        for warning in inspection.warnings:
            messages.warning(self.request, warning)
        return inspection

    def success_url(self, inspection) -> str:
        return reverse("inspections:inspection_list")


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
            [("新建抽查", reverse("inspections:draw_add"), "bi-shuffle")]
            if has_capability(self.request.user, "cases.record")
            else []
        )


class DrawCreateView(ServiceFormView):
    capability = "cases.record"
    form_class = DrawForm
    form_takes_user = True
    title = "双随机抽查:抽取检查对象和检查人员"

    def run(self, data):
        return services.draw_perform(
            unit=data["unit"],
            title=data["title"],
            quotas=self.form.quotas(),
            officers_per_target=data["officers_per_target"],
            user=self.request.user,
        )

    def success_message(self, draw) -> str:
        return f"已抽取 {draw.targets.count()} 户。"


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
            "inspections/draw_detail.html",
            {
                "draw": draw,
                "targets": targets,
                "can_edit": can_edit,
                "due": services.draw_publication_due(draw),
                "pool_officers": officers.values(),
                "today": timezone.localdate(),
                "supervisor": has_capability(request.user, "cases.supervise"),
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
    success_url = "inspections:enterprise_list"


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
        return [("登记回避关系", reverse("inspections:conflict_add"), "bi-plus-lg")]


class ConflictCreateView(ServiceFormView):
    capability = "cases.record"
    form_class = ConflictForm
    form_takes_user = True
    title = "登记回避关系"
    success_message = "回避关系已登记,今后抽查不会把该人员派往该企业。"

    def run(self, data):
        return services.conflict_declare(user=self.request.user, **data)

    def success_url(self, conflict) -> str:
        return reverse("inspections:conflict_list")
