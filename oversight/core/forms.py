from django import forms

from .rules import RuleSpec


class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="类型",
        choices=[("0", "法定节假日(放假)"), ("1", "调休上班")],
        coerce=lambda v: v == "1",
    )
    name = forms.CharField(label="节日名称", max_length=50)


class RulesForm(forms.Form):
    """One integer field per rule of a category."""

    note = forms.CharField(label="修改说明", max_length=300, required=True)

    def __init__(self, *args, rules: list[tuple[RuleSpec, object]], **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = {}
        for spec, value in rules:
            field_name = spec.key.replace(".", "__")
            self.fields[field_name] = forms.IntegerField(
                label=f"{spec.name}({spec.unit})",
                initial=value,
                min_value=spec.minimum,
                max_value=spec.maximum,
                help_text=f"默认 {spec.default}{spec.unit};依据:{spec.source}",
            )
            self.specs[field_name] = spec
        self.order_fields([*self.specs, "note"])
