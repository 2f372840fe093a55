import django_filters
from django.db.models import Q

from oversight.core.filtersets import YesNoFilter

from .models import Unit, UnitKind


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
