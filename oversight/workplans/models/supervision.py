"""The bureau's reminder rules and supervision letters (督办函)."""

from __future__ import annotations

from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel

from ..scoping import assignment_scope
from .assignments import Assignment


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

    class Event(models.TextChoices):
        # The status changes the loop announces (notify.event names them).
        PLAN_ISSUED = "plan_issued", "计划下发"
        REPORT_SUBMIT = "report_submit", "单位报送报告"
        REPORT_PENDING_APPROVAL = "report_pending_approval", "报告待单位负责人审核"
        REPORT_ACCEPT = "report_accept", "报告审核通过"
        REPORT_RETURN = "report_return", "报告被退回修改"
        EXTENSION_REQUEST = "extension_request", "单位申请延期"
        EXTENSION_DECIDED = "extension_decided", "延期申请已审批"
        COMPLETION_REQUEST = "completion_request", "单位申请办结"
        COMPLETION_DECIDED = "completion_decided", "办结申请已审定"
        HAND_BACK_REQUEST = "hand_back_request", "单位申请退回任务"
        HAND_BACK_DECIDED = "hand_back_decided", "退回申请已审定"
        LETTER_PROPOSED = "letter_proposed", "建议发督办函"
        LETTER_ISSUED = "letter_issued", "发出督办函"

    trigger = models.CharField("触发条件", max_length=10, choices=Trigger.choices)
    workdays = models.PositiveSmallIntegerField("工作日数", default=0)
    repeat_every = models.PositiveSmallIntegerField("重复间隔(工作日)", null=True, blank=True)
    event = models.CharField(
        "状态变化",
        max_length=30,
        blank=True,
        choices=Event.choices,
        help_text="触发条件为“状态变化时”时选择",
    )
    recipients = models.JSONField(
        "接收人", default=list, help_text="单位填报员、单位负责人、监督机构中的一个或几个"
    )
    channels = models.JSONField(
        "渠道", default=list, help_text="站内消息总是发送;另可选电子邮件、钉钉/企业微信群机器人"
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
        return object_url("workplans:notification_rule_edit", self.pk)


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
