from django import forms

from oversight.organisations.models import Unit, UnitGroup, UnitKind


class NoticeUploadForm(forms.Form):
    file = forms.FileField(
        label="通知文件",
        required=False,
        help_text="支持 Word(.docx)、网页(.html)、文本(.txt,UTF-8 或 GBK)",
    )
    text = forms.CharField(
        label="或粘贴通知全文", required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    year = forms.IntegerField(
        label="年份(可选)",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="通知未写成文日期时,“3月底前”“年底前”等按此年份换算",
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传通知文件,或把通知全文粘贴到文本框中。")
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError("请在上传文件和粘贴全文中二选一。")
        return data


class TaskEditForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=200)
    text = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 4}))
    units_text = forms.CharField(
        label="责任单位",
        required=False,
        max_length=500,
        help_text="牵头单位写在第一个逗号之前,单位之间用顿号分隔",
    )
    deadline_text = forms.CharField(
        label="完成时限",
        required=False,
        max_length=200,
        help_text="如:2024年11月15日;2024年10月底;长期坚持",
    )


class UnitMappingForm(forms.Form):
    ACTIONS = [("unit", "对应已有单位"), ("group", "对应单位组"), ("create", "新建单位")]

    name = forms.CharField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label="处理方式", choices=ACTIONS, widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(label="已有单位", queryset=Unit.objects.none(), required=False)
    group = forms.ModelChoiceField(
        label="单位组", queryset=UnitGroup.objects.none(), required=False
    )
    new_name = forms.CharField(label="新单位全称", required=False, max_length=100)
    kind = forms.ChoiceField(label="单位类别", choices=UnitKind.choices, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").filter(is_active=True)
        self.fields["group"].queryset = UnitGroup.objects.restrict(user, "view")

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "unit" and not data.get("unit"):
            self.add_error("unit", "请选择单位。")
        if action == "group" and not data.get("group"):
            self.add_error("group", "请选择单位组。")
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
