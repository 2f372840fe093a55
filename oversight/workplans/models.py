"""Work plans: the notice a plan comes from, its tasks, their units, deadlines and milestones."""

from __future__ import annotations

from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from oversight.core.querysets import ScopedModel

from .scoping import assignment_scope, plan_scope

__all__ = [
    "Assignment",
    "AssignmentEvent",
    "Cadence",
    "Evidence",
    "Extension",
    "Measure",
    "Milestone",
    "Notice",
    "NotificationRule",
    "Plan",
    "Report",
    "ReportRevision",
    "SupervisionLetter",
    "Task",
    "TaskDeadline",
    "TaskUnit",
]


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

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplans:plan_detail", args=[self.pk])

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
        return reverse("workplans:task_detail", args=[self.pk])

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


class Assignment(ScopedModel):
    """One unit's share of a task (任务分解到单位): signed for, broken down, reported on, closed."""

    class Status(models.TextChoices):
        ISSUED = "issued", "待签收"
        SIGNED = "signed", "落实中"
        HAND_BACK = "hand_back", "申请退回"
        RETURNED = "returned", "已退回"
        COMPLETION = "completion", "申请办结"
        COMPLETED = "completed", "已办结"
        # The colour each status shows in (Bootstrap's text-bg-*), by what it means.
        tones = nonmember(
            {
                "issued": "secondary",
                "signed": "primary",
                "hand_back": "warning",
                "returned": "dark",
                "completion": "info",
                "completed": "success",
            }
        )

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField("牵头单位", default=False)
    via_group = models.ForeignKey(
        "organisations.UnitGroup",
        verbose_name="来自单位组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField("下发时间")
    sign_due = models.DateField("签收期限")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField("完成时限", null=True, blank=True, help_text="延期批准后为新的时限")
    hand_back_reason = models.TextField("退回理由", blank=True)
    completion_note = models.TextField("办结说明", blank=True)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    lead_summary = models.TextField("牵头单位汇总", blank=True)
    lead_summary_at = models.DateTimeField("汇总时间", null=True, blank=True)

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task__plan", "task__kind", "task__order", "-is_lead", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_task_unit_unique")
        ]
        indexes = [models.Index(fields=["status"], name="assignment_status_idx")]

    def __str__(self) -> str:
        return f"{self.task.number} {self.task.title} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("workplans:assignment_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status not in {self.Status.RETURNED, self.Status.COMPLETED}

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return assignment_scope(user, action, "")


class Measure(models.Model):
    """A step of a unit's breakdown (量化分解): who does what by when, with what evidence."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="任务分工", on_delete=models.CASCADE, related_name="measures"
    )
    content = models.TextField("具体措施")
    responsible_person = models.CharField("责任人", max_length=50)
    planned_date = models.DateField("时间节点")
    expected_evidence = models.CharField("预期佐证材料", max_length=200, blank=True)
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="对应时间节点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done = models.BooleanField("已完成", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "分解措施"
        verbose_name_plural = "分解措施"
        ordering = ["assignment", "planned_date", "order"]

    def __str__(self) -> str:
        return self.content[:40]


class Report(ScopedModel):
    """A progress report (进度报送) of one unit on one obligation: a period, a milestone, completion."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", "定期报告"
        MILESTONE = "milestone", "节点报告"
        FINAL = "final", "完成报告"

    class SelfStatus(models.TextChoices):
        ON_TRACK = "on_track", "按计划推进"
        AT_RISK = "at_risk", "存在风险"
        BEHIND = "behind", "进度滞后"
        DONE = "done", "已完成"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING_APPROVAL = "pending_approval", "待单位负责人审核"
        SUBMITTED = "submitted", "待监督机构审核"
        RETURNED = "returned", "已退回修改"
        ACCEPTED = "accepted", "已通过"
        # The colour each status shows in (Bootstrap's text-bg-*), by what it means.
        tones = nonmember(
            {
                "draft": "light",
                "pending_approval": "info",
                "submitted": "info",
                "returned": "danger",
                "accepted": "success",
            }
        )

    assignment = models.ForeignKey(
        Assignment, verbose_name="任务分工", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    due_date = models.DateField("应报日期", help_text="所报送义务的截止日期")
    period_start = models.DateField("报告期起", null=True, blank=True)
    period_end = models.DateField("报告期止", null=True, blank=True)
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="时间节点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_text = models.TextField("工作进展")
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    self_status = models.CharField(
        "自评状态", max_length=12, choices=SelfStatus.choices, default=SelfStatus.ON_TRACK
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="单位审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("单位审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "进度报告"
        verbose_name_plural = "进度报告"
        ordering = ["assignment", "due_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "due_date", "kind"], name="report_once_per_obligation"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="report_status_idx")]

    def __str__(self) -> str:
        return f"{self.assignment.unit} {self.get_kind_display()}({self.due_date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("workplans:report_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return assignment_scope(user, action, "assignment")


class ReportRevision(models.Model):
    """The content of a report as submitted each time; a returned and revised report keeps them all."""

    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveSmallIntegerField("版本")
    content = models.JSONField("内容")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    review_comment = models.TextField("退回意见", blank=True)

    class Meta:
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"
        ordering = ["report", "version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="report_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} 第{self.version}版"


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    """A file attached to a report as evidence (佐证材料), stored under its SHA-256."""

    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("workplans:evidence_file", args=[self.pk])


class Extension(models.Model):
    """A request to move an assignment's deadline, and the supervisor's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"
        # The colour each status shows in (Bootstrap's text-bg-*), by what it means.
        tones = nonmember({"pending": "warning", "approved": "success", "refused": "secondary"})

    assignment = models.ForeignKey(
        Assignment, verbose_name="任务分工", on_delete=models.CASCADE, related_name="extensions"
    )
    old_date = models.DateField("原时限")
    requested_date = models.DateField("申请延至")
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["assignment", "-requested_at"]

    def __str__(self) -> str:
        return f"{self.assignment.unit} 申请延至 {self.requested_date:%Y-%m-%d}"


class AssignmentEvent(models.Model):
    """The timeline of an assignment: signing, breakdown, reports, reviews, reminders, letters."""

    class Action(models.TextChoices):
        ISSUE = "issue", "下发"
        SIGN = "sign", "签收"
        HAND_BACK_REQUEST = "hand_back_request", "申请退回"
        HAND_BACK_APPROVE = "hand_back_approve", "同意退回"
        HAND_BACK_REFUSE = "hand_back_refuse", "不同意退回"
        BREAKDOWN = "breakdown", "量化分解"
        REPORT_SUBMIT = "report_submit", "报送报告"
        REPORT_APPROVE = "report_approve", "单位负责人审核通过"
        REPORT_REJECT = "report_reject", "单位负责人退回"
        REPORT_ACCEPT = "report_accept", "报告通过"
        REPORT_RETURN = "report_return", "报告退回"
        EXTENSION_REQUEST = "extension_request", "申请延期"
        EXTENSION_APPROVE = "extension_approve", "批准延期"
        EXTENSION_REFUSE = "extension_refuse", "不批准延期"
        COMPLETION_REQUEST = "completion_request", "申请办结"
        COMPLETION_CONFIRM = "completion_confirm", "确认办结"
        COMPLETION_REFUSE = "completion_refuse", "不予办结"
        LEAD_SUMMARY = "lead_summary", "牵头单位汇总"
        REMINDER = "reminder", "催办提醒"
        LETTER_PROPOSED = "letter_proposed", "建议发督办函"
        LETTER_ISSUED = "letter_issued", "发出督办函"
        UNITS_CHANGED = "units_changed", "调整责任单位"

    assignment = models.ForeignKey(
        Assignment, verbose_name="任务分工", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("事项", max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    comment = models.TextField("说明", blank=True)
    report = models.ForeignKey(
        Report,
        verbose_name="报告",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["assignment", "time", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.time:%Y-%m-%d}"


class NotificationRule(models.Model):
    """When to tell whom about an obligation: N working days before or after its date, or on an event.

    Data, not code: the supervisor edits them. Defaults: 3 working days before; on the day; every 2
    working days while overdue; after 5 overdue working days propose a 督办函.
    """

    class Trigger(models.TextChoices):
        BEFORE = "before", "截止前 N 个工作日"
        ON_DUE = "on_due", "截止当日"
        AFTER = "after", "逾期 N 个工作日起"
        EVENT = "event", "状态变化时"

    class Action(models.TextChoices):
        REMIND = "remind", "发送提醒"
        PROPOSE_LETTER = "propose_letter", "建议发督办函"

    name = models.CharField("名称", max_length=100)
    trigger = models.CharField("触发条件", max_length=10, choices=Trigger.choices)
    workdays = models.PositiveSmallIntegerField("工作日数", default=0)
    repeat_every = models.PositiveSmallIntegerField("重复间隔(工作日)", null=True, blank=True)
    event = models.CharField(
        "状态变化",
        max_length=30,
        blank=True,
        help_text="触发条件为“状态变化时”时填写,如 report_return",
    )
    recipients = models.JSONField(
        "接收人", default=list, help_text="角色:reporter、unit_head、supervisor"
    )
    channels = models.JSONField(
        "渠道", default=list, help_text="in_app、email、webhook;in_app 总是发送"
    )
    urgent = models.BooleanField("立即发送邮件", default=False, help_text="否则计入每日汇总")
    action = models.CharField("动作", max_length=16, choices=Action.choices, default=Action.REMIND)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"
        ordering = ["trigger", "workdays", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workplans:notification_rule_edit", args=[self.pk])


class SupervisionLetter(ScopedModel):
    """A 督办函: proposed by the scheduler after long overdue, issued by the supervisor with a number."""

    class Level(models.TextChoices):
        BLUE = "blue", "蓝色督办"
        YELLOW = "yellow", "黄色督办"
        RED = "red", "红色督办"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "建议发函"
        ISSUED = "issued", "已发函"
        DISMISSED = "dismissed", "不发函"
        # The colour each status shows in (Bootstrap's text-bg-*), by what it means.
        tones = nonmember({"proposed": "warning", "issued": "primary", "dismissed": "secondary"})

    assignment = models.ForeignKey(
        Assignment, verbose_name="任务分工", on_delete=models.CASCADE, related_name="letters"
    )
    due_date = models.DateField("逾期事项截止日")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    level = models.CharField("督办等级", max_length=8, choices=Level.choices, default=Level.BLUE)
    number = models.CharField("文号", max_length=40, blank=True)
    content = models.TextField("督办内容", blank=True)
    reply_due = models.DateField("回复期限", null=True, blank=True)
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("发函时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办函"
        verbose_name_plural = "督办函"
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "due_date"], name="letter_once_per_obligation"
            )
        ]

    def __str__(self) -> str:
        return self.number or f"督办建议:{self.assignment}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return assignment_scope(user, action, "assignment")
