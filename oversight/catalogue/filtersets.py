"""Filters of the adjustment list."""

import django_filters

from oversight.core.filtersets import RecordChoiceFilter
from oversight.organisations.models import Unit

from .models import Adjustment


class AdjustmentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Adjustment.Status.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=Adjustment.Kind.choices, label="调整类型")
    unit = RecordChoiceFilter(queryset=Unit.objects.none(), label="单位")
    code = django_filters.CharFilter(lookup_expr="icontains", label="事项编码")

    class Meta:
        model = Adjustment
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.restrict(request.user, "view").filter(
            is_enforcement=True
        )
