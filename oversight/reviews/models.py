"""Case-file review (行政执法案卷评查): schemes of items and veto items per year and act type; rounds
that sample closed cases reproducibly and assign them to reviewers from other units; independent
score sheets with reasons; arbitration; publication, objection and the locked result."""

from __future__ import annotations

from decimal import Decimal
from enum import nonmember

from django.conf import settings
from django.db import models

from oversight.core.links import object_url
from oversight.core.querysets import ScopedModel

from .scoping import file_scope, round_scope

DEFAULT_GRADES = [[90, "优秀"], [75, "良好"], [60, "合格"], [0, "不合格"]]
FAIL = "不合格"


class ReviewScheme(models.Model):
    """The score sheet of one year and act type. Frozen once a round uses it; a new year copies it."""

    year = models.PositiveSmallIntegerField("年度")
    act_type = models.CharField("执法类别", max_length=12)
    title = models.CharField("名称", max_length=200)
    grades = models.JSONField("等次", default=list, help_text="[[分数线, 等次], …] 从高到低")
    frozen = models.BooleanField("已启用(冻结)", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评查标准"
        ordering = ["-year", "act_type"]
        constraints = [
            models.UniqueConstraint(fields=["year", "act_type"], name="review_scheme_once")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("reviews:scheme_detail", self.pk)

    @property
    def total_points(self) -> Decimal:
        return sum((i.points for i in self.items.all() if not i.veto), Decimal(0))

    def grade_of(self, score: Decimal, vetoed: bool) -> str:
        if vetoed:
            return FAIL
        for threshold, label in self.grades or DEFAULT_GRADES:
            if score >= Decimal(str(threshold)):
                return label
        return FAIL


class ReviewItem(models.Model):
    """A scored item (points to deduct from) or a veto item (一票否决) of a scheme."""

    scheme = models.ForeignKey(
        ReviewScheme, verbose_name="评查标准", on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField("部分", max_length=50)
    text = models.CharField("评查内容", max_length=300)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1, default=0)
    source = models.CharField("依据", max_length=300, blank=True)
    veto = models.BooleanField("一票否决", default=False)
    # Which of the platform's case checks (cases.checks rule keys) suggest a deduction here.
    checks = models.JSONField("对应的平台检查", default=list, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "评查项目"
        ordering = ["scheme", "veto", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.section}:{self.text}"


class ReviewRound(ScopedModel):
    """One review round: which units, which closing period, how many files each; the sample is
    drawn reproducibly (seed, algorithm, pool hash) and every file gets its reviewers."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待抽取"
        DRAWN = "drawn", "已抽取"
        SCORING = "scoring", "评查中"
        PUBLISHED = "published", "已公布"
        tones = nonmember(
            {"draft": "secondary", "drawn": "info", "scoring": "warning", "published": "success"}
        )

    title = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    units = models.ManyToManyField(
        "organisations.Unit", verbose_name="被评查单位", related_name="+"
    )
    act_types = models.JSONField("执法类别", default=list)
    closed_from = models.DateField("结案日期起")
    closed_to = models.DateField("结案日期止")
    per_unit = models.PositiveSmallIntegerField("每单位抽取件数", null=True, blank=True)
    share = models.DecimalField(
        "每单位抽取比例", max_digits=4, decimal_places=3, null=True, blank=True
    )
    min_per_unit = models.PositiveSmallIntegerField("每单位至少", default=1)
    upload_due = models.DateField("案卷上传截止", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    seed = models.CharField("随机种子", max_length=64, blank=True)
    algorithm = models.CharField("抽取算法", max_length=30, blank=True)
    pool = models.JSONField("案卷库", default=list, blank=True)
    pool_hash = models.CharField("案卷库摘要", max_length=64, blank=True)
    drawn_on = models.DateField("抽取日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    number = models.CharField("评查报告文号", max_length=40, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评查活动"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("reviews:round_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str):
        return round_scope(user, action)


class Reviewer(models.Model):
    """A person in a round's reviewer pool: bureau staff, an officer of another unit, or a special
    supervisor (each through their platform account)."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", "司法局工作人员"
        OFFICER = "officer", "其他单位执法人员"
        SPECIAL = "special", "特邀行政执法监督员"

    round = models.ForeignKey(
        ReviewRound, verbose_name="评查活动", on_delete=models.CASCADE, related_name="reviewers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="所在单位", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    officer = models.ForeignKey(
        "enforcement.Officer", verbose_name="执法人员档案", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "评查人员"
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="reviewer_once_per_round")
        ]

    def __str__(self) -> str:
        return getattr(self.user, "full_name", "") or str(self.user)


class ReviewFile(ScopedModel):
    """One sampled case file: uploaded by its unit, scored by its reviewers, published, perhaps
    objected to, then locked."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "待上传案卷"
        SCORING = "scoring", "评查中"
        ARBITRATION = "arbitration", "待复核(评分差异大)"
        SCORED = "scored", "已评定"
        OBJECTED = "objected", "异议处理中"
        LOCKED = "locked", "已确定"
        tones = nonmember(
            {
                "awaiting": "secondary",
                "scoring": "warning",
                "arbitration": "danger",
                "scored": "info",
                "objected": "warning",
                "locked": "success",
            }
        )

    round = models.ForeignKey(
        ReviewRound, verbose_name="评查活动", on_delete=models.CASCADE, related_name="files"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name="被评查单位", on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        ReviewScheme, verbose_name="评查标准", on_delete=models.PROTECT, related_name="+"
    )
    light_at_draw = models.CharField("抽取时亮灯", max_length=6, blank=True)
    file = models.FileField("案卷扫描件", upload_to="reviews/%Y/", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    link = models.URLField("业务系统链接", blank=True)
    decision_text = models.TextField("处罚决定书文字", blank=True)
    uploaded_at = models.DateTimeField("上传时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.AWAITING
    )
    final_score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=10, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    decided_by = models.CharField("评定方式", max_length=40, blank=True)
    objection = models.TextField("异议理由", blank=True)
    objected_on = models.DateField("提出异议日期", null=True, blank=True)
    objection_due = models.DateField("异议期限", null=True, blank=True)
    answer = models.TextField("异议答复", blank=True)
    answer_due = models.DateField("答复期限", null=True, blank=True)
    locked_on = models.DateField("确定日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评查案卷"
        ordering = ["round", "unit__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], name="review_file_once_per_round")
        ]

    def __str__(self) -> str:
        return self.case.number

    def get_absolute_url(self) -> str:
        return object_url("reviews:file_detail", self.pk)

    @classmethod
    def scope_q(cls, user, action: str):
        return file_scope(user, action)


class ScoreSheet(models.Model):
    """One reviewer's independent score of one file: deductions with reasons, vetoes with reasons,
    a signature. The others' sheets stay hidden from a reviewer until every first-round sheet of the
    file is in."""

    class Role(models.TextChoices):
        FIRST = "first", "评查人"
        THIRD = "third", "复核人"

    file = models.ForeignKey(
        ReviewFile, verbose_name="案卷", on_delete=models.CASCADE, related_name="sheets"
    )
    reviewer = models.ForeignKey(
        Reviewer, verbose_name="评查人员", on_delete=models.PROTECT, related_name="sheets"
    )
    role = models.CharField("角色", max_length=6, choices=Role.choices, default=Role.FIRST)
    total = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    comment = models.TextField("评查意见", blank=True)
    signed_name = models.CharField("签名", max_length=50, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评分表"
        ordering = ["file", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["file", "reviewer"], name="one_sheet_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.file} {self.reviewer}"


class Deduction(models.Model):
    """Points off one item, or a veto, with the reason; a machine suggestion until confirmed."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name="评分表", on_delete=models.CASCADE, related_name="deductions"
    )
    item = models.ForeignKey(ReviewItem, verbose_name="项目", on_delete=models.PROTECT)
    points = models.DecimalField("扣分", max_digits=5, decimal_places=1, default=0)
    reason = models.TextField("理由")
    suggested = models.BooleanField("平台预检建议", default=False)
    # None: a suggestion the reviewer has not decided on; True/False: confirmed or rejected.
    accepted = models.BooleanField("采纳", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "扣分"
        ordering = ["sheet", "item__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="one_deduction_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item} -{self.points}"

    @property
    def counts(self) -> bool:
        return not self.suggested or self.accepted is True
