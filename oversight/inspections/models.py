"""Enterprises (inspection targets), enterprise inspections, declared conflicts and double-random
draws (双随机、一公开). Moved out of the cases app: they never reference a case. The tables keep
their names (cases_…), so no data moved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel, act_scope_q
from oversight.core.roles import Role

__all__ = [
    "Draw",
    "DrawChange",
    "DrawTarget",
    "Enterprise",
    "Inspection",
    "InspectionItem",
    "OfficerConflict",
]


class Enterprise(ScopedModel):
    """An enterprise (inspection target) with its credit code and risk tier."""

    class Risk(models.TextChoices):
        LOW = "low", "低风险"
        MEDIUM = "medium", "中风险"
        HIGH = "high", "高风险"

    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    risk = models.CharField("风险等级", max_length=8, choices=Risk.choices, default=Risk.MEDIUM)
    address = models.CharField("地址", max_length=200, blank=True)
    industry = models.CharField("行业", max_length=100, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        db_table = "cases_enterprise"  # the table it had in the cases app
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        # Enterprises are shared reference data: every unit inspecting them reads and records them.
        roles = user.role_codes
        if action == "view" and roles & {
            Role.SUPERVISOR,
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.JUSTICE_OFFICE,
        }:
            return Q()
        if roles & {Role.SUPERVISOR, Role.REPORTER, Role.UNIT_HEAD}:
            return Q()
        return None


class InspectionItem(ScopedModel):
    """An item of a unit's published enterprise inspection list (涉企行政检查事项清单)."""

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("检查事项", max_length=200)
    legal_basis = models.TextField("依据")

    class Meta:
        db_table = "cases_inspectionitem"  # the table it had in the cases app
        verbose_name = "检查事项"
        verbose_name_plural = "检查事项"
        ordering = ["unit__sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        if action == "view" and user.role_codes & {
            Role.SUPERVISOR,
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.OFFICER,
            Role.JUSTICE_OFFICE,
        }:
            return Q()
        return act_scope_q(user, action)


class Inspection(ScopedModel):
    """An inspection of an enterprise by a unit: routine, on complaint, special, or joint (综合查一次)."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "例行检查"
        RANDOM = "random", "双随机抽查"
        COMPLAINT = "complaint", "投诉举报核查"
        FOLLOW_UP = "follow_up", "整改复查"
        SPECIAL = "special", "专项检查"
        JOINT = "joint", "联合检查(综合查一次)"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="检查单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("检查类型", max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    date = models.DateField("检查日期")
    items = models.ManyToManyField(InspectionItem, verbose_name="检查事项", blank=True)
    officers = models.ManyToManyField(
        "enforcement.Officer", verbose_name="检查人员", related_name="inspections"
    )
    result = models.TextField("检查结果", blank=True)
    draw_target = models.OneToOneField(
        "DrawTarget",
        verbose_name="抽查任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection",
    )
    warnings = models.JSONField("提示", default=list, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        db_table = "cases_inspection"  # the table it had in the cases app
        verbose_name = "涉企检查"
        verbose_name_plural = "涉企检查"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["enterprise", "date"], name="inspection_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_list") + f"?enterprise={self.enterprise_id}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return act_scope_q(user, action)


class OfficerConflict(models.Model):
    """A link an officer declared with an enterprise (relative, former employer…): never drawn to it."""

    officer = models.ForeignKey(
        "enforcement.Officer",
        verbose_name="执法人员",
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.CharField("关系说明", max_length=200)

    class Meta:
        db_table = "cases_officerconflict"  # the table it had in the cases app
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"
        constraints = [
            models.UniqueConstraint(fields=["officer", "enterprise"], name="conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.enterprise}"


class Draw(ScopedModel):
    """A double-random draw (双随机): targets by risk tier and officers for each, reproducible from
    its seed, algorithm version and the hashes of both pools."""

    class Status(models.TextChoices):
        DRAWN = "drawn", "已抽取"
        PUBLISHED = "published", "结果已公示"

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="抽查单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=200)
    drawn_on = models.DateField("抽取日期")
    quotas = models.JSONField(
        "抽取比例或数量", help_text='按风险等级:{"high": {"ratio": 0.5}, "medium": {"count": 3}}'
    )
    officers_per_target = models.PositiveSmallIntegerField("每户检查人员", default=2)
    seed = models.CharField("随机种子", max_length=64)
    algorithm = models.CharField("算法版本", max_length=20)
    targets_hash = models.CharField("检查对象库摘要", max_length=64)
    officers_hash = models.CharField("执法人员库摘要", max_length=64)
    target_pool = models.JSONField("检查对象库")
    officer_pool = models.JSONField("执法人员库")
    exclusions = models.JSONField(
        "回避排除", default=dict, help_text="企业 → 不得抽到的人员(回避关系与上次抽查的人员)"
    )
    exclusions_hash = models.CharField("回避排除摘要", max_length=64, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAWN)
    published_on = models.DateField("公示日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        db_table = "cases_draw"  # the table it had in the cases app
        verbose_name = "双随机抽查"
        verbose_name_plural = "双随机抽查"
        ordering = ["-drawn_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("inspections:draw_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        if not user.role_codes & {
            Role.SUPERVISOR,
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.JUSTICE_OFFICE,
        }:
            return None  # draws are the unit's business, not an individual officer's
        return act_scope_q(user, action)


class DrawTarget(models.Model):
    """One drawn enterprise and the officers assigned to it; its result is entered after inspecting."""

    draw = models.ForeignKey(
        Draw, verbose_name="抽查", on_delete=models.CASCADE, related_name="targets"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    officer_ids = models.JSONField("检查人员")
    result = models.TextField("抽查结果", blank=True)
    result_on = models.DateField("结果录入日期", null=True, blank=True)

    class Meta:
        db_table = "cases_drawtarget"  # the table it had in the cases app
        verbose_name = "抽查对象"
        verbose_name_plural = "抽查对象"
        ordering = ["draw", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "enterprise"], name="draw_target_once")
        ]

    def __str__(self) -> str:
        return str(self.enterprise)


class DrawChange(models.Model):
    """A change to a draw after it was made, with the reason (the draw itself never changes)."""

    draw = models.ForeignKey(
        Draw, verbose_name="抽查", on_delete=models.CASCADE, related_name="changes"
    )
    target = models.ForeignKey(
        DrawTarget, verbose_name="抽查对象", on_delete=models.CASCADE, related_name="changes"
    )
    before = models.JSONField("变更前")
    after = models.JSONField("变更后")
    reason = models.CharField("理由", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        db_table = "cases_drawchange"  # the table it had in the cases app
        verbose_name = "抽查变更"
        verbose_name_plural = "抽查变更"
        ordering = ["draw", "time"]

    def __str__(self) -> str:
        return self.reason
