"""Filters of the cases lists."""

import django_filters

from oversight.core.filtersets import DayFilter, RecordChoiceFilter
from oversight.enforcement.models import EnforcementType
from oversight.organisations.models import Unit

from .models import Case

LIGHTS = [("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")]


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="案号或当事人")
    unit = RecordChoiceFilter(queryset=Unit.objects.none(), label="单位")
    act_type = django_filters.ChoiceFilter(choices=EnforcementType.choices, label="类别")
    light = django_filters.ChoiceFilter(choices=LIGHTS, label="亮灯")
    since = DayFilter(field_name="filed_on", lookup_expr="gte", label="立案起")
    until = DayFilter(field_name="filed_on", lookup_expr="lte", label="立案止")

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.restrict(request.user, "view").filter(
            is_enforcement=True
        )

    def search(self, queryset, name, value):
        return queryset.filter(number__icontains=value) | queryset.filter(
            party_name__icontains=value
        )
