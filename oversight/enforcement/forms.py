from django import forms

from oversight.core.roles import Role
from oversight.organisations.models import Unit

from .models import (
    Certificate,
    CertificateReview,
    Course,
    EnforcementSubject,
    EnforcementType,
    Officer,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def own_units(user):
    """The units a user records officers and training for: all for the bureau, else their own."""
    units = Unit.objects.filter(is_active=True)
    if Role.SUPERVISOR in user.role_codes:
        return units
    return units.filter(pk__in=user.scope_unit_ids)


def limit_to_own_units(field, user):
    """Offer only the user's units in a unit field; a user with one unit finds it chosen."""
    units = own_units(user)
    field.queryset = units
    only = list(units[:2])
    if len(only) == 1:
        field.initial = only[0].pk
    return units


class SubjectForm(forms.ModelForm):
    enforcement_types = forms.MultipleChoiceField(
        label="执法类别", choices=EnforcementType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = EnforcementSubject
        fields = ["unit", "name", "legal_status", "legal_basis", "enforcement_types", "status"]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").filter(is_active=True)

    def validate_unique(self):
        pass


class OfficerForm(forms.ModelForm):
    id_number = forms.CharField(
        label="身份证号", max_length=18, required=False, help_text="18 位;已登记的人员不修改时留空"
    )

    class Meta:
        model = Officer
        fields = [
            "unit",
            "subject",
            "name",
            "post",
            "phone",
            "employment",
            "legal_qualification",
            "status",
            "left_on",
        ]
        widgets = {"left_on": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_own_units(self.fields["unit"], user)
        self.fields["subject"].queryset = EnforcementSubject.objects.restrict(user, "view")
        if not self.instance.pk:
            self.fields["id_number"].required = True
            self.fields["id_number"].help_text = "18 位,按 GB 11643 校验;加密保存"


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["number", "kind", "areas", "issuing_authority", "issue_date", "expiry_date"]
        widgets = {"issue_date": DATE, "expiry_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        pass


class CertificateChangeForm(forms.Form):
    action = forms.ChoiceField(
        label="变更",
        choices=[
            ("suspend", "暂扣"),
            ("restore", "恢复"),
            ("withdraw", "收回"),
            ("cancel", "注销"),
        ],
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(label="暂扣至", required=False, widget=DATE)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    result = forms.ChoiceField(label="结果", choices=CertificateReview.Result.choices)
    note = forms.CharField(label="说明", required=False, max_length=200)


class CleanupAnswerForm(forms.Form):
    item = forms.CharField()
    answer = forms.CharField(label="意见", required=False)
    explanation = forms.CharField(label="情况说明", required=False, max_length=500)


class CleanupDecideForm(forms.Form):
    item = forms.CharField()
    decision = forms.CharField(label="处理决定", required=False)


class CleanupStartForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    as_of = forms.DateField(label="清理基准日", widget=DATE)
    response_due = forms.DateField(label="单位反馈截止日", widget=DATE)


class TrainingPlanForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    planned_hours = forms.IntegerField(label="计划人均学时", min_value=0, max_value=500)
    content = forms.CharField(label="培训计划", widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_own_units(self.fields["unit"], user)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "category", "unit", "start_date", "end_date", "hours"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_own_units(self.fields["unit"], user)


class AttendanceForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        label="参训人员",
        queryset=Officer.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    hours = forms.DecimalField(
        label="学时(默认课程学时)", required=False, min_value=0, decimal_places=1
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = (
            Officer.objects.restrict(user, "change")
            .filter(status=Officer.Status.ON_DUTY)
            .select_related("unit")
        )
