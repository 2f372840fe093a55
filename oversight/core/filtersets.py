import django_filters
from django import forms
from django.db.models import Q

from .models import AuditEntry, ScheduledRun


class RecordChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among records (a unit, a robot) whose empty choice reads 全部, not Django's dashes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "全部")
        super().__init__(*args, **kwargs)


class DayFilter(django_filters.DateFilter):
    """A date picked in the browser's date field: `field_name` and `lookup_expr` as DateFilter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class AuditEntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="关键词(对象编号、单位、途径)")
    username = django_filters.CharFilter(lookup_expr="icontains", label="操作人")
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="动作")
    since = DayFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = DayFilter(field_name="time", lookup_expr="date__lte", label="截止日期")
    request_id = django_filters.CharFilter(label="请求编号")

    class Meta:
        model = AuditEntry
        fields = []

    def search(self, queryset, name, value):
        # Not the object's text or the message: the audit administrator could otherwise find
        # which records mention a name or a case number (三员分立: no business content).
        return queryset.filter(
            Q(object_id=value) | Q(unit_name__icontains=value) | Q(via__icontains=value)
        )


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads 全部 rather than Django's 未知."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])
        )
        super().__init__(*args, **kwargs)


def _job_names():
    from .scheduler import discover

    return [(name, job.title or name) for name, job in sorted(discover().items())]


class ScheduledRunFilterSet(django_filters.FilterSet):
    job = django_filters.ChoiceFilter(field_name="job_id", choices=_job_names, label="任务")
    ok = YesNoFilter(label="成功")
    since = DayFilter(field_name="started_at", lookup_expr="date__gte", label="起始日期")
    until = DayFilter(field_name="started_at", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = ScheduledRun
        fields = []
