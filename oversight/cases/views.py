from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from oversight.core.params import id_param_value
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

from . import checks, imports, services, tallies
from .filtersets import LIGHTS, CaseFilterSet
from .forms import (
    CaseForm,
    EscalateForm,
    ExtensionForm,
    LeniencyForm,
    RecordForm,
)
from .models import (
    Case,
    Finding,
    LeniencyItem,
)
from .selectors import case_list, finding_figures, mode_figures


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

    def known_total(self, filterset) -> int | None:
        """Filtered by light alone, red or yellow: the per-unit counts the check keeps."""
        if filterset is None or not filterset.is_bound or not filterset.is_valid():
            return None
        chosen = {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
        if set(chosen) != {"light"}:
            return None
        return tallies.lit_total(self.request.user, chosen["light"])

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
        figures = finding_figures(user=request.user, by_rule=True)
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
