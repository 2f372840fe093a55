"""A notice being read: the parsed plan the supervisor reviews, corrects and confirms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel
from oversight.core.roles import Role

__all__ = ["NoticeDraft"]


class NoticeDraft(ScopedModel):
    """An uploaded or pasted notice, parsed and waiting for review; nothing else exists until confirmed.

    `parsed` holds the plan in the JSON of `oversight parse-notice`, as corrected by the reviewer;
    `mapping` says which registry unit or group each unknown name stands for, or that it is created.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DISCARDED = "discarded", "已放弃"

    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    filename = models.CharField("文件名", max_length=200, blank=True)
    source_format = models.CharField("格式", max_length=10)
    source_text = models.TextField("原文")
    content_hash = models.CharField("内容摘要(SHA-256)", max_length=64, db_index=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    parsed = models.JSONField("解析结果")
    mapping = models.JSONField("单位对应", default=dict, blank=True)
    target_plan = models.ForeignKey(
        "workplans.Plan",
        verbose_name="修订的计划",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="导入的是已有计划的修订版时,指向该计划",
    )
    plan = models.ForeignKey(
        "workplans.Plan",
        verbose_name="生成的计划",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知导入"
        verbose_name_plural = "通知导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.parsed.get("title") or self.filename or f"导入 {self.pk}"

    def get_absolute_url(self) -> str:
        return object_url("notices:draft_review", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        # Reading notices into plans is the supervisor's (区司法局) work.
        return Q() if Role.SUPERVISOR in user.role_codes else None
