"""The supervision body's own work: problem types and clues (投诉举报等问题线索) with their timeline.

A clue is registered (登记), judged (研判: accepted, refused with a reason, or merged into an open
clue on the same party and unit), transferred to the unit complained of with a deadline (转办), checked
and answered by that unit (核查反馈), reviewed by the bureau (审核: substantiated, partly, not, or sent
back), the complainant is called back (回访) and the clue is concluded (办结).
"""

from __future__ import annotations

import datetime
from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel
from oversight.core.roles import Role

from .scoping import clue_scope, document_scope, matter_scope

__all__ = [
    "Campaign",
    "Clue",
    "ClueAttachment",
    "ClueEvent",
    "ContactPoint",
    "Document",
    "DocumentEvent",
    "Matter",
    "Problem",
    "ProblemType",
    "SpecialSupervisor",
    "SupervisorActivity",
    "SupervisorAssessment",
]


class ProblemType(models.Model):
    """A kind of problem in enforcement (有案不立、乱罚款 …): data, used in statistics."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    description = models.CharField("说明", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题类型"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return object_url("supervision:problem_type_edit", self.pk)


class Clue(ScopedModel):
    """A reported problem with enforcement, from any source, handled to its conclusion."""

    class Source(models.TextChoices):
        HOTLINE = "hotline", "12345热线"
        CONTACT_POINT = "contact_point", "涉企行政执法监督联系点"
        SPECIAL_SUPERVISOR = "special_supervisor", "特邀行政执法监督员"
        PORTAL = "portal", "网上投诉"
        REVIEW_LITIGATION = "review_litigation", "复议诉讼纠错"
        PUBLIC_OPINION = "public_opinion", "舆情"
        LETTER = "letter", "来信来访"
        PLATFORM = "platform", "平台发现"

    class Status(models.TextChoices):
        REGISTERED = "registered", "待研判"
        ACCEPTED = "accepted", "已受理"
        REFUSED = "refused", "不予受理"
        MERGED = "merged", "已合并"
        TRANSFERRED = "transferred", "已转办"
        ANSWERED = "answered", "单位已反馈"
        REVIEWED = "reviewed", "已审核"
        CLOSED = "closed", "已办结"
        tones = nonmember(
            {
                "registered": "warning",
                "accepted": "primary",
                "refused": "secondary",
                "merged": "secondary",
                "transferred": "info",
                "answered": "info",
                "reviewed": "primary",
                "closed": "success",
            }
        )

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", "属实"
        PARTLY = "partly", "部分属实"
        UNSUBSTANTIATED = "unsubstantiated", "不属实"

    number = models.CharField("编号", max_length=40, unique=True)
    source = models.CharField("来源", max_length=24, choices=Source.choices)
    external_ref = models.CharField(
        "来源编号",
        max_length=60,
        blank=True,
        help_text="如 12345 工单号;同一来源同一编号只登记一次",
    )
    received_on = models.DateField("收到日期")
    anonymous = models.BooleanField("匿名", default=False)
    complainant_name = models.CharField("投诉人", max_length=50, blank=True)
    # The complainant's phone or address, encrypted like officers' ID numbers; units never see it.
    contact_cipher = models.TextField("联系方式(密文)", blank=True)
    contact_masked = models.CharField("联系方式", max_length=40, blank=True)
    party_name = models.CharField("被反映的企业或个人", max_length=200, blank=True)
    party_credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name="被投诉单位",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    matter = models.TextField("反映事项")
    problem_types = models.ManyToManyField(ProblemType, verbose_name="问题类型", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    accept_due = models.DateField("研判期限")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    conclude_due = models.DateField("办结期限", null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField("延长天数", default=0)
    reply_due = models.DateField("单位反馈期限", null=True, blank=True)
    reply = models.TextField("单位核查反馈", blank=True)
    outcome = models.CharField("审核结论", max_length=16, choices=Outcome.choices, blank=True)
    reason = models.TextField("理由或意见", blank=True)
    special_supervisor = models.ForeignKey(
        "SpecialSupervisor",
        verbose_name="反映的监督员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
    )
    contact_point = models.ForeignKey(
        "ContactPoint",
        verbose_name="来源联系点",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="合并到",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    visit_note = models.TextField("回访情况", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    query_code = models.CharField("查询码", max_length=12, unique=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题线索"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="clue_source_ref_once",
                violation_error_message="同一来源、同一工单号的线索已经登记过,请勿重复登记。",
            )
        ]
        indexes = [models.Index(fields=["unit", "status"], name="clue_unit_status_idx")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return object_url("supervision:clue_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status not in {self.Status.REFUSED, self.Status.MERGED, self.Status.CLOSED}

    @property
    def next_due(self) -> datetime.date | None:
        """The next time limit the clue must meet at its stage (None once it is finished)."""
        if self.status == self.Status.REGISTERED:
            return self.accept_due
        if self.status == self.Status.TRANSFERRED and self.reply_due:
            return min(self.reply_due, self.conclude_due or self.reply_due)
        if self.is_open:
            return self.conclude_due
        return None

    def light(self, today: datetime.date) -> str:
        """红 past the limit, 黄 within its last days (rule), 绿 otherwise; "" when finished."""
        return traffic_light(self.next_due, today)

    @property
    def public_stage(self) -> str:
        """The stage as the complainant is told it on the portal."""
        return PUBLIC_STAGES[self.status]

    @classmethod
    def scope_q(cls, user, action: str):
        return clue_scope(user, action)


def traffic_light(due: datetime.date | None, today: datetime.date, *, failed: bool = False) -> str:
    """The light of a limit: red once past it (or when the work was sent back), yellow within the
    rule's last days, green before; "" when there is no limit left to meet."""
    if due is None:
        return ""
    if due < today or failed:
        return "red"
    return "yellow" if (due - today).days <= warn_days() else "green"


def warn_days() -> int:
    """How many days before a limit a clue or document turns yellow (a rule)."""
    from oversight.core.rules import rule_value

    return rule_value("supervision.warning_days")


PUBLIC_STAGES = {
    "registered": "已收到,正在研判",
    "accepted": "已受理,正在办理",
    "refused": "不予受理",
    "merged": "已与同一事项的投诉合并办理",
    "transferred": "已转被投诉单位核查",
    "answered": "单位已核查反馈,正在审核",
    "reviewed": "已审核,待回访办结",
    "closed": "已办结",
}


def clue_file_path(instance, filename: str) -> str:
    return f"clues/{instance.sha256[:2]}/{instance.sha256}"


class ClueAttachment(models.Model):
    """A file given with a clue (a photo, a letter, a penalty decision). It reaches the unit only
    when the bureau shares it: complainants' letters often carry their identity."""

    clue = models.ForeignKey(
        Clue, verbose_name="线索", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=clue_file_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("摘要", max_length=64)
    shared = models.BooleanField("转交被投诉单位", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "线索附件"
        ordering = ["uploaded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["clue", "sha256"], name="clue_file_once")]

    def __str__(self) -> str:
        return self.original_name


class TimelineEvent(models.Model):
    """One step in the life of a clue or a document: what was done, by whom, when, and why."""

    action = models.CharField("环节", max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    time = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("说明", blank=True)

    class Meta:
        abstract = True
        ordering = ["time", "pk"]


class ClueEvent(TimelineEvent):
    """One step of a clue's handling (the timeline)."""

    clue = models.ForeignKey(
        Clue, verbose_name="线索", on_delete=models.CASCADE, related_name="events"
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = verbose_name_plural = "线索办理记录"

    def __str__(self) -> str:
        return f"{self.clue} {self.action}"


class Matter(ScopedModel):
    """A supervision matter (监督事项): the units and theme under supervision, the problems found,
    and the documents issued about them until they are put right."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "日常监督"
        KEY = "key", "重点监督"
        SPECIAL = "special", "专项监督"
        CASE = "case", "个案监督"

    class Origin(models.TextChoices):
        CLUE = "clue", "问题线索"
        FINDING = "finding", "平台发现"
        MANUAL = "manual", "监督机构立项"

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        CLOSED = "closed", "已办结"
        tones = nonmember({"open": "primary", "closed": "success"})

    number = models.CharField("编号", max_length=40, unique=True)
    kind = models.CharField("监督方式", max_length=12, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    theme = models.CharField("监督主题", max_length=200, blank=True)
    units = models.ManyToManyField(
        "organisations.Unit", verbose_name="监督对象", related_name="supervision_matters"
    )
    problem_types = models.ManyToManyField(ProblemType, verbose_name="问题类型", blank=True)
    findings = models.TextField("发现的问题", blank=True)
    origin = models.CharField("来由", max_length=12, choices=Origin.choices)
    origin_note = models.CharField("来由说明", max_length=300, blank=True)
    clue = models.ForeignKey(
        Clue,
        verbose_name="来源线索",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
    )
    opened_on = models.DateField("立项日期")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField("办结情况", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="立项人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "监督事项"
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return object_url("supervision:matter_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str):
        return matter_scope(user, action)


class Document(ScopedModel):
    """A supervision document (监督文书) to one unit, numbered per kind and year, with the unit's
    reply, the bureau's acceptance and the unit's request for review (复查)."""

    class Kind(models.TextChoices):
        NOTICE = "notice", "行政执法监督通知书"
        OPINION = "opinion", "行政执法监督意见书"
        DECISION = "decision", "行政执法监督决定书"
        URGE = "urge", "督办函"
        PROPOSAL = "proposal", "行政执法监督建议书"
        INTERVIEW = "interview", "约谈记录"
        CIRCULAR = "circular", "通报"
        REFERRAL = "referral", "问题线索移送函"
        # Recommendations from other bodies, recorded by the bureau and supervised like its own.
        PROCURATORIAL = "procuratorial", "检察建议"
        JUDICIAL = "judicial", "司法建议"
        AUDIT = "audit", "审计、巡察发现问题"

    class Status(models.TextChoices):
        ISSUED = "issued", "待单位回复"
        REPLIED = "replied", "单位已回复"
        RETURNED = "returned", "整改未通过"
        ACCEPTED = "accepted", "已办结"
        ESCALATED = "escalated", "已升级处理"
        RECORDED = "recorded", "已送达(无需回复)"
        WITHDRAWN = "withdrawn", "已撤销(复查)"
        tones = nonmember(
            {
                "issued": "warning",
                "replied": "info",
                "returned": "danger",
                "accepted": "success",
                "escalated": "secondary",
                "recorded": "light",
                "withdrawn": "secondary",
            }
        )

    class ReviewResult(models.TextChoices):
        UPHELD = "upheld", "维持"
        CHANGED = "changed", "变更"
        WITHDRAWN = "withdrawn", "撤销"

    matter = models.ForeignKey(
        Matter, verbose_name="监督事项", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField("文书类型", max_length=16, choices=Kind.choices)
    number = models.CharField("文号", max_length=40, unique=True)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name="主送单位",
        on_delete=models.PROTECT,
        related_name="supervision_documents",
    )
    recipient = models.CharField(
        "移送或约谈对象", max_length=200, blank=True, help_text="移送函的接收机关、约谈对象"
    )
    source_organ = models.CharField(
        "来文机关",
        max_length=200,
        blank=True,
        help_text="检察建议、司法建议、审计巡察意见的发出机关",
    )
    external_number = models.CharField("来文文号", max_length=60, blank=True)
    receipt_on = models.DateField("对方签收日期", null=True, blank=True)
    feedback = models.TextField("处理反馈", blank=True, help_text="移送机关的处理结果")
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    facts = models.TextField("发现的问题")
    basis = models.TextField("依据", blank=True)
    requirement = models.TextField("监督意见和要求")
    issued_on = models.DateField("发文日期")
    explain_due = models.DateField("说明期限", null=True, blank=True)
    reply_due = models.DateField("整改回复期限", null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="升级自",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ISSUED)
    reply = models.TextField("单位回复", blank=True)
    replied_on = models.DateField("回复日期", null=True, blank=True)
    attachment = models.FileField("回复材料", upload_to="supervision/replies/%Y/", blank=True)
    attachment_name = models.CharField("材料文件名", max_length=200, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    verdict = models.TextField("审核意见", blank=True)
    review_reason = models.TextField("复查申请理由", blank=True)
    review_requested_on = models.DateField("申请复查日期", null=True, blank=True)
    review_due = models.DateField("复查答复期限", null=True, blank=True)
    review_result = models.CharField(
        "复查结论", max_length=12, choices=ReviewResult.choices, blank=True
    )
    review_answer = models.TextField("复查意见", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "监督文书"
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="document_unit_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return object_url("supervision:document_detail", self.pk)

    @property
    def expects_reply(self) -> bool:
        return self.kind in REPLY_KINDS

    @property
    def next_due(self) -> datetime.date | None:
        if self.status in {self.Status.ISSUED, self.Status.RETURNED}:
            return self.reply_due
        return None

    def light(self, today: datetime.date) -> str:
        return traffic_light(self.next_due, today, failed=self.status == self.Status.RETURNED)

    @classmethod
    def scope_q(cls, user, action: str):
        return document_scope(user, action)


# The documents a unit must answer (the others are delivered and recorded).
REPLY_KINDS = frozenset(
    {"notice", "opinion", "decision", "urge", "proposal", "procuratorial", "judicial", "audit"}
)
# Recommendations that came in from other bodies (recorded, not issued, by the bureau).
INBOUND_KINDS = frozenset({"procuratorial", "judicial", "audit"})
# The platform's proposal when a document is not answered or its rectification fails.
ESCALATION = {
    "urge": ("notice",),
    "proposal": ("opinion",),
    "notice": ("opinion",),
    "opinion": ("decision",),
    "decision": ("interview", "circular", "referral"),
    "procuratorial": ("notice",),
    "judicial": ("notice",),
    "audit": ("notice",),
}


class DocumentEvent(TimelineEvent):
    """One step of a document's life (the timeline)."""

    document = models.ForeignKey(
        Document, verbose_name="文书", on_delete=models.CASCADE, related_name="events"
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = verbose_name_plural = "文书办理记录"

    def __str__(self) -> str:
        return f"{self.document} {self.action}"


class SpecialSupervisor(models.Model):
    """特邀行政执法监督员: appointed for a term, with an organisation, expertise and declared
    conflicts; their clues, inspections and reviews are their activity, assessed each year."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在任"
        EXPIRED = "expired", "任期届满"
        DISMISSED = "dismissed", "已解聘"
        tones = nonmember({"active": "success", "expired": "secondary", "dismissed": "danger"})

    name = models.CharField("姓名", max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="special_supervisor",
    )
    organisation = models.CharField("工作单位", max_length=200)
    identity = models.CharField(
        "身份", max_length=50, blank=True, help_text="如:人大代表、政协委员、律师、企业代表"
    )
    expertise = models.CharField("专业领域", max_length=200, blank=True)
    phone_masked = models.CharField("联系电话", max_length=40, blank=True)
    phone_cipher = models.TextField("联系电话(密文)", blank=True)
    appointed_on = models.DateField("聘任日期")
    term_end = models.DateField("任期届满")
    conflicts = models.TextField(
        "回避关系", blank=True, help_text="任职或有利害关系的单位、企业,监督活动中回避"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    dismissed_on = models.DateField("解聘日期", null=True, blank=True)
    dismissal_reason = models.CharField("解聘理由", max_length=300, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "特邀行政执法监督员"
        ordering = ["status", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return object_url("supervision:special_supervisor_detail", self.pk)


class SupervisorActivity(models.Model):
    """One piece of a special supervisor's work, for the annual assessment."""

    class Kind(models.TextChoices):
        CLUE = "clue", "反映问题线索"
        INSPECTION = "inspection", "参加执法检查"
        REVIEW = "review", "参加案卷评查"
        MEETING = "meeting", "参加座谈、培训"
        OTHER = "other", "其他"

    supervisor = models.ForeignKey(
        SpecialSupervisor,
        verbose_name="监督员",
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    date = models.DateField("日期")
    note = models.CharField("内容", max_length=300)
    clue = models.ForeignKey(
        Clue,
        verbose_name="线索",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "监督员履职记录"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.supervisor} {self.get_kind_display()}"


class SupervisorAssessment(models.Model):
    class Result(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        COMPETENT = "competent", "称职"
        BASIC = "basic", "基本称职"
        INCOMPETENT = "incompetent", "不称职"

    supervisor = models.ForeignKey(
        SpecialSupervisor,
        verbose_name="监督员",
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField("年度")
    result = models.CharField("结果", max_length=12, choices=Result.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "监督员年度考核"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "year"], name="assessment_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} {self.year}"


class ContactPoint(models.Model):
    """涉企行政执法监督联系点: where enterprises' complaints about enforcement come in."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", "工商联"
        CHAMBER = "chamber", "商会、协会"
        PARK = "park", "园区"
        ENTERPRISE = "enterprise", "企业"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    liaison = models.CharField("联络员", max_length=50)
    phone_masked = models.CharField("联系电话", max_length=40, blank=True)
    phone_cipher = models.TextField("联系电话(密文)", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    enterprises = models.ManyToManyField(
        "inspections.Enterprise", verbose_name="联系企业", blank=True, related_name="+"
    )
    established_on = models.DateField("设立日期")
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "涉企行政执法监督联系点"
        ordering = ["-is_active", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return object_url("supervision:contact_point_edit", self.pk)


class Campaign(ScopedModel):
    """A special rectification campaign (专项整治): themes, units and dated phases."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已总结"
        tones = nonmember({"open": "primary", "closed": "success"})

    title = models.CharField("名称", max_length=200)
    themes = models.TextField("整治重点")
    units = models.ManyToManyField("organisations.Unit", verbose_name="参加单位", related_name="+")
    phases = models.JSONField(
        "阶段", default=list, help_text="[{name, due}]:自查、整改、督查、总结"
    )
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField("总结", blank=True)
    started_on = models.DateField("开始日期")
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "专项整治"
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("supervision:campaign_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str):
        from oversight.core.querysets import unit_scope_q

        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action != "view":
            return None
        units = unit_scope_q(user, "view", path="units")
        return None if units is None else Q(pk__in=Campaign.objects.filter(units).values("pk"))


class Problem(ScopedModel):
    """A problem on a campaign's list (问题清单) and its rectification (整改台账) until 销号 and 回访."""

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", "单位自查"
        MATTER = "matter", "监督事项"
        CLUE = "clue", "问题线索"
        REVIEW = "review", "案卷评查"
        FINDING = "finding", "平台发现"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        SUBMITTED = "submitted", "待销号"
        RETURNED = "returned", "退回整改"
        CLOSED = "closed", "已销号"
        tones = nonmember(
            {"open": "warning", "submitted": "info", "returned": "danger", "closed": "success"}
        )

    campaign = models.ForeignKey(
        Campaign, verbose_name="专项整治", on_delete=models.CASCADE, related_name="problems"
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    problem_type = models.ForeignKey(
        ProblemType, verbose_name="问题类型", on_delete=models.PROTECT, null=True, blank=True
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    source_note = models.CharField("来源说明", max_length=300, blank=True)
    description = models.TextField("问题描述")
    deadline = models.DateField("整改时限")
    measures = models.TextField("整改措施", blank=True)
    responsible = models.CharField("责任人", max_length=50, blank=True)
    evidence = models.TextField("整改佐证", blank=True)
    refund_amount = models.DecimalField(
        "退还违规罚没款、收费(元)", max_digits=14, decimal_places=2, default=0
    )
    accountability = models.TextField("追责问责情况", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_on = models.DateField("报送销号日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    follow_up_on = models.DateField("回访日期", null=True, blank=True)
    follow_up_note = models.TextField("回访情况", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "整治问题"
        ordering = ["campaign", "deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.description[:20]}"

    def get_absolute_url(self) -> str:
        return object_url("supervision:problem_detail", self.pk)

    def light(self, today: datetime.date) -> str:
        if self.status in {self.Status.CLOSED, self.Status.SUBMITTED}:
            return ""
        return traffic_light(self.deadline, today, failed=self.status == self.Status.RETURNED)

    @classmethod
    def scope_q(cls, user, action: str):
        from oversight.core.querysets import unit_scope_q

        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action in {"view", "change"}:
            return unit_scope_q(user, action)
        return None
