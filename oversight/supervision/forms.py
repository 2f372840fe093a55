from django import forms

from oversight.organisations.models import Unit

from .models import Clue, ProblemType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()
        self.fields["problem_types"].queryset = active_problem_types()


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
    contact = forms.CharField(
        label="联系电话", required=False, max_length=40, help_text="仅用于回访,不会公开"
    )
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
