from django import forms

from oversight.enforcement.forms import limit_to_own_units

from .models import Adjustment, ItemClass

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AdjustmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="实施单位", queryset=None)
    kind = forms.ChoiceField(label="调整类型", choices=Adjustment.Kind.choices)
    code = forms.CharField(label="事项编码", max_length=60)
    name = forms.CharField(
        label="事项名称", max_length=200, required=False, help_text="取消事项时可不填"
    )
    item_class = forms.ChoiceField(
        label="事项类别", choices=[("", "—"), *ItemClass.choices], required=False
    )
    legal_basis = forms.CharField(
        label="设定依据", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    basis_url = forms.URLField(label="依据链接", required=False, assume_scheme="https")
    subject = forms.CharField(label="实施主体", max_length=200, required=False)
    benchmark = forms.CharField(label="裁量基准", max_length=300, required=False)
    level = forms.CharField(label="行使层级", max_length=50, required=False)
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.CharField(label="调整依据文件", max_length=300, help_text="文件名称和文号")
    effective_on = forms.DateField(label="生效日期", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = limit_to_own_units(self.fields["unit"], user)
        self.fields["unit"].queryset = units.filter(is_enforcement=True)


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结论",
        choices=[("1", "通过,按生效日期生效"), ("0", "不予通过")],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(label="审核意见", required=False, max_length=2000)


class DelegationForm_(forms.Form):
    item = forms.ModelChoiceField(label="赋权事项(部门清单中的事项)", queryset=None)
    subdistrict = forms.ModelChoiceField(label="承接街办", queryset=None)
    document = forms.CharField(label="赋权文件", max_length=300, help_text="文件名称和文号")
    delegated_on = forms.DateField(label="赋权日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from oversight.organisations.models import Unit, UnitKind

        from .models import CatalogItem

        self.fields["item"].queryset = CatalogItem.objects.exclude(
            unit__kind=UnitKind.SUBDISTRICT
        ).select_related("unit")
        self.fields["subdistrict"].queryset = Unit.objects.filter(
            kind=UnitKind.SUBDISTRICT, is_active=True
        )


class ReviewStartForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    period_from = forms.DateField(label="评估期间起", widget=DATE)
    period_to = forms.DateField(label="评估期间止", widget=DATE)
    due = forms.DateField(label="填报截止", widget=DATE)


class AnswerForm(forms.Form):
    need = forms.CharField(label="承接需求", max_length=2000)
    use = forms.CharField(label="实施情况", max_length=2000)
    capacity = forms.CharField(label="承接能力", max_length=2000)
    safety = forms.CharField(label="风险与安全", max_length=2000)
    problems = forms.CharField(label="存在问题", max_length=2000)


class ViewForm(forms.Form):
    view = forms.CharField(label="赋权部门意见", max_length=2000)


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="评估结论", choices=[("keep", "继续实施"), ("adjust", "调整"), ("take_back", "收回")]
    )
    note = forms.CharField(label="理由", max_length=2000)
