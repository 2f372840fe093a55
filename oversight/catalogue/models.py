"""The enforcement item catalogue (行政执法事项清单): each unit's items, changed only by adjustments
(add, change, abolish) that the bureau reviews before they take effect, kept as dated versions so the
catalogue as of any day can be shown."""

from __future__ import annotations

from enum import nonmember

from django.conf import settings
from django.db import models

from oversight.core.querysets import ScopedModel, unit_scope_q


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
        from django.urls import reverse

        return reverse("catalogue:adjustment_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action: str):
        # The bureau reviews all; a unit proposes and follows its own.
        return unit_scope_q(user, action)
