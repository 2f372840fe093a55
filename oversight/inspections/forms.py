from django import forms

from oversight.enforcement.forms import limit_to_own_units
from oversight.enforcement.models import Officer

from .models import Enterprise, Inspection, InspectionItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IdListField(forms.Field):
    """Object ids posted as a list (checkboxes); what they may name is the service's check."""

    widget = forms.SelectMultiple

    def to_python(self, value) -> list[int]:
        return [int(v) for v in (value or []) if str(v).isdigit() and len(str(v)) < 12]


class DrawResultForm(forms.Form):
    target = forms.CharField(required=False)
    result = forms.CharField(label="检查结果", required=False, max_length=1000)
    result_on = forms.DateField(label="结果日期", required=False, widget=DATE)


class DrawChangeForm(forms.Form):
    target = forms.CharField(required=False)
    officer_ids = IdListField(label="检查人员", required=False)
    reason = forms.CharField(label="变更理由", required=False, max_length=300)


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "risk", "industry", "address"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        pass


class InspectionForm(forms.ModelForm):
    officers = forms.ModelMultipleChoiceField(
        label="检查人员",
        queryset=Officer.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    items = forms.ModelMultipleChoiceField(
        label="检查事项(须在公布的检查事项清单内)",
        queryset=InspectionItem.objects.none(),
        required=False,
    )

    class Meta:
        model = Inspection
        fields = ["enterprise", "unit", "kind", "date", "result"]
        widgets = {"date": DATE, "result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = limit_to_own_units(self.fields["unit"], user)
        self.fields["officers"].queryset = Officer.objects.restrict(user, "view").filter(
            unit__in=units, status="on_duty"
        )
        self.fields["items"].queryset = InspectionItem.objects.filter(unit__in=units)


class DrawForm(forms.Form):
    unit = forms.ModelChoiceField(label="抽查单位", queryset=None)
    title = forms.CharField(label="名称", max_length=200)
    high = forms.CharField(
        label="高风险:比例(如 0.5)或数量(如 3 户)", required=False, initial="0.5"
    )
    medium = forms.CharField(label="中风险", required=False, initial="0.2")
    low = forms.CharField(label="低风险", required=False, initial="0.05")
    officers_per_target = forms.IntegerField(
        label="每户检查人员", min_value=2, max_value=10, initial=2
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_own_units(self.fields["unit"], user)

    def quotas(self) -> dict:
        quotas = {}
        for tier in ("high", "medium", "low"):
            # "0.5", "50%", "3 户", "3户": a ratio of the tier, or a number of enterprises.
            text = "".join((self.cleaned_data.get(tier) or "").split()).replace("户", "")
            if not text:
                continue
            try:
                if text.isdigit():
                    quotas[tier] = {"count": int(text)}
                elif text.endswith(("%", "%")):
                    quotas[tier] = {"ratio": float(text[:-1]) / 100}
                else:
                    quotas[tier] = {"ratio": float(text)}
            except ValueError as exc:
                raise forms.ValidationError(
                    f"{self.fields[tier].label.split(':')[0]}应写成比例(如 0.5 或 50%)"
                    "或户数(如 3 户)。"
                ) from exc
        return quotas


class ConflictForm(forms.Form):
    officer = forms.ModelChoiceField(label="执法人员", queryset=Officer.objects.none())
    enterprise = forms.ModelChoiceField(label="企业", queryset=Enterprise.objects.none())
    reason = forms.CharField(
        label="关系说明", max_length=200, help_text="如:配偶在该企业任职、曾在该企业工作"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.restrict(user, "change").select_related(
            "unit"
        )
        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, "view")
