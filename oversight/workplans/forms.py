from django import forms

from oversight.core.forms import MultipleFileField
from oversight.core.params import MAX_ID
from oversight.organisations.models import Unit, UnitGroup

from .models import Cadence, NotificationRule, Plan, Report, SupervisionLetter

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanSettingsForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["report_cadence", "require_head_approval"]


class MeasureForm(forms.Form):
    content = forms.CharField(label="具体措施", widget=forms.Textarea(attrs={"rows": 2}))
    responsible_person = forms.CharField(label="责任人", max_length=50)
    planned_date = forms.DateField(label="时间节点", widget=DATE)
    expected_evidence = forms.CharField(label="预期佐证材料", max_length=200, required=False)
    milestone_id = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    done = forms.BooleanField(label="已完成", required=False)


MeasureFormSet = forms.formset_factory(MeasureForm, extra=1, can_delete=True)


class ReportForm(forms.Form):
    done_text = forms.CharField(label="工作进展", widget=forms.Textarea(attrs={"rows": 5}))
    problems = forms.CharField(
        label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label="下步打算", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    self_status = forms.ChoiceField(label="自评状态", choices=Report.SelfStatus.choices)
    files = MultipleFileField(
        label="佐证材料",
        required=False,
        help_text="PDF、图片(PNG/JPG/GIF)或 Office 文件,每个不超过 20 MB,可多选",
    )
    submit = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from oversight.core.rules import rule_value

        limit = rule_value("workplans.report_max_chars")
        for name in ("done_text", "problems", "next_steps"):
            self.fields[name].widget.attrs["maxlength"] = limit
            self.fields[name].help_text = f"不超过 {limit} 字;详细材料请作为佐证附件上传"


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    new_date = forms.DateField(label="申请延至", widget=DATE)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class CompletionForm(forms.Form):
    note = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 3}))


class LeadSummaryForm(forms.Form):
    text = forms.CharField(label="牵头单位汇总", widget=forms.Textarea(attrs={"rows": 4}))


class TaskUnitsForm(forms.Form):
    lead = forms.ModelMultipleChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), required=False
    )
    units = forms.ModelMultipleChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label="单位组", queryset=UnitGroup.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.restrict(user, "view").filter(is_active=True)
        self.fields["lead"].queryset = units
        self.fields["units"].queryset = units
        self.fields["groups"].queryset = UnitGroup.objects.restrict(user, "view")
        for name in ("lead", "units", "groups"):
            self.fields[name].widget.attrs["size"] = 8

    def links(self):
        data = self.cleaned_data
        lead = list(data["lead"])
        result = [(u, True) for u in lead]
        result += [(u, False) for u in data["units"] if u not in lead]
        result += [(g, False) for g in data["groups"]]
        return result


class LetterIssueForm(forms.Form):
    level = forms.ChoiceField(label="督办等级", choices=SupervisionLetter.Level.choices)
    content = forms.CharField(label="督办内容", widget=forms.Textarea(attrs={"rows": 5}))
    reply_due = forms.DateField(label="回复期限", widget=DATE)


class NotificationRuleForm(forms.ModelForm):
    RECIPIENTS = [
        ("reporter", "单位填报员"),
        ("unit_head", "单位负责人"),
        ("supervisor", "监督机构"),
    ]
    CHANNELS = [("in_app", "站内消息"), ("email", "电子邮件"), ("webhook", "钉钉/企业微信群机器人")]

    recipients = forms.MultipleChoiceField(
        label="接收人", choices=RECIPIENTS, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label="渠道", choices=CHANNELS, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = NotificationRule
        fields = [
            "name",
            "trigger",
            "workdays",
            "repeat_every",
            "event",
            "recipients",
            "channels",
            "urgent",
            "action",
            "active",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("trigger") == NotificationRule.Trigger.EVENT and not data.get("event"):
            self.add_error("event", "触发条件为“状态变化时”时须选择状态变化。")
        if "in_app" not in (data.get("channels") or []):
            data["channels"] = ["in_app", *(data.get("channels") or [])]
        return data


CADENCE_CHOICES = [("", "按计划设置"), *Cadence.choices]
