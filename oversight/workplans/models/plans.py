"""Plans, the notice each came from, tasks with their units, deadlines and milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel

from ..scoping import plan_scope


class Cadence(models.TextChoices):
    """How often a standing task (长期坚持) is reported on."""

    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"


class Plan(ScopedModel):
    """A work plan (任务分解清单): the tasks a notice breaks policy into, with units and deadlines."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "已确认"
        ISSUED = "issued", "已下发"
        CLOSED = "closed", "已结束"

    title = models.CharField("计划名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    report_cadence = models.CharField(
        "长期任务报送周期", max_length=16, choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    require_head_approval = models.BooleanField(
        "报告须经单位负责人审核",
        default=False,
        help_text="勾选后,单位报送的报告先由本单位负责人审核,再提交监督机构",
    )
    issued_at = models.DateTimeField("下发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="下发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["-created_at"]

    # The column `str()` reads: selects list these records as (id, title) pairs.
    label_field = "title"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("workplans:plan_detail", self.pk)

    @property
    def notice(self) -> Notice | None:
        return self.notices.order_by("-version").first()

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return plan_scope(user, action, "pk")


class Notice(ScopedModel):
    """The official document (通知) a plan was read from; a revised notice is a new version."""

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="notices"
    )
    version = models.PositiveSmallIntegerField("版本", default=1)
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    date = models.DateField("成文日期", null=True, blank=True)
    addressees = models.JSONField("主送单位", default=list, blank=True)
    source_format = models.CharField("来源格式", max_length=10)
    filename = models.CharField("文件名", max_length=200, blank=True)
    source_text = models.TextField("原文")
    content_hash = models.CharField("内容摘要(SHA-256)", max_length=64, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["plan", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="notice_plan_version_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return plan_scope(user, action, "plan")


class Task(ScopedModel):
    """One row of the plan (工作任务), or a duty written in the notice's body."""

    class Kind(models.TextChoices):
        TABLE = "table", "清单任务"
        BODY = "body", "正文要求"

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.TABLE)
    number = models.CharField("序号", max_length=10)
    order = models.PositiveIntegerField("排序")
    part = models.CharField("部分", max_length=100, blank=True)
    section = models.CharField("类别", max_length=100, blank=True)
    title = models.CharField("任务名称", max_length=200)
    text = models.TextField("任务内容")
    units_text = models.CharField("责任单位(原文)", max_length=500, blank=True)
    deadline_text = models.CharField("完成时限(原文)", max_length=200, blank=True)
    is_standing = models.BooleanField("长期任务", default=False)
    due_date = models.DateField("完成时限", null=True, blank=True)
    source_lines = models.JSONField("原文行号", default=dict, blank=True)
    report_cadence = models.CharField(
        "报送周期",
        max_length=16,
        choices=Cadence.choices,
        blank=True,
        help_text="为空时按计划的报送周期",
    )

    class Meta:
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        ordering = ["plan", "kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "number"], name="task_plan_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return object_url("workplans:task_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return plan_scope(user, action, "task")


class TaskDeadline(models.Model):
    """A deadline of a task: a date, or standing (长期坚持)."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="deadlines"
    )
    date = models.DateField("日期", null=True, blank=True)
    standing = models.BooleanField("长期坚持", default=False)
    text = models.CharField("原文", max_length=100, blank=True)

    class Meta:
        verbose_name = "完成时限"
        verbose_name_plural = "完成时限"
        ordering = ["task", "standing", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(standing=True, date__isnull=True)
                | Q(standing=False, date__isnull=False),
                name="deadline_date_or_standing",
                violation_error_message="完成时限应为一个日期,或为“长期坚持”,二者只能选一。",
            )
        ]

    def __str__(self) -> str:
        return "长期坚持" if self.standing else f"{self.date:%Y-%m-%d}"


class TaskUnit(models.Model):
    """A unit or unit group named for a task; a group expands to its members when assigned."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        "organisations.UnitGroup",
        verbose_name="单位组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("原文名称", max_length=100)
    is_lead = models.BooleanField("牵头单位", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["task", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, group__isnull=True)
                | Q(unit__isnull=True, group__isnull=False),
                name="task_unit_xor_group",
                violation_error_message="责任单位应为一个单位或一个单位组,二者只能选一。",
            ),
            models.UniqueConstraint(fields=["task", "unit"], name="task_unit_unique"),
            models.UniqueConstraint(fields=["task", "group"], name="task_group_unique"),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.group)


class Milestone(models.Model):
    """A dated step (时间节点) inside a task, or a yearly one, or one counted from an event."""

    class Recurrence(models.TextChoices):
        YEARLY = "yearly", "每年"

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="milestones"
    )
    date = models.DateField("日期", null=True, blank=True)
    recurrence = models.CharField("周期", max_length=10, choices=Recurrence.choices, blank=True)
    month_day = models.CharField("每年日期", max_length=10, blank=True)
    period = models.CharField("起算期限", max_length=60, blank=True)
    text = models.TextField("内容")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["task", "order"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def recurrence_label(self) -> str:
        """每年2月末 / 每年1月15日, from month_day ("02-月末", "01-15")."""
        if not self.month_day:
            return ""
        month, _, day = self.month_day.partition("-")
        return f"每年{int(month)}月{'末' if day == '月末' else f'{int(day)}日'}"
