import datetime

from django.urls import reverse
from django.utils import timezone

from oversight.core.params import BadParameter
from oversight.core.roles import Role, has_capability
from oversight.core.rules import rule_value
from oversight.core.views import (
    Column,
    ImportView,
    ObjectActionMixin,
    ObjectDetailView,
    ObjectListView,
    Op,
    ServiceFormView,
)
from oversight.organisations.models import Unit

from . import delegations, imports, services
from .filtersets import AdjustmentFilterSet
from .forms import (
    AdjustmentForm,
    AnswerForm,
    ConcludeForm,
    DelegationForm_,
    ReviewForm,
    ReviewStartForm,
    ViewForm,
)
from .models import (
    FIELDS,
    Adjustment,
    Delegation,
    DelegationForm,
    DelegationReview,
    ItemClass,
    ItemVersion,
)


def _as_of(request) -> datetime.date:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise BadParameter(f"日期“{raw[:20]}”格式不对,请写成 2026-01-01。") from exc


class CatalogueView(ObjectListView):
    """The catalogue in force on a day (?as_of=, default today), by unit (?unit=)."""

    capability = "catalogue.view"
    model = ItemVersion
    title = "行政执法事项清单"
    export_name = "行政执法事项清单"
    template_name = "catalogue/catalogue.html"
    columns = [
        Column("实施单位", "item.unit"),
        Column("事项编码", "item.code"),
        Column("事项名称", "name"),
        Column("事项类别", "get_item_class_display"),
        Column("设定依据", "legal_basis"),
        Column("依据链接", "basis_url"),
        Column("实施主体", "subject"),
        Column("裁量基准", "benchmark"),
        Column("行使层级", "level"),
        Column("生效日期", "valid_from"),
    ]

    def get_queryset(self):
        units = None
        raw = self.request.GET.get("unit", "")
        if raw.isdigit():
            units = Unit.objects.filter(pk=int(raw))
        base = ItemVersion.objects.restrict(self.request.user, "view")
        if units is not None:
            base = base.filter(item__unit__in=units)
        if self.request.GET.get("idle"):
            return services.idle_items(_as_of(self.request), base=base)
        return services.catalogue_as_of(_as_of(self.request), base=base)

    def extra_context(self):
        return {
            "as_of": _as_of(self.request),
            "units": Unit.objects.filter(is_active=True, is_enforcement=True),
            "unit_id": self.request.GET.get("unit", ""),
            "idle": bool(self.request.GET.get("idle")),
            "idle_years": rule_value("catalogue.idle_years"),
        }

    def get_actions(self):
        if not has_capability(self.request.user, "catalogue.propose"):
            return []
        return [
            ("提出调整", reverse("catalogue:adjustment_add"), "bi-pencil-square"),
            ("按表格导入", reverse("catalogue:import"), "bi-upload"),
            ("调整记录", reverse("catalogue:adjustment_list"), "bi-clock-history"),
        ]


class AdjustmentListView(ObjectListView):
    capability = "catalogue.propose"
    model = Adjustment
    title = "事项清单调整"
    export_name = "事项清单调整"
    filterset_class = AdjustmentFilterSet
    columns = [
        Column("事项编码", "code", link=True),
        Column("实施单位", "unit"),
        Column("调整类型", "get_kind_display", sort="kind"),
        Column("事项名称", lambda a: a.data.get("name", "")),
        Column("生效日期", "effective_on", sort="effective_on"),
        Column("依据文件", "document"),
        Column("状态", "get_status_display", sort="status"),
    ]

    def get_queryset(self):
        return Adjustment.objects.restrict(self.request.user, "view").select_related("unit")


class AdjustmentCreateView(ServiceFormView):
    capability = "catalogue.propose"
    form_class = AdjustmentForm
    form_takes_user = True
    title = "提出事项清单调整"
    success_message = "调整已提交区司法局审核,通过后按生效日期生效。"

    def initial(self):
        return {"effective_on": timezone.localdate(), "kind": "add"}

    def run(self, data):
        return services.adjustment_propose(
            unit=data["unit"], kind=data["kind"], code=data["code"],
            data={k: data.get(k) for k in FIELDS}, reason=data["reason"], document=data["document"],
            effective_on=data["effective_on"], user=self.request.user,
        )  # fmt: skip


class AdjustmentDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "catalogue.propose"
    post_capability = "catalogue.review"
    model = Adjustment
    template_name = "catalogue/adjustment_detail.html"

    def context(self, adjustment):
        current = (
            services.current_version(adjustment.item, adjustment.effective_on)
            if adjustment.item
            else None
        )
        labels = {f: ItemVersion._meta.get_field(f).verbose_name for f in FIELDS}
        classes = dict(ItemClass.choices)

        def shown(field, value):
            return classes.get(value, value) if field == "item_class" else value

        rows = [
            (
                labels[f],
                shown(f, getattr(current, f, "")) if current else "",
                shown(f, adjustment.data.get(f, "")),
            )
            for f in FIELDS
        ]
        return {
            "rows": rows,
            "reviewer": has_capability(self.request.user, "catalogue.review"),
            "review_form": ReviewForm(),
        }

    ops = {
        "review": Op(
            lambda v, a, d: services.adjustment_review(adjustment=a, user=v.request.user, **d),
            lambda r, d: "已通过,按生效日期生效。" if d["approve"] else "已退回。",
            form=ReviewForm,
        )
    }


class CatalogueImportView(ImportView):
    importer_class = imports.CatalogImporter
    success_url = "catalogue:adjustment_list"


# -- delegated items ----------------------------------------------------------------------------
def _capacity(delegation) -> str:
    """The 街办's capacity this year: cases under the item, those with breaches, certified officers."""
    today = timezone.localdate()
    f = delegations.delegation_figures(delegation, datetime.date(today.year, 1, 1), today)
    return f"案件 {f['cases']} 件,违规 {f['breaches']} 件,持证 {f['officers']} 人"


class DelegationListView(ObjectListView):
    capability = "catalogue.delegations"
    model = Delegation
    title = "赋权事项"
    export_name = "赋权事项"
    columns = [
        Column("事项编码", "item.code"),
        Column("事项", "item"),
        Column("赋权部门", "item.unit"),
        Column("承接街办", "subdistrict"),
        Column("赋权文件", "document"),
        Column("赋权日期", "delegated_on", sort="delegated_on"),
        Column("本年承接能力", lambda d: _capacity(d)),
        Column("状态", "get_status_display", sort="status"),
    ]

    def get_queryset(self):
        return Delegation.objects.restrict(self.request.user, "view").select_related(
            "item__unit", "subdistrict"
        )

    def get_actions(self):
        actions = [("评估", reverse("catalogue:delegation_review_list"), "bi-clipboard-check")]
        if has_capability(self.request.user, "catalogue.review"):
            actions = [
                ("登记赋权事项", reverse("catalogue:delegation_add"), "bi-plus-lg"),
                ("发起评估", reverse("catalogue:delegation_review_add"), "bi-clipboard-plus"),
                *actions,
            ]
        return actions


class DelegationCreateView(ServiceFormView):
    capability = "catalogue.review"
    form_class = DelegationForm_
    title = "登记赋权事项"
    success_message = "赋权事项已登记。"

    def run(self, data):
        return delegations.delegation_create(user=self.request.user, **data)

    def success_url(self, result):
        return reverse("catalogue:delegation_list")


class DelegationReviewListView(ObjectListView):
    capability = "catalogue.delegations"
    model = DelegationReview
    title = "赋权事项评估"
    export_name = "赋权事项评估"
    columns = [
        Column("名称", "title", link=True),
        Column("评估期间", lambda r: f"{r.period_from:%Y-%m-%d} 至 {r.period_to:%Y-%m-%d}"),
        Column("填报截止", "due"),
        Column("状态", "get_status_display"),
    ]

    def get_queryset(self):
        return DelegationReview.objects.restrict(self.request.user, "view")


class DelegationReviewCreateView(ServiceFormView):
    capability = "catalogue.review"
    form_class = ReviewStartForm
    title = "发起赋权事项评估"
    success_message = "评估已发起,各街办和赋权部门将收到评估表。"

    def initial(self):
        year = timezone.localdate().year - 1
        return {
            "title": f"{year}年度赋权事项评估",
            "period_from": f"{year}-01-01",
            "period_to": f"{year}-12-31",
        }

    def run(self, data):
        return delegations.review_start(user=self.request.user, **data)


class DelegationReviewDetailView(ObjectDetailView):
    capability = "catalogue.delegations"
    model = DelegationReview
    template_name = "catalogue/delegation_review.html"

    def context(self, review):
        forms = DelegationForm.objects.restrict(self.request.user, "view").filter(review=review)
        return {"forms": forms.select_related("delegation__item__unit", "delegation__subdistrict")}


def _form_units(view, form) -> tuple[bool, bool]:
    user = view.request.user
    ids = user.scope_unit_ids if user.role_codes & {Role.REPORTER, Role.UNIT_HEAD} else frozenset()
    return form.delegation.subdistrict_id in ids, form.delegation.item.unit_id in ids


class DelegationFormView(ObjectActionMixin, ObjectDetailView):
    capability = "catalogue.delegations"
    model = DelegationForm
    template_name = "catalogue/delegation_form.html"

    def dispatch(self, request, *args, **kwargs):
        op = request.POST.get("op")
        self.post_capability = "catalogue.review" if op == "conclude" else "catalogue.propose"
        return super().dispatch(request, *args, **kwargs)

    def context(self, form):
        street, department = _form_units(self, form)
        open_ = form.review.status == DelegationReview.Status.OPEN
        return {
            "street": street and open_,
            "department": department and open_,
            "bureau": has_capability(self.request.user, "catalogue.review") and open_,
            "answer_form": AnswerForm(
                initial={k: getattr(form, k) for k in delegations.ANSWER_FIELDS}
            ),
            "view_form": ViewForm(initial={"view": form.department_view}),
            "conclude_form": ConcludeForm(),
        }

    ops = {
        "submit": Op(
            lambda v, f, d: delegations.form_submit(form=f, data=d, user=v.request.user),
            "评估表已提交。",
            form=AnswerForm,
        ),
        "view": Op(
            lambda v, f, d: delegations.form_department_view(
                form=f, view=d["view"], user=v.request.user
            ),
            "部门意见已提交。",
            form=ViewForm,
        ),
        "conclude": Op(
            lambda v, f, d: delegations.form_conclude(form=f, user=v.request.user, **d),
            "评估结论已作出。",
            form=ConcludeForm,
        ),
    }
