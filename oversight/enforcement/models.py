"""Enforcement subjects (执法主体), officers (执法人员), certificates (执法证件), clean-ups, training."""

from __future__ import annotations

from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel, unit_scope_q
from oversight.core.roles import Role
from oversight.core.validation import validate_mobile, validate_platform_date

__all__ = [
    "Attendance",
    "Certificate",
    "CertificateEvent",
    "CertificateReview",
    "CleanupCampaign",
    "CleanupItem",
    "Course",
    "EnforcementSubject",
    "EnforcementType",
    "Officer",
    "TrainingPlan",
]


class EnforcementType(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    PERMIT = "permit", "行政许可"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LEVY = "levy", "行政征收"
    REQUISITION = "requisition", "行政征用"
    OTHER = "other", "其他"


class EnforcementSubject(ScopedModel):
    """An agency or organisation with enforcement power; the supervisor confirms and announces them."""

    class LegalStatus(models.TextChoices):
        AGENCY = "agency", "行政机关"
        AUTHORISED = "authorised", "法律法规授权组织"
        ENTRUSTED = "entrusted", "受委托组织"

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        SUSPENDED = "suspended", "暂停"
        REVOKED = "revoked", "撤销"

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("主体名称", max_length=100, unique=True)
    legal_status = models.CharField("主体性质", max_length=12, choices=LegalStatus.choices)
    legal_basis = models.TextField("设立与职权依据")
    enforcement_types = models.JSONField("执法类别", default=list)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    announcement_date = models.DateField("公告日期", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["unit__sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return object_url("enforcement:subject_edit", self.pk)

    @property
    def type_labels(self) -> str:
        return "、".join(
            EnforcementType(t).label for t in self.enforcement_types if t in EnforcementType.values
        )

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        return unit_scope_q(user, action) if action == "view" else None


class Officer(ScopedModel):
    """An enforcement officer. The ID number is stored encrypted (FIELD_ENCRYPTION_KEY) with a keyed
    hash for uniqueness and a masked form for lists; it is shown in full only to those allowed."""

    class Employment(models.TextChoices):
        FORMAL = "formal", "在编"
        NON_FORMAL = "non_formal", "非在编"

    class Status(models.TextChoices):
        ON_DUTY = "on_duty", "在岗"
        RETIRED = "retired", "退休"
        TRANSFERRED = "transferred", "调离"
        RESIGNED = "resigned", "辞职"
        OTHER = "other", "其他"

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        EnforcementSubject,
        verbose_name="执法主体",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
    )
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务/岗位", max_length=50, blank=True)
    id_cipher = models.TextField("身份证号(密文)")
    id_hash = models.CharField("身份证号摘要", max_length=64, unique=True)
    id_masked = models.CharField("身份证号(脱敏)", max_length=18)
    phone = models.CharField("手机号", max_length=20, blank=True, validators=[validate_mobile])
    employment = models.CharField(
        "编制类型", max_length=12, choices=Employment.choices, default=Employment.FORMAL
    )
    legal_qualification = models.BooleanField("法律职业资格", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ON_DUTY)
    left_on = models.DateField(
        "离岗日期",
        null=True,
        blank=True,
        help_text="退休、调离、辞职的日期;此后办理的案件不能再列其为执法人员",
        validators=[validate_platform_date],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["unit__sort_order", "name", "id"]

    # The column `str()` reads: selects list these records as (id, name) pairs.
    label_field = "name"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return object_url("enforcement:officer_detail", self.pk)

    @property
    def phone_masked(self) -> str:
        p = self.phone
        return f"{p[:3]}****{p[-4:]}" if len(p) >= 7 else ("*" * len(p))

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        roles = user.role_codes
        if roles & {
            Role.SUPERVISOR,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.LEADER,
            Role.JUSTICE_OFFICE,
        }:
            # The district for the bureau (and leaders, read-only); units their own officers; a
            # 司法所 its 街办's, read-only.
            return unit_scope_q(user, action)
        if Role.OFFICER in roles and action == "view":
            return Q(user=user)  # an officer sees their own record only
        return None


class Certificate(ScopedModel):
    """An enforcement certificate (执法证) or supervision certificate (执法监督证) and its lifecycle:
    valid → suspended (暂扣) → valid; withdrawn (收回); cancelled (注销)."""

    class Kind(models.TextChoices):
        ENFORCEMENT = "enforcement", "行政执法证"
        SUPERVISION = "supervision", "行政执法监督证"

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        SUSPENDED = "suspended", "暂扣"
        WITHDRAWN = "withdrawn", "收回"
        CANCELLED = "cancelled", "注销"
        # The colour each status shows in (Bootstrap's text-bg-*), by what it means.
        tones = nonmember(
            {
                "valid": "success",
                "suspended": "warning",
                "withdrawn": "dark",
                "cancelled": "secondary",
            }
        )

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField("证号", max_length=40, unique=True)
    kind = models.CharField(
        "证件种类", max_length=12, choices=Kind.choices, default=Kind.ENFORCEMENT
    )
    areas = models.CharField("执法领域", max_length=200)
    issuing_authority = models.CharField("发证机关", max_length=100)
    issue_date = models.DateField("发证日期")
    expiry_date = models.DateField("有效期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALID)
    suspended_until = models.DateField("暂扣至", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法证件"
        verbose_name_plural = "执法证件"
        ordering = ["officer__unit__sort_order", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issue_date__lte=models.F("expiry_date")),
                name="certificate_dates_order",
                violation_error_message="发证日期不能晚于有效期截止日期,请核对两个日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return object_url("enforcement:certificate_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action != "view":
            return None
        if Role.OFFICER in user.role_codes and not user.role_codes & {
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
        }:
            return Q(officer__user=user)
        return unit_scope_q(user, action, path="officer__unit")


class CertificateReview(models.Model):
    """The annual review (年审) of a certificate."""

    class Result(models.TextChoices):
        PASSED = "passed", "合格"
        FAILED = "failed", "不合格"

    certificate = models.ForeignKey(
        Certificate, verbose_name="证件", on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField("年度")
    result = models.CharField("结果", max_length=8, choices=Result.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    reviewed_at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        verbose_name = "证件年审"
        verbose_name_plural = "证件年审"
        ordering = ["certificate", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "year"], name="certificate_review_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_result_display()}"


class CertificateEvent(models.Model):
    """A change of a certificate's status, with its reason."""

    certificate = models.ForeignKey(
        Certificate, verbose_name="证件", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("事项", max_length=20)
    from_status = models.CharField("原状态", max_length=10)
    to_status = models.CharField("新状态", max_length=10)
    reason = models.TextField("理由")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "证件变更"
        verbose_name_plural = "证件变更"
        ordering = ["certificate", "time"]

    def __str__(self) -> str:
        return f"{self.action} {self.time:%Y-%m-%d}"


class CleanupCampaign(ScopedModel):
    """A qualification clean-up (资格清理): proposals, the units' answers, decisions applied at once."""

    class Status(models.TextChoices):
        OPEN = "open", "征求意见中"
        APPLIED = "applied", "已处理"
        PUBLISHED = "published", "已公布"

    title = models.CharField("名称", max_length=200)
    as_of = models.DateField("清理基准日")
    response_due = models.DateField("单位反馈截止日")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField("发起时间", auto_now_add=True)
    applied_at = models.DateTimeField("处理时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        verbose_name = "资格清理"
        verbose_name_plural = "资格清理"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("enforcement:cleanup_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action == "view" and user.role_codes & {
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.JUSTICE_OFFICE,
        }:
            return Q()
        return None


class CleanupItem(ScopedModel):
    """A certificate proposed for clean-up, with the criteria it meets, the unit's answer, the decision."""

    class Answer(models.TextChoices):
        PENDING = "", "待反馈"
        CONFIRM = "confirm", "同意清理"
        EXPLAIN = "explain", "说明情况"

    class Decision(models.TextChoices):
        PENDING = "", "待决定"
        CANCEL = "cancel", "注销"
        WITHDRAW = "withdraw", "收回"
        KEEP = "keep", "保留"

    campaign = models.ForeignKey(
        CleanupCampaign, verbose_name="资格清理", on_delete=models.CASCADE, related_name="items"
    )
    certificate = models.ForeignKey(
        Certificate, verbose_name="证件", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    criteria = models.JSONField("清理情形", default=list)
    answer = models.CharField("单位反馈", max_length=10, choices=Answer.choices, blank=True)
    explanation = models.TextField("情况说明", blank=True)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    decision = models.CharField("处理决定", max_length=10, choices=Decision.choices, blank=True)
    applied = models.BooleanField("已执行", default=False)

    class Meta:
        verbose_name = "清理对象"
        verbose_name_plural = "清理对象"
        ordering = ["campaign", "unit__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "certificate"], name="cleanup_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} {'、'.join(self.criteria)}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        return unit_scope_q(user, action)


class TrainingPlan(ScopedModel):
    """A unit's annual training plan, filed with the bureau by the end of February (rule)."""

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    content = models.TextField("培训计划")
    planned_hours = models.PositiveSmallIntegerField("计划人均学时", default=0)
    filed_at = models.DateTimeField("报送时间", auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度培训计划"
        verbose_name_plural = "年度培训计划"
        ordering = ["-year", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="training_plan_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年培训计划"

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return unit_scope_q(user, action)


class Course(ScopedModel):
    """A training course and its hours; officers' attendance counts toward their yearly hours."""

    class Category(models.TextChoices):
        PUBLIC_LAW = "public_law", "公共法律知识"
        BUSINESS = "business", "业务知识"
        SKILLS = "skills", "执法技能"
        POLITICAL = "political", "政治理论"

    title = models.CharField("课程", max_length=200)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")),
                name="course_dates_order",
                violation_error_message="培训开始日期不能晚于结束日期。",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="course_hours_positive",
                violation_error_message="培训学时应大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("enforcement:course_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        # Courses are seen by everyone in enforcement work (the bureau's courses serve all units);
        # a unit changes only the courses it organises.
        if Role.SUPERVISOR in user.role_codes:
            return Q()
        if action == "view" and user.role_codes & {
            Role.LEADER,
            Role.REPORTER,
            Role.UNIT_HEAD,
            Role.OFFICER,
            Role.JUSTICE_OFFICE,
        }:
            return Q()
        return unit_scope_q(user, action)


class Attendance(models.Model):
    """An officer's attendance of a course, with the hours credited."""

    course = models.ForeignKey(
        Course, verbose_name="课程", on_delete=models.CASCADE, related_name="attendance"
    )
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="attendance"
    )
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "参训记录"
        verbose_name_plural = "参训记录"
        constraints = [
            models.UniqueConstraint(fields=["course", "officer"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="attendance_hours_positive",
                violation_error_message="计入的学时应大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.course}"
