"""Shared kernel models: audit log, working-day calendar, rules with their sources, scheduler."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

__all__ = [
    "AuditEntry",
    "CalendarDay",
    "CalendarYear",
    "DocumentCounter",
    "Job",
    "Notification",
    "Rule",
    "ScheduledJob",
    "ScheduledRun",
]


class AuditQuerySet(models.QuerySet):
    """Append-only: rows are created by `audit.record()` and never changed or removed."""

    def update(self, **kwargs):
        raise ValidationError("审计日志只能追加,不能修改。")

    def delete(self):
        raise ValidationError("审计日志只能追加,不能删除。")


class AuditEntry(models.Model):
    """One change made through a service: who, when, from where, and the data before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        IMPORT = "import", "导入"
        ACTION = "action", "操作"

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("操作人账号", max_length=150, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    action = models.CharField("动作", max_length=16, choices=Action.choices)
    object_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    unit_name = models.CharField("所属单位", max_length=100, blank=True)
    via = models.CharField("途径", max_length=100, blank=True)
    data_before = models.JSONField("修改前", null=True, blank=True)
    data_after = models.JSONField("修改后", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        # The invariant of the table, not business logic: an existing row is never rewritten.
        if self.pk is not None:
            raise ValidationError("审计日志只能追加,不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("审计日志只能追加,不能删除。")


class CalendarYear(models.Model):
    """A year whose holiday arrangement is known; other years fall back to Monday–Friday."""

    class Source(models.TextChoices):
        PACKAGE = "package", "chinese-calendar 数据包"
        MANUAL = "manual", "管理员维护"

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a statutory holiday on a weekday or a make-up working day."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=50, blank=True)
    source = models.CharField(
        "来源", max_length=16, choices=CalendarYear.Source.choices, default="manual"
    )

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'调休上班' if self.is_workday else '放假'} {self.name}"


class Rule(models.Model):
    """An editable number the platform applies: a legal time limit, a threshold, a policy value.

    Defaults and their sources live in code (`core.rules.RULES`); a row here overrides the value.
    """

    key = models.CharField("规则代码", max_length=100, primary_key=True)
    value = models.JSONField("取值")
    note = models.CharField("修改说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "规则参数"
        verbose_name_plural = "规则参数"

    def __str__(self) -> str:
        return self.key


class ScheduledJob(models.Model):
    """A periodic job of the scheduler loop; a process claims it with a conditional UPDATE."""

    name = models.CharField("任务", max_length=100, primary_key=True)
    next_run_at = models.DateTimeField("下次运行")
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    locked_by = models.CharField("运行进程", max_length=100, blank=True)
    last_started_at = models.DateTimeField("上次开始", null=True, blank=True)
    last_finished_at = models.DateTimeField("上次结束", null=True, blank=True)
    last_ok = models.BooleanField("上次成功", null=True)
    last_message = models.TextField("上次结果", blank=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScheduledRun(models.Model):
    """One run of a periodic job: the due time it ran for, the process that ran it, how it ended.
    A due time runs once; a second attempt at the same due time happens only when the first
    process stopped answering past its lease (its `attempt` is then 2)."""

    job = models.ForeignKey(
        ScheduledJob, on_delete=models.CASCADE, related_name="runs", verbose_name="任务"
    )
    due_at = models.DateTimeField("应运行时间")
    attempt = models.PositiveSmallIntegerField("第几次", default=1)
    worker = models.CharField("运行进程", max_length=100)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    ok = models.BooleanField("成功", null=True)
    message = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "due_at", "attempt"], name="scheduledrun_one_per_due_time"
            )
        ]
        indexes = [models.Index(fields=["job", "-started_at"], name="scheduledrun_job_started")]

    def __str__(self) -> str:
        return f"{self.job_id} {self.due_at:%Y-%m-%d %H:%M}"


class Job(models.Model):
    """A piece of long work someone started (an import, a re-check of every case, a bulletin):
    it runs on a worker through Django's tasks API, records its progress here for the page that
    started it, and ends with a result in words and a link (core/background.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "未完成"

    id = models.UUIDField("编号", primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    message = models.TextField("结果", blank=True)
    result_url = models.CharField("结果链接", max_length=300, blank=True)
    details = models.JSONField("明细", default=dict, blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class Notification(models.Model):
    """A message to one user: shown in the platform, and sent by email or in the daily digest.

    `key` makes a notice go out once: the same key for the same user is never created twice, even
    when two schedulers evaluate the same reminder at the same moment.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField("去重键", max_length=200)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    urgent = models.BooleanField("紧急", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    digest_at = models.DateTimeField("汇总发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知消息"
        verbose_name_plural = "通知消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class DocumentCounter(models.Model):
    """The last number issued per document type and year (文号 without gaps)."""

    kind = models.CharField("文书类型", max_length=50)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("最后编号", default=0)

    class Meta:
        verbose_name = "文书编号"
        verbose_name_plural = "文书编号"
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="document_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"
