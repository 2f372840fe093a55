from django import forms

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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


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
            self.add_error("event", "触发条件为“状态变化时”时须填写状态变化。")
        if "in_app" not in (data.get("channels") or []):
            data["channels"] = ["in_app", *(data.get("channels") or [])]
        return data


CADENCE_CHOICES = [("", "按计划设置"), *Cadence.choices]


class BulletinCreateForm(forms.Form):
    plan = forms.ModelChoiceField(label="工作计划", queryset=Plan.objects.none())
    period = forms.ChoiceField(
        label="通报周期", choices=[("quarter", "季度"), ("month", "月度"), ("custom", "自定义")]
    )
    date_from = forms.DateField(label="统计起始日", widget=DATE)
    date_to = forms.DateField(label="统计截止日", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.restrict(user, "change").exclude(
            status=Plan.Status.CONFIRMED
        )


class BulletinEditForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    intro = forms.CharField(label="导语", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    highlights = forms.CharField(
        label="经验做法",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每段一行",
    )
    requirements = forms.CharField(
        label="下步要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulletinScheduleForm(forms.Form):
    period = forms.ChoiceField(label="周期", choices=[("quarter", "每季度"), ("month", "每月")])
    workday = forms.IntegerField(
        label="在新周期的第几个工作日生成草稿", min_value=1, max_value=20, initial=5
    )


class EvaluationCreateForm(forms.Form):
    plan = forms.ModelChoiceField(label="工作计划", queryset=Plan.objects.none())
    kind = forms.ChoiceField(label="类型", choices=[("midterm", "中期评估"), ("final", "终期评估")])
    as_of = forms.DateField(
        label="评估截止日",
        required=False,
        widget=DATE,
        help_text="留空时按通知规定的日期(如“2024年11月前完成中期评估”)",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.restrict(user, "change").exclude(
            status=Plan.Status.CONFIRMED
        )


class EvaluationSchemeForm(forms.Form):
    as_of = forms.DateField(label="评估截止日", widget=DATE)
    points_per_overdue_workday = forms.DecimalField(
        label="每逾期一个工作日扣分", min_value=0, max_value=100, decimal_places=2
    )
    points_per_missed_period = forms.DecimalField(
        label="长期任务每期应报未报扣分", min_value=0, max_value=100, decimal_places=2
    )
    points_per_returned_report = forms.DecimalField(
        label="每次报告被退回扣分", min_value=0, max_value=100, decimal_places=2
    )
    max_bonus = forms.DecimalField(label="加分上限", min_value=0, max_value=50, decimal_places=2)
    task_weights = forms.CharField(
        label="任务权重", required=False, help_text="如:2=2,5=1.5,(十一)=2;未列出的任务权重为 1"
    )
    grades = forms.CharField(label="等次", help_text="如:90=优秀,80=良好,60=合格,0=不合格")

    def clean_task_weights(self):
        text = self.cleaned_data["task_weights"].replace(",", ",").strip()
        weights = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            number, _, value = part.partition("=")
            try:
                weights[number.strip()] = float(value)
            except ValueError as exc:
                raise forms.ValidationError(f"“{part}”应写成 序号=权重") from exc
            if weights[number.strip()] <= 0:
                raise forms.ValidationError(f"“{part}”的权重应大于 0")
        return weights

    def clean_grades(self):
        text = self.cleaned_data["grades"].replace(",", ",")
        grades = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            minimum, _, name = part.partition("=")
            try:
                grades.append([float(minimum), name.strip()])
            except ValueError as exc:
                raise forms.ValidationError(f"“{part}”应写成 最低分=等次") from exc
        if not grades or min(g[0] for g in grades) > 0:
            raise forms.ValidationError("须包含最低分为 0 的等次。")
        return sorted(grades, key=lambda g: -g[0])


class AdjustForm(forms.Form):
    adjustment = forms.DecimalField(label="调整分", max_digits=6, decimal_places=2, initial=0)
    reason = forms.CharField(label="调整理由", required=False)
    bonus = forms.DecimalField(label="加分", max_digits=5, decimal_places=2, initial=0, min_value=0)
    bonus_reason = forms.CharField(label="加分事项", required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label="异议", widget=forms.Textarea(attrs={"rows": 3}))


class SettleForm(forms.Form):
    text = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 3}))
    adjustment = forms.DecimalField(
        label="调整分(不变可留空)", max_digits=6, decimal_places=2, required=False
    )
