"""Filters of the enforcement lists."""

import datetime

import django_filters
from django.utils import timezone

from oversight.core.filtersets import RecordChoiceFilter, YesNoFilter
from oversight.organisations.models import Unit

from .models import Certificate, Officer


class OfficerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或证号")
    unit = RecordChoiceFilter(queryset=Unit.objects.none(), label="单位")
    status = django_filters.ChoiceFilter(choices=Officer.Status.choices, label="状态")
    employment = django_filters.ChoiceFilter(choices=Officer.Employment.choices, label="编制")
    certified = YesNoFilter(method="filter_certified", label="持有效执法证")

    class Meta:
        model = Officer
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.restrict(request.user, "view")

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(
            certificates__number__icontains=value
        )

    def filter_certified(self, queryset, name, value):
        today = timezone.localdate()
        valid = Certificate.objects.filter(
            status="valid", kind="enforcement", issue_date__lte=today, expiry_date__gte=today
        )
        ids = valid.values("officer_id")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class CertificateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="证号或姓名")
    status = django_filters.ChoiceFilter(choices=Certificate.Status.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=Certificate.Kind.choices, label="种类")
    expiring = django_filters.ChoiceFilter(
        choices=[("30", "30 天内到期"), ("90", "90 天内到期"), ("expired", "已过期")],
        method="filter_expiring",
        label="有效期",
    )

    class Meta:
        model = Certificate
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(number__icontains=value) | queryset.filter(
            officer__name__icontains=value
        )

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(expiry_date__lt=today)
        return queryset.filter(
            expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=int(value))
        )
