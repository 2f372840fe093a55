from django import forms

from .rules import RuleSpec
from .uploads import UPLOAD_TYPES

# What a file input offers: the camera and photo library on a phone (image/*), and every type the
# platform accepts; the server still checks each file's content.
ACCEPT = ",".join(["image/*", *sorted(UPLOAD_TYPES)])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": ACCEPT, **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Several files in one input (at most `max_files`); the service checks each one's type and
    size."""

    def __init__(self, *args, max_files: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.max_files is not None and len(files) > self.max_files:
            raise forms.ValidationError(f"一次最多上传 {self.max_files} 个文件。")
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        single = super().clean
        return [single(f, initial) for f in files]


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
