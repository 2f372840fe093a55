"""Enforcement acts (执法案件) with their checks, and the leniency lists (四张清单)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel
from oversight.core.roles import Role
from oversight.enforcement.models import EnforcementType

from .scoping import act_scope, tally_scope

__all__ = [
    "Case",
    "CaseExtension",
    "CaseOfficer",
    "CaseRecord",
    "CaseTally",
    "Finding",
    "FindingTally",
    "LeniencyItem",
]


class LeniencyItem(ScopedModel):
    """An entry of a unit's four lists (不予处罚 / 减轻处罚 / 从轻处罚 / 不予行政强制)."""

    class Kind(models.TextChoices):
        NO_PENALTY = "no_penalty", "不予处罚"
        REDUCED = "reduced", "减轻处罚"
        LIGHTER = "lighter", "从轻处罚"
        NO_COERCION = "no_coercion", "不予行政强制"

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("清单", max_length=12, choices=Kind.choices)
    title = models.CharField("事项", max_length=200)
    conditions = models.TextField("适用情形")
    legal_basis = models.TextField("法律依据")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "四张清单事项"
        verbose_name_plural = "四张清单事项"
        ordering = ["unit__sort_order", "kind", "id"]

    def __str__(self) -> str:
        return f"[{self.get_kind_display()}] {self.title}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        if action == "view" and user.role_codes & {
            Role.SUPERVISOR,
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.OFFICER,
            Role.JUSTICE_OFFICE,
        }:
            return Q()  # the lists are published rules: everyone in enforcement reads them
        return act_scope(user, action)


class Case(ScopedModel):
    """An enforcement act, from 立案 to 结案, checked against the three systems and the time limits."""

    class Procedure(models.TextChoices):
        SIMPLE = "simple", "简易程序"
        ORDINARY = "ordinary", "普通程序"

    class PartyKind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="执法单位", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "enforcement.EnforcementSubject",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField("案号", max_length=60)
    act_type = models.CharField("执法类别", max_length=12, choices=EnforcementType.choices)
    procedure = models.CharField(
        "程序", max_length=10, choices=Procedure.choices, default=Procedure.ORDINARY
    )
    party_kind = models.CharField("当事人类型", max_length=12, choices=PartyKind.choices)
    party_name = models.CharField("当事人", max_length=200)
    party_credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    facts = models.TextField("违法事实/案由")
    legal_basis = models.TextField("法律依据", blank=True)
    catalog_item = models.ForeignKey(
        "catalogue.CatalogItem",
        verbose_name="执法事项(清单)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text="本单位执法事项清单中的事项",
    )
    benchmark = models.CharField("适用的裁量基准", max_length=300, blank=True)
    leniency_item = models.ForeignKey(
        LeniencyItem,
        verbose_name="适用的清单事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    officers = models.ManyToManyField(
        "enforcement.Officer", through="CaseOfficer", verbose_name="执法人员", related_name="cases"
    )
    # Stages (date of each).
    filed_on = models.DateField("立案", null=True, blank=True)
    investigated_on = models.DateField("调查取证", null=True, blank=True)
    notified_on = models.DateField("告知", null=True, blank=True)
    hearing_requested_on = models.DateField("申请听证", null=True, blank=True)
    hearing_notified_on = models.DateField("听证通知", null=True, blank=True)
    hearing_held_on = models.DateField("举行听证", null=True, blank=True)
    hearing_withdrawn_on = models.DateField("撤回听证申请", null=True, blank=True)
    preserved_on = models.DateField("先行登记保存", null=True, blank=True)
    preservation_decided_on = models.DateField("对登记保存物品作出处理决定", null=True, blank=True)
    legal_review_on = models.DateField("法制审核", null=True, blank=True)
    collective_discussion_on = models.DateField("集体讨论", null=True, blank=True)
    decided_on = models.DateField("作出决定", null=True, blank=True)
    served_on = models.DateField("送达", null=True, blank=True)
    executed_on = models.DateField("执行", null=True, blank=True)
    closed_on = models.DateField("结案", null=True, blank=True)
    # Decision.
    decision = models.TextField("决定内容", blank=True)
    fine_amount = models.DecimalField(
        "罚款金额(元)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Flags.
    is_major = models.BooleanField("重大执法决定", default=False)
    complex_case = models.BooleanField("案情复杂、涉及多个法律关系", default=False)
    first_offence_exempt = models.BooleanField("首违不罚", default=False)
    public_service_reduction = models.BooleanField("公益减罚", default=False)
    fast_track = models.BooleanField("轻微速罚", default=False)
    involves_enterprise = models.BooleanField("涉企", default=False)
    suspected_crime = models.BooleanField("涉嫌犯罪", default=False)
    # Publicity, changes and transfers.
    published_on = models.DateField("公示日期", null=True, blank=True)
    decision_changed_on = models.DateField("决定被变更或撤销日期", null=True, blank=True)
    publication_withdrawn_on = models.DateField("撤下公示日期", null=True, blank=True)
    credit_repair_notice_on = models.DateField("信用修复告知书送达", null=True, blank=True)
    impact_assessed_on = models.DateField("经济影响评估", null=True, blank=True)
    crime_found_on = models.DateField("发现涉嫌犯罪", null=True, blank=True)
    crime_reported_on = models.DateField("向本机关负责人报告", null=True, blank=True)
    transfer_decided_on = models.DateField("作出移送决定", null=True, blank=True)
    transfer_approved_at = models.DateTimeField("批准移送时间", null=True, blank=True)
    transferred_at = models.DateTimeField("移送公安机关时间", null=True, blank=True)
    # Checking.
    light = models.CharField("亮灯", max_length=6, default="green", db_index=True)
    checked_at = models.DateTimeField("检查时间", null=True, blank=True)
    next_check_on = models.DateField("下次检查日期", null=True, blank=True, db_index=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法案件"
        verbose_name_plural = "执法案件"
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="case_number_per_unit")
        ]
        indexes = [
            # The list's default order, alone and under the light filter: a page of the newest
            # cases is read from the index, not sorted out of a million.
            models.Index(fields=["-filed_on", "-id"], name="case_filed_idx"),
            models.Index(fields=["light", "-filed_on", "-id"], name="case_light_filed_idx"),
            models.Index(fields=["unit", "-filed_on"], name="case_unit_filed_idx"),
            models.Index(fields=["act_type", "-filed_on"], name="case_type_filed_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return object_url("cases:case_detail", self.pk)

    @property
    def act_date(self):
        """The date officers acted on: the decision, else the filing."""
        return self.decided_on or self.filed_on

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return act_scope(user, action)


class CaseOfficer(models.Model):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE)
    officer = models.ForeignKey(
        "enforcement.Officer", verbose_name="执法人员", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "办案人员"
        verbose_name_plural = "办案人员"
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.officer}"


class CaseRecord(models.Model):
    """A document or a full-process record: a file, or a reference into the audio-video archive."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "文字记录"
        AUDIO_VIDEO = "audio_video", "音像记录"
        PHOTO = "photo", "照片"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="records"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    reference = models.CharField("档案编号或存储位置", max_length=300, blank=True)
    file = models.FileField("文件", upload_to="case-records/%Y/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法记录"
        verbose_name_plural = "执法记录"
        ordering = ["case", "created_at"]

    def __str__(self) -> str:
        return self.title


class CaseExtension(models.Model):
    """An approved extension of the 90-day decision period (行政处罚法 第60条)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField("延长天数")
    reason = models.CharField("理由", max_length=300)
    approved_on = models.DateField("批准日期")

    class Meta:
        verbose_name = "办案期限延长"
        verbose_name_plural = "办案期限延长"

    def __str__(self) -> str:
        return f"延长 {self.days} 日"


class Finding(ScopedModel):
    """A warning (yellow, before a limit) or a breach (red) found by a check, with its rule and source."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="findings"
    )
    rule = models.CharField("规则", max_length=40)
    level = models.CharField("等级", max_length=6, choices=[("yellow", "预警"), ("red", "违规")])
    message = models.CharField("内容", max_length=300)
    source = models.CharField("依据", max_length=300)
    due = models.DateField("期限", null=True, blank=True)
    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    escalated_task = models.ForeignKey(
        "workplans.Task",
        verbose_name="督办事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"
        ordering = ["case", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["case", "rule"], name="finding_once_per_rule")
        ]
        indexes = [models.Index(fields=["level"], name="finding_level_idx")]

    def __str__(self) -> str:
        return self.message

    @property
    def rule_label(self) -> str:
        from .rules import RULE_LABELS

        return RULE_LABELS.get(self.rule, self.rule)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return act_scope(user, action, path="case__unit")


class CaseTally(ScopedModel):
    """How many of a unit's cases are lit red or yellow: kept by the check in the same transaction
    as the lights it counts (`tallies.py`), so the home page and the cockpit read a hundred rows
    instead of counting a million cases."""

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    light = models.CharField("亮灯", max_length=6)
    n = models.IntegerField("案件数", default=0)

    class Meta:
        verbose_name = "案件亮灯计数"
        verbose_name_plural = "案件亮灯计数"
        constraints = [
            models.UniqueConstraint(fields=["unit", "light"], name="case_tally_once"),
        ]

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return tally_scope(user, action)


class FindingTally(ScopedModel):
    """How many findings of each rule and level a unit's cases have: kept like `CaseTally`."""

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField("规则", max_length=40)
    level = models.CharField("等级", max_length=6)
    n = models.IntegerField("发现数", default=0)

    class Meta:
        verbose_name = "检查发现计数"
        verbose_name_plural = "检查发现计数"
        constraints = [
            models.UniqueConstraint(fields=["unit", "rule", "level"], name="finding_tally_once"),
        ]

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return tally_scope(user, action)


class RecheckChunk(models.Model):
    """A range of case ids of a whole re-check (after a rule or calendar change), which any worker
    may claim: workers on several machines share the re-check, and a range whose worker stopped
    answering (no heartbeat) is taken over where its last committed batch ended. Each batch's
    checks and `done_up_to` are written in one transaction, so every case is checked once."""

    class Status(models.TextChoices):
        WAITING = "waiting", "待处理"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"

    job = models.ForeignKey(
        "core.Job", verbose_name="后台任务", on_delete=models.CASCADE, related_name="+"
    )
    first_id = models.BigIntegerField("起始案件编号")
    last_id = models.BigIntegerField("结束案件编号")
    done_up_to = models.BigIntegerField("已复查至")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.WAITING)
    claimed_by = models.CharField("处理进程", max_length=100, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    checked = models.PositiveIntegerField("已复查件数", default=0)

    class Meta:
        verbose_name = "复查分段"
        verbose_name_plural = "复查分段"
        ordering = ["job", "first_id"]
        indexes = [models.Index(fields=["job", "status"], name="recheck_chunk_job_status_idx")]

    def __str__(self) -> str:
        return f"案件 {self.first_id}–{self.last_id}（{self.get_status_display()}）"
