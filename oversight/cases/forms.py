from django import forms

from oversight.catalogue.models import CatalogItem
from oversight.enforcement.forms import limit_to_own_units
from oversight.enforcement.models import EnforcementSubject, Officer

from .models import Case, CaseRecord, LeniencyItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CaseForm(forms.ModelForm):
    officers = forms.ModelMultipleChoiceField(
        label="执法人员(至少两人)",
        queryset=Officer.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Case
        fields = [
            "unit", "subject", "number", "act_type", "procedure", "party_kind", "party_name", "party_credit_code", "facts",
            "legal_basis", "catalog_item", "benchmark", "leniency_item", "filed_on", "investigated_on", "preserved_on", "preservation_decided_on",
            "notified_on", "hearing_requested_on", "hearing_withdrawn_on", "hearing_notified_on", "hearing_held_on", "legal_review_on", "collective_discussion_on", "decided_on", "served_on",
            "executed_on", "closed_on", "decision", "fine_amount", "is_major", "complex_case", "first_offence_exempt",
            "public_service_reduction", "fast_track", "involves_enterprise", "suspected_crime", "published_on",
            "decision_changed_on", "publication_withdrawn_on", "credit_repair_notice_on", "impact_assessed_on",
            "crime_found_on", "crime_reported_on", "transfer_decided_on", "transfer_approved_at", "transferred_at",
        ]  # fmt: skip
        widgets = {"facts": forms.Textarea(attrs={"rows": 3}), "legal_basis": forms.Textarea(attrs={"rows": 2}), "decision": forms.Textarea(attrs={"rows": 2}),
                   "transfer_approved_at": DATETIME, "transferred_at": DATETIME}  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = limit_to_own_units(self.fields["unit"], user)
        self.fields["subject"].queryset = EnforcementSubject.objects.filter(
            unit__in=units, status="active"
        )
        self.fields["officers"].queryset = (
            Officer.objects.restrict(user, "view").filter(unit__in=units).select_related("unit")
        )
        self.fields["leniency_item"].queryset = LeniencyItem.objects.filter(unit__in=units)
        self.fields["catalog_item"].queryset = CatalogItem.objects.filter(unit__in=units)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE
        if self.instance.pk:
            self.fields["officers"].initial = list(self.instance.officers.all())

    def validate_unique(self):
        pass


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=CaseRecord.Kind.choices)
    title = forms.CharField(label="名称", max_length=200)
    reference = forms.CharField(label="音像档案编号或存储位置", max_length=300, required=False)
    file = forms.FileField(label="文件", required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="理由", max_length=300)
    approved_on = forms.DateField(label="批准日期", widget=DATE)


class EscalateForm(forms.Form):
    plan = forms.ModelChoiceField(label="列入工作计划", queryset=None)
    due = forms.DateField(label="整改期限", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from oversight.workplans.models import Plan

        plans = Plan.objects.restrict(user, "change").order_by("-year", "-pk")
        self.fields["plan"].queryset = plans
        # The current issued plan, and ten working days to put things right, unless chosen otherwise.
        self.fields["plan"].initial = (
            plans.filter(status=Plan.Status.ISSUED).first() or plans.first()
        )
        from django.utils import timezone

        from oversight.core.calendar import add_workdays

        self.fields["due"].initial = add_workdays(timezone.localdate(), 10)


class LeniencyForm(forms.ModelForm):
    class Meta:
        model = LeniencyItem
        fields = ["unit", "kind", "title", "conditions", "legal_basis"]
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_own_units(self.fields["unit"], user)
