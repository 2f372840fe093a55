"""The bureau's reminder rules and supervision letters (督办函)."""

from __future__ import annotations

from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

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
