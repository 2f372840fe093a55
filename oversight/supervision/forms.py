from django import forms

from oversight.core.forms import MultipleFileField as BaseMultipleFileField
from oversight.core.validation import validate_phone
from oversight.organisations.models import Unit

from .models import (
    Clue,
    ContactPoint,
    Document,
    Matter,
    Problem,
    ProblemType,
    SpecialSupervisor,
    SupervisorActivity,
    SupervisorAssessment,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def phone_field(help_text: str) -> forms.CharField:
    """An optional phone number, checked (mobile, or a landline with its area code)."""
    return forms.CharField(
        label="联系电话",
        required=False,
        max_length=40,
        help_text=help_text,
        validators=[validate_phone],
    )


class MultipleFileField(BaseMultipleFileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_files", 5)
        super().__init__(*args, **kwargs)


def active_units():
    return Unit.objects.filter(is_active=True).order_by("sort_order", "pk")


def active_problem_types():
    return ProblemType.objects.filter(is_active=True)


class ClueForm(forms.Form):
    """Registering a clue by hand (a letter, a call, a supervisor's or contact point's report)."""

    source = forms.ChoiceField(label="来源", choices=Clue.Source.choices)
    external_ref = forms.CharField(
        label="来源编号", required=False, max_length=60, help_text="如 12345 工单号、来信编号"
    )
    received_on = forms.DateField(label="收到日期", widget=DATE)
    anonymous = forms.BooleanField(label="匿名投诉", required=False)
    complainant_name = forms.CharField(label="投诉人", required=False, max_length=50)
    contact = forms.CharField(
        label="联系方式", required=False, max_length=40, help_text="加密保存,单位看不到"
    )
    party_name = forms.CharField(label="被反映的企业或个人", required=False, max_length=200)
    party_credit_code = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    unit = forms.ModelChoiceField(label="被投诉单位", queryset=Unit.objects.none(), required=False)
    matter = forms.CharField(label="反映事项", widget=forms.Textarea(attrs={"rows": 4}))
    problem_types = forms.ModelMultipleChoiceField(
        label="问题类型",
        queryset=ProblemType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(
        label="附件", help_text="照片、来信、处罚决定书等(PDF、图片或 Office 文件)"
    )
    share_files = forms.BooleanField(
        label="附件转办时一并转交被投诉单位",
        required=False,
        help_text="附件含投诉人身份信息时不要勾选",
    )
    contact_point = forms.ModelChoiceField(
        label="来源联系点",
        queryset=ContactPoint.objects.none(),
        required=False,
        help_text="来源为监督联系点时必填",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()
        self.fields["problem_types"].queryset = active_problem_types()
        self.fields["contact_point"].queryset = ContactPoint.objects.filter(is_active=True)


class AcceptForm(forms.Form):
    unit = forms.ModelChoiceField(label="被投诉单位", queryset=Unit.objects.none())
    problem_types = forms.ModelMultipleChoiceField(
        label="问题类型", queryset=ProblemType.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()
        self.fields["problem_types"].queryset = active_problem_types()


class RefuseForm(forms.Form):
    reason = forms.CharField(label="不予受理理由", max_length=500)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label="并入线索", queryset=Clue.objects.all())


class TransferForm(forms.Form):
    due = forms.DateField(label="反馈期限", required=False, widget=DATE)
    comment = forms.CharField(label="转办意见", required=False, max_length=500)


class AnswerForm(forms.Form):
    reply = forms.CharField(label="核查反馈", max_length=4000)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="审核结论", choices=[*Clue.Outcome.choices, ("back", "退回重新核查")]
    )
    comment = forms.CharField(label="审核意见", required=False, max_length=1000)


class CloseForm(forms.Form):
    visit_note = forms.CharField(label="回访情况", required=False, max_length=1000)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="延期理由", max_length=500)


class PublicComplaintForm(forms.Form):
    """The portal's complaint form: anyone, about an enforcement unit's conduct."""

    complainant_name = forms.CharField(label="您的姓名", required=False, max_length=50)
    contact = phone_field("仅用于回访,不会公开")
    anonymous = forms.BooleanField(label="匿名投诉(不留姓名和电话,将无法回访)", required=False)
    unit = forms.ModelChoiceField(
        label="被投诉的执法单位", queryset=Unit.objects.none(), required=False
    )
    party_name = forms.CharField(label="企业名称(如为企业投诉)", required=False, max_length=200)
    party_credit_code = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    matter = forms.CharField(
        label="投诉事项",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写明时间、地点、执法人员或单位、发生了什么",
    )
    files = MultipleFileField(label="照片或材料", help_text="最多 5 个,PDF 或图片")
    # Left empty by people; filled by form-filling robots.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units().filter(is_enforcement=True)

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("contact") or "").strip():
            self.add_error("contact", "请留下联系电话以便回访,或选择匿名投诉。")
        return data


class QueryForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=12, min_length=8)


class MatterForm(forms.Form):
    kind = forms.ChoiceField(label="监督方式", choices=Matter.Kind.choices)
    title = forms.CharField(label="名称", max_length=200)
    theme = forms.CharField(
        label="监督主题", required=False, max_length=200, help_text="如:涉企行政检查、趋利性执法"
    )
    units = forms.ModelMultipleChoiceField(
        label="监督对象单位",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    problem_types = forms.ModelMultipleChoiceField(
        label="问题类型",
        queryset=ProblemType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(
        label="发现的问题", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    origin = forms.ChoiceField(label="来由", choices=Matter.Origin.choices)
    origin_note = forms.CharField(label="来由说明", required=False, max_length=300)
    clue = forms.ModelChoiceField(
        label="来源线索", queryset=Clue.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = active_units()
        self.fields["problem_types"].queryset = active_problem_types()
        self.fields["clue"].queryset = Clue.objects.exclude(status__in=["refused", "merged"])


class MatterCloseForm(forms.Form):
    summary = forms.CharField(label="办结情况", max_length=4000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="文书类型", choices=Document.Kind.choices)
    unit = forms.ModelChoiceField(label="主送(被监督)单位", queryset=Unit.objects.none())
    recipient = forms.CharField(
        label="移送或约谈对象",
        required=False,
        max_length=200,
        help_text="移送函写接收机关(如区纪委监委);约谈记录写约谈对象",
    )
    source_organ = forms.CharField(
        label="来文机关",
        required=False,
        max_length=200,
        help_text="登记检察建议、司法建议、审计巡察意见时填写",
    )
    external_number = forms.CharField(label="来文文号", required=False, max_length=60)
    facts = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 5}))
    basis = forms.CharField(
        label="依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="法律、法规、规章的名称和条款",
    )
    requirement = forms.CharField(label="监督意见和要求", widget=forms.Textarea(attrs={"rows": 5}))
    reply_due = forms.DateField(
        label="整改回复期限",
        required=False,
        widget=DATE,
        help_text="不填时按规则:自发文之日起 30 日",
    )

    def __init__(self, *args, matter=None, kinds=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if matter is None:
            # Chosen on the form: the unit must be one of the chosen matter's (the service checks).
            self.fields = {
                "matter": forms.ModelChoiceField(
                    label="监督事项",
                    queryset=Matter.objects.restrict(user, "change").filter(status="open"),
                ),
                **self.fields,
            }
            self.fields["unit"].queryset = active_units()
        else:
            self.fields["unit"].queryset = matter.units.all()
        if kinds:
            self.fields["kind"].choices = [(k, Document.Kind(k).label) for k in kinds]


class ReplyForm(forms.Form):
    reply = forms.CharField(label="整改或说明情况", max_length=8000)
    file = forms.FileField(label="佐证材料", required=False)


class VerdictForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="审核结论",
        choices=[("1", "整改到位,办结"), ("0", "未整改到位,退回")],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(label="审核意见", required=False, max_length=2000)


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(label="申请复查的事实和理由", max_length=4000)


class ReviewAnswerForm(forms.Form):
    result = forms.ChoiceField(label="复查结论", choices=Document.ReviewResult.choices)
    answer = forms.CharField(label="复查意见", max_length=4000)


class SpecialSupervisorForm(forms.ModelForm):
    phone = phone_field("加密保存")

    class Meta:
        model = SpecialSupervisor
        fields = [
            "name",
            "user",
            "organisation",
            "identity",
            "expertise",
            "appointed_on",
            "conflicts",
        ]
        widgets = {"appointed_on": DATE, "conflicts": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from oversight.core.roles import Role

        self.fields["user"].queryset = get_user_model().objects.filter(
            is_active=True, role_rows__role=Role.SPECIAL_SUPERVISOR
        )
        self.fields["user"].help_text = "绑定后,监督员可登录平台反映问题、查看办理进度"

    def validate_unique(self):
        pass


class DismissForm(forms.Form):
    reason = forms.CharField(label="解聘理由", max_length=300)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=SupervisorActivity.Kind.choices)
    date = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="内容", max_length=300)


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    result = forms.ChoiceField(label="结果", choices=SupervisorAssessment.Result.choices)
    note = forms.CharField(label="说明", required=False, max_length=300)


class ContactPointForm(forms.ModelForm):
    phone = phone_field("加密保存")

    class Meta:
        model = ContactPoint
        fields = [
            "name",
            "kind",
            "liaison",
            "address",
            "established_on",
            "enterprises",
            "is_active",
        ]
        widgets = {
            "established_on": DATE,
            "enterprises": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        pass


class SupervisorClueForm(forms.Form):
    """What a special supervisor reports."""

    unit = forms.ModelChoiceField(
        label="涉及的执法单位", queryset=Unit.objects.none(), required=False
    )
    party_name = forms.CharField(label="涉及的企业或个人", required=False, max_length=200)
    party_credit_code = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    matter = forms.CharField(
        label="反映的问题", min_length=10, max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units().filter(is_enforcement=True)


class AttachForm(forms.Form):
    files = MultipleFileField(label="附件")
    shared = forms.BooleanField(label="转交被投诉单位", required=False)


class ShareForm(forms.Form):
    attachment = forms.IntegerField(min_value=1)
    shared = forms.TypedChoiceField(
        choices=[("1", "转交"), ("0", "不转交")], coerce=lambda v: v == "1"
    )


class TrackForm(forms.Form):
    receipt_on = forms.DateField(label="对方签收日期", required=False, widget=DATE)
    feedback = forms.CharField(label="处理反馈", required=False, max_length=4000)


class ProblemTypeForm(forms.ModelForm):
    class Meta:
        model = ProblemType
        fields = ["name", "code", "description", "sort_order", "is_active"]
        help_texts = {"code": "英文字母、数字或下划线,用于导出和接口"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        pass  # the service says which name or code is taken


class CampaignForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    themes = forms.CharField(label="整治重点", widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(
        label="参加单位",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    started_on = forms.DateField(label="开始日期", widget=DATE)
    self_check_due = forms.DateField(label="自查阶段完成", widget=DATE)
    rectify_due = forms.DateField(label="整改阶段完成", widget=DATE)
    inspect_due = forms.DateField(label="督查阶段完成", widget=DATE)
    summary_due = forms.DateField(label="总结阶段完成", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = active_units().filter(is_enforcement=True)


class ProblemForm(forms.Form):
    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    problem_type = forms.ModelChoiceField(
        label="问题类型", queryset=ProblemType.objects.none(), required=False
    )
    source = forms.ChoiceField(label="来源", choices=Problem.Source.choices)
    source_note = forms.CharField(
        label="来源说明", required=False, max_length=300, help_text="如线索编号、监督事项编号、案号"
    )
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="整改时限", widget=DATE)

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = campaign.units.all() if campaign else Unit.objects.none()
        self.fields["problem_type"].queryset = active_problem_types()


class ProblemReportForm(forms.Form):
    measures = forms.CharField(label="整改措施", max_length=4000)
    responsible = forms.CharField(label="责任人", max_length=50)
    evidence = forms.CharField(label="整改佐证", max_length=4000)
    refund_amount = forms.DecimalField(
        label="退还违规罚没款、收费(元)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    accountability = forms.CharField(label="追责问责情况", required=False, max_length=2000)


class ProblemCloseForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结论", choices=[("1", "销号"), ("0", "退回整改")], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label="审核意见", required=False, max_length=2000)


class FollowUpForm(forms.Form):
    note = forms.CharField(label="回访情况", max_length=2000)


class CampaignCloseForm(forms.Form):
    summary = forms.CharField(label="整治总结", max_length=8000)
