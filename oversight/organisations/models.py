"""The district's units (organisations) and the named groups that notices address."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import RestrictedQuerySet, ScopedModel
from oversight.core.roles import Role
from oversight.core.validation import validate_phone

__all__ = ["RobotPost", "Unit", "UnitAlias", "UnitGroup", "UnitKind", "WebhookTarget"]


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "区人民政府"
    PARTY = "party", "党委部门"
    DEPARTMENT = "department", "政府部门"
    JUDICIAL = "judicial", "法院、检察院"
    MASS = "mass", "群团组织"
    SUBDISTRICT = "subdistrict", "街道(街办)"
    PARK = "park", "园区"
    JUSTICE_OFFICE = "justice_office", "司法所"
    OTHER = "other", "其他单位"


class Unit(ScopedModel):
    """A unit of the district: the government, a department, a sub-district, a park, …

    `short_name` is how notices write the unit (区司法局); aliases catch other spellings
    (区城管局 for 区城管执法局). Units form a tree under the district government.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField("单位类别", max_length=16, choices=UnitKind.choices)
    # A 司法所 (under 区司法局) supervises the enforcement of one 街办.
    supervised_unit = models.ForeignKey(
        "self",
        verbose_name="对口街办",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="justice_offices",
        help_text="司法所协助监督的街道办事处",
    )
    name = models.CharField("单位全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, unique=True)
    is_enforcement = models.BooleanField("行政执法部门", default=False)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=30, blank=True, validators=[validate_phone]
    )
    address = models.CharField("地址", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="unit_not_own_parent",
                violation_error_message="单位不能是自己的上级单位。",
            ),
            models.CheckConstraint(
                condition=Q(supervised_unit__isnull=True) | Q(kind="justice_office"),
                name="unit_supervises_only_if_justice_office",
                violation_error_message="只有类别为“司法所”的单位可以设置对口街办。",
            ),
        ]

    # The column `str()` reads: selects list these records as (id, short_name) pairs.
    label_field = "short_name"

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return object_url("organisations:unit_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:

        roles = user.role_codes
        # The unit tree is configuration: the system administrator maintains all of it.
        if Role.SYSADMIN in roles:
            return Q()
        # The security administrator grants scopes over the tree and decides moves within it.
        if action in {"view", "change"} and Role.SECADMIN in roles:
            return Q()
        if action == "view" and roles & {Role.SUPERVISOR, Role.LEADER}:
            return Q()
        # Units keep their own contact details; nobody else's.
        if action in {"view", "change"} and roles & {Role.REPORTER, Role.UNIT_HEAD}:
            return Q(pk__in=user.scope_unit_ids)
        if action == "view" and Role.OFFICER in roles:
            return Q(pk__in=user.scope_unit_ids)
        if action == "view" and Role.JUSTICE_OFFICE in roles:
            return Q(pk__in=user.scope_unit_ids | user.supervised_unit_ids)
        return None


class UnitAlias(models.Model):
    """Another name under which a notice may name a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField("别名", max_length=100, unique=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitGroup(ScopedModel):
    """A named set of units a notice addresses as one, such as 各街办(园区).

    Defined by a rule (all units of some kinds; all enforcement departments) or by an explicit list,
    so it always resolves to the current members; every member reports for itself.
    """

    class RuleKind(models.TextChoices):
        KINDS = "kinds", "按单位类别"
        ENFORCEMENT = "enforcement", "全部行政执法部门"
        EXPLICIT = "explicit", "指定单位"

    name = models.CharField("名称", max_length=100, unique=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    rule = models.CharField("成员规则", max_length=16, choices=RuleKind.choices)
    kinds = models.JSONField("单位类别", default=list, blank=True)
    enforcement_only = models.BooleanField("只含行政执法部门", default=False)
    members = models.ManyToManyField(Unit, verbose_name="指定单位", blank=True, related_name="+")
    description = models.CharField("说明", max_length=200, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "单位组"
        verbose_name_plural = "单位组"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return object_url("organisations:group_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:

        roles = user.role_codes
        if Role.SYSADMIN in roles:
            return Q()
        if action == "view" and roles & {
            Role.SUPERVISOR,
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.JUSTICE_OFFICE,
        }:
            return Q()
        return None


class WebhookTarget(models.Model):
    """A group robot of 钉钉 or 企业微信 that receives a unit's (or the bureau's) notices."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", "钉钉群机器人"
        WECOM = "wecom", "企业微信群机器人"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥(钉钉)", max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="为空时接收监督机构的消息",
    )
    active = models.BooleanField("启用", default=True)
    last_status = models.CharField("最近发送结果", max_length=200, blank=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return object_url("organisations:webhook_edit", self.pk)


class RobotPost(models.Model):
    """One message for one group robot, posted by a background task: once per robot and message
    key (a retried task or a second scheduler finds it there), again after a failure at most
    TASK_RETRIES times with a growing pause."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    target = models.ForeignKey(
        WebhookTarget, verbose_name="群机器人", on_delete=models.CASCADE, related_name="posts"
    )
    key = models.CharField("消息标识", max_length=200)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容")
    url = models.CharField("链接", max_length=300, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default="pending")
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    result = models.CharField("结果", max_length=200, blank=True)

    class Meta:
        verbose_name = "群机器人消息"
        verbose_name_plural = "群机器人消息"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["target", "key"], name="robotpost_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.title}"
