from django import forms

from oversight.workplans.models import Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    points_per_substantiated_clue = forms.DecimalField(
        label="每件属实投诉线索扣分", min_value=0, max_value=100, decimal_places=2
    )
    points_per_late_document_reply = forms.DecimalField(
        label="每份监督文书逾期回复扣分", min_value=0, max_value=100, decimal_places=2
    )
    points_per_failed_rectification = forms.DecimalField(
        label="每份监督文书整改未通过扣分", min_value=0, max_value=100, decimal_places=2
    )
    points_per_sanction = forms.DecimalField(
        label="每次约谈、通报、移送扣分", min_value=0, max_value=100, decimal_places=2
    )
    points_per_failed_review_file = forms.DecimalField(
        label="每份不合格评查案卷扣分", min_value=0, max_value=100, decimal_places=2
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
