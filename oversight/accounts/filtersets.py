import django_filters
from django.db.models import Q

from oversight.core.filtersets import DayFilter, YesNoFilter
from oversight.core.roles import Role

from .models import LoginEvent, User, UserRole


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="账号或姓名")
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label="角色")
    is_active = YesNoFilter(label="启用")
    locked = YesNoFilter(method="filter_locked", label="已锁定")

    class Meta:
        model = User
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=UserRole.objects.filter(role=value).values("user_id"))

    def filter_locked(self, queryset, name, value):
        from django.utils import timezone

        locked = Q(locked_until__gt=timezone.now())
        return queryset.filter(locked) if value else queryset.exclude(locked)


class LoginEventFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains", label="账号")
    outcome = django_filters.ChoiceFilter(choices=LoginEvent.Outcome.choices, label="结果")
    since = DayFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = DayFilter(field_name="time", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = LoginEvent
        fields = []
