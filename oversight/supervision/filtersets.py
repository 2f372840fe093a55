"""Filters of the clue list."""

import django_filters
from django import forms as djforms
from django.db.models import Q
from django.utils import timezone

from oversight.core.filtersets import DayFilter, RecordChoiceFilter
from oversight.organisations.models import Unit

from .models import ESCALATION, Clue, Document, ProblemType
from .selectors import light_q

LIGHTS = [("red", "红灯(超期)"), ("yellow", "黄灯(临期)"), ("green", "绿灯")]


class ClueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="编号、企业或事项")
    status = django_filters.ChoiceFilter(choices=Clue.Status.choices, label="状态")
    source = django_filters.ChoiceFilter(choices=Clue.Source.choices, label="来源")
    unit = RecordChoiceFilter(queryset=Unit.objects.none(), label="被投诉单位")
    problem_type = RecordChoiceFilter(
        field_name="problem_types", queryset=ProblemType.objects.all(), label="问题类型"
    )
    light = django_filters.ChoiceFilter(choices=LIGHTS, label="亮灯", method="by_light")
    since = DayFilter(field_name="received_on", lookup_expr="gte", label="收到起")
    until = DayFilter(field_name="received_on", lookup_expr="lte", label="收到止")

    class Meta:
        model = Clue
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.restrict(request.user, "view").filter(
            is_active=True
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(party_name__icontains=value)
            | Q(party_credit_code__iexact=value)
            | Q(matter__icontains=value)
            | Q(external_ref__iexact=value)
        )

    def by_light(self, queryset, name, value):
        return queryset.filter(light_q(value, timezone.localdate()))


class DocumentFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices, label="文书类型")
    status = django_filters.ChoiceFilter(choices=Document.Status.choices, label="状态")
    unit = RecordChoiceFilter(queryset=Unit.objects.none(), label="主送单位")
    to_escalate = django_filters.BooleanFilter(
        method="by_escalation", label="待升级处理", widget=djforms.CheckboxInput
    )

    class Meta:
        model = Document
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["unit"].queryset = Unit.objects.restrict(request.user, "view").filter(
            is_active=True
        )

    def by_escalation(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(kind__in=list(ESCALATION)).filter(
            Q(status=Document.Status.RETURNED)
            | Q(status=Document.Status.ISSUED, reply_due__lt=today)
        )
