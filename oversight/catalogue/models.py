"""The enforcement item catalogue (行政执法事项清单): each unit's items, changed only by adjustments
(add, change, abolish) that the bureau reviews before they take effect, kept as dated versions so the
catalogue as of any day can be shown."""

from __future__ import annotations

from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel, either, unit_scope_q
from oversight.core.roles import Role


class ItemClass(models.TextChoices):
    PERMIT = "permit", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    REQUISITION = "requisition", "行政征用"
    PAYMENT = "payment", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER = "other", "其他"


FIELDS = ("name", "item_class", "legal_basis", "basis_url", "subject", "benchmark", "level")


class CatalogItem(ScopedModel):
    """An item's identity: its unit and code. What it says lives in its versions."""

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("事项编码", max_length=60)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法事项"
        ordering = ["unit__sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="catalog_code_per_unit")
        ]

    def __str__(self) -> str:
        latest = self.versions.order_by("-valid_from").first()
        return f"{self.code} {latest.name}" if latest else self.code

    @classmethod
    def scope_q(cls, user, action: str):
        # Inside the platform each unit works with its own catalogue (the bureau and leaders with
        # all); the public portal publishes every unit's. Changes go through adjustments.
        return unit_scope_q(user, "view") if action == "view" else None


class ItemVersion(ScopedModel):
    """What an item said from `valid_from` until the day before `valid_to` (open when current)."""

    item = models.ForeignKey(
        CatalogItem, verbose_name="事项", on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField("事项名称", max_length=200)
    item_class = models.CharField("事项类别", max_length=14, choices=ItemClass.choices)
    legal_basis = models.TextField("设定依据")
    basis_url = models.URLField("依据链接", blank=True)
    subject = models.CharField("实施主体", max_length=200)
    benchmark = models.CharField("裁量基准", max_length=300, blank=True)
    level = models.CharField("行使层级", max_length=50, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    adjustment = models.ForeignKey(
        "Adjustment",
        verbose_name="调整",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = verbose_name_plural = "执法事项版本"
        ordering = ["item", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.item.code} {self.name}"

    @classmethod
    def scope_q(cls, user, action: str):
        return unit_scope_q(user, "view", path="item__unit") if action == "view" else None


class Adjustment(ScopedModel):
    """A proposed change to a unit's catalogue, with its reason and the document that made it."""

    class Kind(models.TextChoices):
        ADD = "add", "新增"
        CHANGE = "change", "变更"
        ABOLISH = "abolish", "取消"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已生效"
        REJECTED = "rejected", "未通过"
        tones = nonmember({"pending": "warning", "approved": "success", "rejected": "secondary"})

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("调整类型", max_length=8, choices=Kind.choices)
    item = models.ForeignKey(
        CatalogItem,
        verbose_name="事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
    )
    code = models.CharField("事项编码", max_length=60)
    data = models.JSONField("调整后的内容", default=dict, blank=True)
    reason = models.TextField("调整理由")
    document = models.CharField(
        "调整依据文件", max_length=300, help_text="如:某法修正案、市政府关于调整…的通知(文号)"
    )
    effective_on = models.DateField("生效日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    review_comment = models.TextField("审核意见", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "事项清单调整"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    def get_absolute_url(self) -> str:
        return object_url("catalogue:adjustment_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str):
        # The bureau reviews all; a unit proposes and follows its own.
        return unit_scope_q(user, action)


class Delegation(ScopedModel):
    """An item of a department delegated to a 街办 (赋权), by a document from a date."""

    class Status(models.TextChoices):
        ACTIVE = "active", "实施中"
        TAKEN_BACK = "taken_back", "已收回"
        tones = nonmember({"active": "success", "taken_back": "secondary"})

    item = models.ForeignKey(
        CatalogItem, verbose_name="赋权事项", on_delete=models.PROTECT, related_name="delegations"
    )
    subdistrict = models.ForeignKey(
        "organisations.Unit", verbose_name="承接街办", on_delete=models.PROTECT, related_name="+"
    )
    document = models.CharField("赋权文件", max_length=300)
    delegated_on = models.DateField("赋权日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField("收回日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "赋权事项"
        ordering = ["subdistrict__sort_order", "item__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "subdistrict"],
                condition=Q(status="active"),
                name="delegation_active_once",
                violation_error_message="该事项已赋权给这个街办且仍在实施,请勿重复赋权。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.code} → {self.subdistrict}"

    @classmethod
    def scope_q(cls, user, action: str):
        # The bureau manages; leaders read; the delegating department and the 街办 read theirs.
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action != "view":
            return None
        return either(
            unit_scope_q(user, "view", path="subdistrict"),
            unit_scope_q(user, "view", path="item__unit"),
        )


class DelegationReview(ScopedModel):
    """A periodic evaluation of delegated powers (行政处罚法第24条): a form per delegation."""

    class Status(models.TextChoices):
        OPEN = "open", "评估中"
        CONCLUDED = "concluded", "已完成"
        tones = nonmember({"open": "warning", "concluded": "success"})

    title = models.CharField("名称", max_length=200)
    period_from = models.DateField("评估期间起")
    period_to = models.DateField("评估期间止")
    due = models.DateField("填报截止")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "赋权事项评估"
        ordering = ["-period_to", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("catalogue:delegation_review_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str):
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action == "view":
            forms = either(
                unit_scope_q(user, "view", path="delegation__subdistrict"),
                unit_scope_q(user, "view", path="delegation__item__unit"),
            )
            if forms is None:
                return None
            return Q(pk__in=DelegationForm.objects.filter(forms).values("review_id"))
        return None


class DelegationForm(ScopedModel):
    """One delegation's evaluation: the 街办's account, the department's view, the bureau's conclusion."""

    class Conclusion(models.TextChoices):
        KEEP = "keep", "继续实施"
        ADJUST = "adjust", "调整"
        TAKE_BACK = "take_back", "收回"

    review = models.ForeignKey(
        DelegationReview, verbose_name="评估", on_delete=models.CASCADE, related_name="forms"
    )
    delegation = models.ForeignKey(
        Delegation, verbose_name="赋权事项", on_delete=models.PROTECT, related_name="forms"
    )
    cases = models.PositiveIntegerField("期间办理案件", default=0)
    breaches = models.PositiveIntegerField("期间违规案件", default=0)
    officers = models.PositiveIntegerField("持证执法人员", default=0)
    flags = models.JSONField("提示", default=list, blank=True)
    need = models.TextField("承接需求", blank=True)
    use = models.TextField("实施情况", blank=True)
    capacity = models.TextField("承接能力", blank=True)
    safety = models.TextField("风险与安全", blank=True)
    problems = models.TextField("存在问题", blank=True)
    submitted_at = models.DateTimeField("街办提交时间", null=True, blank=True)
    department_view = models.TextField("赋权部门意见", blank=True)
    viewed_at = models.DateTimeField("部门提交时间", null=True, blank=True)
    conclusion = models.CharField("评估结论", max_length=10, choices=Conclusion.choices, blank=True)
    conclusion_note = models.TextField("结论说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "赋权事项评估表"
        ordering = ["review", "delegation__subdistrict__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "delegation"], name="delegation_form_once")
        ]

    def __str__(self) -> str:
        return f"{self.review} {self.delegation}"

    def get_absolute_url(self) -> str:
        return object_url("catalogue:delegation_form", self.pk)

    @classmethod
    def scope_q(cls, user, action: str):
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action not in {"view", "change"}:
            return None
        return either(
            unit_scope_q(user, action, path="delegation__subdistrict"),
            unit_scope_q(user, action, path="delegation__item__unit"),
        )
