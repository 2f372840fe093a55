"""Reading rows without Django's per-row iterator gives the same values as the queryset."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.db.models import QuerySet

from oversight.core.models import CalendarDay
from oversight.core.querysets import plain_rows
from oversight.organisations.models import Unit

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = pytest.mark.django_db


def test_plain_rows_are_the_querysets_rows():
    CalendarDay.objects.create(date=datetime.date(2031, 10, 8), is_workday=False, name="国庆节")
    rows = CalendarDay.objects.filter(date__year=2031).values_list(
        "pk", "date", "is_workday", "name"
    )
    assert plain_rows(rows) == list(rows)
    ((_, day, workday, name),) = plain_rows(rows)
    assert (day, workday, name) == (
        datetime.date(2031, 10, 8),
        False,
        "国庆节",
    )  # not SQLite's text


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite's dates and booleans need converting")
def test_plain_rows_skip_the_iterator_where_nothing_needs_converting():
    CalendarDay.objects.create(date=datetime.date(2031, 10, 8), is_workday=False, name="国庆节")
    rows = CalendarDay.objects.filter(date__year=2031).values_list("date", "is_workday", "name")
    with mock.patch.object(QuerySet, "_fetch_all", side_effect=AssertionError("iterated")):
        assert plain_rows(rows) == [(datetime.date(2031, 10, 8), False, "国庆节")]


def test_plain_rows_read_whole_instances_through_the_queryset(actors):
    units = plain_rows(Unit.objects.order_by("pk"))
    assert units and all(isinstance(u, Unit) for u in units)


def test_plain_rows_of_an_empty_choice_are_empty():
    assert plain_rows(Unit.objects.filter(pk__in=[]).values_list("pk")) == []
