"""Periodic bulletins (定期通报) and evaluations (中期评估 / 终期评估) of a work plan.

Moved out of the workplans app, which they only read: the tables keep their names (workplans_…).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel
from oversight.core.roles import Role
from oversight.workplans.models import Plan

from .scoping import plan_child_scope

__all__ = ["Bulletin", "BulletinSchedule", "EvaluationResult", "EvaluationScheme"]


class Bulletin(ScopedModel):
    """A periodic bulletin (定期通报) on a plan: figures as of the end of its period, ranking, laggards.

    A draft computes its figures when shown; publishing freezes them in `figures`, numbers the
    bulletin and tells the units.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    class Period(models.TextChoices):
        MONTH = "month", "月度"
        QUARTER = "quarter", "季度"
        CUSTOM = "custom", "自定义"

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="bulletins"
    )
    period = models.CharField(
        "通报周期", max_length=10, choices=Period.choices, default=Period.QUARTER
    )
    date_from = models.DateField("统计起始日")
    date_to = models.DateField("统计截止日")
    title = models.CharField("标题", max_length=200)
    intro = models.TextField("导语", blank=True)
    highlights = models.TextField("经验做法", blank=True, help_text="监督机构填写的好做法、好经验")
    requirements = models.TextField("下步要求", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField("文号", max_length=40, blank=True)
    figures = models.JSONField("发布时的数据", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        db_table = "workplans_bulletin"  # the table it had in the workplans app
        verbose_name = "定期通报"
        verbose_name_plural = "定期通报"
        ordering = ["-date_to", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__lte=models.F("date_to")),
                name="bulletin_period_order",
                violation_error_message="统计起始日不能晚于截止日。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("bulletins:bulletin_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return plan_child_scope(user, action)


class BulletinSchedule(models.Model):
    """Draft a bulletin automatically, e.g. on the 5th working day of each quarter."""

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="bulletin_schedules"
    )
    period = models.CharField(
        "通报周期",
        max_length=10,
        choices=[("month", "月度"), ("quarter", "季度")],
        default="quarter",
    )
    workday = models.PositiveSmallIntegerField("在新周期的第几个工作日生成", default=5)
    active = models.BooleanField("启用", default=True)
    last_period_end = models.DateField("已生成至", null=True, blank=True)

    class Meta:
        db_table = "workplans_bulletinschedule"  # the table it had in the workplans app
        verbose_name = "定期通报计划"
        verbose_name_plural = "定期通报计划"

    def __str__(self) -> str:
        return f"{self.plan}:每{self.get_period_display()}第{self.workday}个工作日"


class EvaluationScheme(ScopedModel):
    """A scored evaluation (中期评估 / 终期评估) of every unit on a plan, as of a date."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", "中期评估"
        FINAL = "final", "终期评估"

    class Status(models.TextChoices):
        DRAFT = "draft", "方案草稿"
        SCORED = "scored", "已评分"
        PUBLISHED = "published", "已发布"

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    as_of = models.DateField("评估截止日")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    task_weights = models.JSONField(
        "任务权重", default=dict, blank=True, help_text="任务序号 → 权重;未列出的任务权重为 1"
    )
    points_per_overdue_workday = models.DecimalField(
        "每逾期一个工作日扣分", max_digits=5, decimal_places=2, default=2
    )
    points_per_returned_report = models.DecimalField(
        "每次报告被退回扣分", max_digits=5, decimal_places=2, default=5
    )
    points_per_missed_period = models.DecimalField(
        "每期应报未报扣分", max_digits=5, decimal_places=2, default=10
    )
    # The unit's supervision record in the evaluation year (行政执法监督), deducted once per unit.
    points_per_substantiated_clue = models.DecimalField(
        "每件属实投诉线索扣分", max_digits=5, decimal_places=2, default=2
    )
    points_per_late_document_reply = models.DecimalField(
        "每份监督文书逾期回复扣分", max_digits=5, decimal_places=2, default=2
    )
    points_per_failed_rectification = models.DecimalField(
        "每份监督文书整改未通过扣分", max_digits=5, decimal_places=2, default=3
    )
    points_per_sanction = models.DecimalField(
        "每次约谈、通报、移送扣分", max_digits=5, decimal_places=2, default=5
    )
    # Case-file review (案卷评查) in the evaluation year: per file graded 不合格.
    points_per_failed_review_file = models.DecimalField(
        "每份不合格评查案卷扣分", max_digits=5, decimal_places=2, default=3
    )
    max_bonus = models.DecimalField("加分上限", max_digits=5, decimal_places=2, default=10)
    grades = models.JSONField(
        "等次",
        default=list,
        help_text='[[最低分, 等次], …] 从高到低,如 [[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]]',
    )
    number = models.CharField("文号", max_length=40, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        db_table = "workplans_evaluationscheme"  # the table it had in the workplans app
        verbose_name = "评估"
        verbose_name_plural = "评估"
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("bulletins:evaluation_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return plan_child_scope(user, action)


class EvaluationResult(ScopedModel):
    """One unit's score in an evaluation: computed, adjusted with reasons, objected to once, settled."""

    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name="评估", on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    auto_score = models.DecimalField("系统评分", max_digits=6, decimal_places=2)
    adjustment = models.DecimalField("调整分", max_digits=6, decimal_places=2, default=0)
    adjustment_reason = models.TextField("调整理由", blank=True)
    bonus = models.DecimalField("加分", max_digits=5, decimal_places=2, default=0)
    bonus_reason = models.TextField("加分事项", blank=True)
    final_score = models.DecimalField("最终得分", max_digits=6, decimal_places=2)
    grade = models.CharField("等次", max_length=10)
    rank = models.PositiveIntegerField("排名", default=0)
    detail = models.JSONField("评分明细", default=list)
    objection = models.TextField("异议", blank=True)
    objection_at = models.DateTimeField("提出异议时间", null=True, blank=True)
    objection_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="异议人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settlement = models.TextField("异议处理意见", blank=True)
    settled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        db_table = "workplans_evaluationresult"  # the table it had in the workplans app
        verbose_name = "评估结果"
        verbose_name_plural = "评估结果"
        ordering = ["scheme", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="evaluation_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.final_score}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        roles = user.role_codes
        if Role.SUPERVISOR in roles:
            return Q()
        if action == "view" and Role.LEADER in roles:
            return Q(scheme__status="published")
        from oversight.core.roles import UNIT_ROLES

        if roles & UNIT_ROLES and user.scope_unit_ids:
            # A unit sees (and objects to) its own published result.
            return Q(scheme__status="published", unit__in=user.scope_unit_ids)
        return None
