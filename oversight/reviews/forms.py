from django import forms
from django.contrib.auth import get_user_model

from oversight.core.roles import Role
from oversight.organisations.models import Unit

from .defaults import TITLES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACT_TYPE_CHOICES = list(TITLES.items())


class SchemeCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    act_type = forms.ChoiceField(
        label="执法类别",
        choices=[(k, v.removesuffix("案卷评查标准")) for k, v in TITLES.items()],
        help_text="有上一年度标准的,复制上一年度;否则按默认标准(100 分,六个部分,一票否决项)建立",
    )


class ItemForm(forms.Form):
    section = forms.CharField(label="部分", max_length=50)
    text = forms.CharField(label="评查内容", max_length=300)
    points = forms.DecimalField(label="分值", required=False, min_value=0, max_value=100)
    source = forms.CharField(label="依据", max_length=300, required=False)
    veto = forms.BooleanField(label="一票否决", required=False)
    order = forms.IntegerField(label="排序", required=False, min_value=0, max_value=999)


class ItemDeleteForm(forms.Form):
    item = forms.IntegerField(min_value=1)


class GradesForm(forms.Form):
    grades = forms.CharField(label="等次", help_text="如:90=优秀,75=良好,60=合格,0=不合格")

    def clean_grades(self):
        text = self.cleaned_data["grades"].replace(",", ",").replace("=", "=")
        grades = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            score, _, label = part.partition("=")
            try:
                grades.append([float(score), label.strip()])
            except ValueError as exc:
                raise forms.ValidationError(f"“{part}”应写成 分数线=等次") from exc
            if not label.strip():
                raise forms.ValidationError(f"“{part}”缺少等次名称")
        if not any(g[0] == 0 for g in grades):
            raise forms.ValidationError("须有一个分数线为 0 的等次(最低等次)")
        return grades


class RoundForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    year = forms.IntegerField(label="评查标准年度", min_value=2000, max_value=2100)
    units = forms.ModelMultipleChoiceField(
        label="被评查单位",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    act_types = forms.MultipleChoiceField(
        label="执法类别", choices=[(k, v.removesuffix("案卷评查标准")) for k, v in TITLES.items()],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    closed_from = forms.DateField(label="结案日期起", widget=DATE)
    closed_to = forms.DateField(label="结案日期止", widget=DATE)
    per_unit = forms.IntegerField(
        label="每单位抽取件数", required=False, min_value=1, max_value=500
    )
    share = forms.DecimalField(
        label="或每单位抽取比例", required=False, min_value=0, max_value=1, decimal_places=3,
        help_text="如 0.1 表示 10%,向上取整",
    )  # fmt: skip
    min_per_unit = forms.IntegerField(label="每单位至少", min_value=1, max_value=100, initial=1)
    upload_due = forms.DateField(label="案卷上传截止", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(is_active=True, is_enforcement=True)


def reviewer_candidates():
    """People who may review: the bureau's staff, officers with accounts, special supervisors."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_rows__role__in=[Role.SUPERVISOR, Role.OFFICER, Role.SPECIAL_SUPERVISOR],
        )
        .distinct()
        .order_by("primary_unit__sort_order", "username")
    )


class AssignForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label="评查人员", queryset=get_user_model().objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="司法局工作人员、其他单位执法人员、特邀监督员;平台按“不评本单位、不评有回避关系的当事人、工作量均衡”自动分配",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = reviewer_candidates()


class UploadForm(forms.Form):
    file = forms.FileField(label="案卷扫描件(PDF)", required=False)
    link = forms.URLField(label="或业务系统中的案卷链接", required=False, assume_scheme="https")
    decision = forms.FileField(
        label="处罚决定书(Word 或可复制文字的 PDF,用于平台预检)", required=False
    )


class SheetForm(forms.Form):
    """The signature and comment; the item rows come from the page (points_<item>, reason_<item>,
    veto_<item>, decision_<suggestion>)."""

    comment = forms.CharField(label="评查意见", required=False, max_length=4000)
    signed_name = forms.CharField(label="签名", max_length=50)


class ArbitrateForm(forms.Form):
    third = forms.ModelChoiceField(
        label="指定复核人", queryset=get_user_model().objects.none(), required=False
    )
    score = forms.DecimalField(label="或评查组评定分数", required=False, min_value=0, max_value=100)
    vetoed = forms.BooleanField(label="一票否决", required=False)
    reason = forms.CharField(label="评定理由", required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third"].queryset = reviewer_candidates()


class ObjectForm(forms.Form):
    reason = forms.CharField(label="异议的事实和理由", max_length=4000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复意见", max_length=4000)
    score = forms.DecimalField(
        label="变更后的分数(维持原结果的不填)", required=False, min_value=0, max_value=100
    )
    vetoed = forms.TypedChoiceField(
        label="一票否决", required=False, choices=[("", "维持"), ("1", "否决"), ("0", "不否决")],
        coerce=lambda v: v == "1", empty_value=None,
    )  # fmt: skip
