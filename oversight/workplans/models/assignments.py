"""A unit's share of a task and what hangs off it: measures, reports with revisions and
evidence, extensions, the timeline."""

from __future__ import annotations

from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel

from ..scoping import assignment_scope
from . import evidence_path
from .plans import Milestone, Task


class Assignment(ScopedModel):
    """One unit's share of a task (任务分解到单位): signed for, broken down, reported on, closed."""

    class Status(models.TextChoices):
        ISSUED = "issued", "待签收"
        SIGNED = "signed", "落实中"
        HAND_BACK = "hand_back", "申请退回"
        # Handed back (退回): the bureau agreed the task is not this unit's. Not a report's
        # "returned" (退回修改), which goes back to the unit for revision.
        HANDED_BACK = "handed_back", "已退回"
        COMPLETION = "completion", "申请办结"
        COMPLETED = "completed", "已办结"
        # The colour each status shows in (Bootstrap's text-bg-*), by what it means.
        tones = nonmember(
            {
                "issued": "secondary",
                "signed": "primary",
                "hand_back": "warning",
                "handed_back": "dark",
                "completion": "info",
                "completed": "success",
            }
        )

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments"
    )
    # The task's plan, kept here so that a plan's assignments are found through an index of
    # their own, not a join over every task of the district (set from the task on save).
    plan = models.ForeignKey(
        "workplans.Plan",
        verbose_name="工作计划",
        on_delete=models.CASCADE,
        related_name="assignments",
        editable=False,
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
    # The light and what it rests on, stored (lights.decide) so that counts, lists and dashboards
    # are SQL over these columns. Written in the same transaction as every event on the
    # assignment; `light_next_on` is the first day on which the passing of time alone can change
    # them (a deadline passes, a warning window opens, a new reporting period begins), when the
    # scheduler decides them again. `light_on` is the day they were decided for: None means
    # "decide again" (new, or a rule or the calendar changed).
    light = models.PositiveSmallIntegerField(
        "亮灯", choices=[(0, "绿灯"), (1, "黄灯"), (2, "红灯")], default=0
    )
    light_on = models.DateField("亮灯判定日期", null=True, blank=True)
    light_next_on = models.DateField("亮灯复核日期", null=True, blank=True, db_index=True)
    next_due_on = models.DateField("下一截止日期", null=True, blank=True)
    next_due_label = models.CharField("下一截止事项", max_length=60, blank=True)
    obligations_due = models.PositiveIntegerField("已到期事项数", default=0)
    obligations_on_time = models.PositiveIntegerField("按时完成事项数", default=0)

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task__plan", "task__kind", "task__order", "-is_lead", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_task_unit_unique")
        ]
        indexes = [
            models.Index(fields=["status"], name="assignment_status_idx"),
            # Counting lights (and how many wait to be signed) reads this narrow index alone:
            # 41 ms → 8 ms over 100,000 assignments.
            models.Index(fields=["light", "status"], name="assignment_light_status_idx"),
            models.Index(fields=["unit", "light"], name="assignment_unit_light_idx"),
            # A plan's lights counted from the index alone, and a plan's rows in the ledger's
            # order (worst light, next date): the plan page's waiting requests walked the
            # district-wide order and skipped every other plan's rows (33 ms; 3 ms here).
            models.Index(
                fields=["plan", "-light", "next_due_on", "id"], name="assignment_plan_light_due_idx"
            ),
            models.Index(fields=["-light", "next_due_on", "id"], name="assignment_light_due_idx"),
            models.Index(
                fields=["light_on"],
                condition=Q(light_on__isnull=True),
                name="assignment_light_undecided_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} {self.task.title} · {self.unit}"

    def save(self, *args, **kwargs):
        if self.plan_id is None and self.task_id is not None:
            self.plan_id = Task.objects.filter(pk=self.task_id).values_list("plan_id").get()[0]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("workplans:assignment_detail", self.pk)

    @property
    def is_active(self) -> bool:
        return self.status not in {self.Status.HANDED_BACK, self.Status.COMPLETED}

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
        return object_url("workplans:report_detail", self.pk)

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
        return object_url("workplans:evidence_file", self.pk)


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
