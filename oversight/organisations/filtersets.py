import django_filters
from django.db.models import Q

from oversight.core.filtersets import DayFilter, RecordChoiceFilter, YesNoFilter

from .models import RobotPost, Unit, UnitKind, WebhookTarget


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称或别名")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="单位类别")
    is_enforcement = YesNoFilter(label="行政执法部门")
    is_active = YesNoFilter(label="启用")
    is_demo = YesNoFilter(label="演示数据")

    class Meta:
        model = Unit
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(aliases__name__icontains=value)
        ).distinct()


class RobotPostFilterSet(django_filters.FilterSet):
    target = RecordChoiceFilter(queryset=WebhookTarget.objects.order_by("name"), label="群机器人")
    status = django_filters.ChoiceFilter(choices=RobotPost.Status.choices, label="状态")
    since = DayFilter(field_name="created_at", lookup_expr="date__gte", label="起始日期")
    until = DayFilter(field_name="created_at", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = RobotPost
        fields = []
