"""The working-day calendar, from the chinese-calendar package's data and by hand."""

import datetime
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oversight.core import calendar as cal
from oversight.core.models import CalendarDay, CalendarYear


@pytest.fixture
def seeded(db):
    cal.calendar_seed_from_package(years=[2025, 2026])


@pytest.mark.django_db
class TestNationalDay2026:
    def test_national_day_is_a_holiday(self, seeded):
        assert not cal.is_workday(dt.date(2026, 10, 1))
        assert not cal.is_workday(dt.date(2026, 10, 7))

    def test_make_up_saturday_is_a_working_day(self, seeded):
        # 2026-10-10 is a Saturday worked in exchange for the National Day holiday.
        assert dt.date(2026, 10, 10).weekday() == 5
        assert cal.is_workday(dt.date(2026, 10, 10))

    def test_add_workdays_skips_the_holiday(self, seeded):
        # Seven working days from Wednesday 30 September: 8, 9, 10 (Saturday, worked), 12, 13, 14, 15 October.
        assert cal.add_workdays(dt.date(2026, 9, 30), 7) == dt.date(2026, 10, 15)

    def test_add_workdays_backwards(self, seeded):
        assert cal.add_workdays(dt.date(2026, 10, 8), -1) == dt.date(2026, 9, 30)

    def test_workdays_between_counts_after_start_through_end(self, seeded):
        assert cal.workdays_between(dt.date(2026, 9, 30), dt.date(2026, 10, 15)) == 7
        assert cal.workdays_between(dt.date(2026, 10, 15), dt.date(2026, 9, 30)) == -7
        assert cal.workdays_between(dt.date(2026, 10, 1), dt.date(2026, 10, 1)) == 0

    def test_add_and_between_agree(self, seeded):
        start = dt.date(2026, 9, 20)
        for n in range(0, 40, 3):
            assert cal.workdays_between(start, cal.add_workdays(start, n)) == n

    def test_seeding_twice_changes_nothing(self, seeded):
        count = CalendarDay.objects.count()
        assert cal.calendar_seed_from_package(years=[2025, 2026]) == []
        assert CalendarDay.objects.count() == count


@pytest.mark.django_db
class TestFallback:
    def test_unknown_year_is_monday_to_friday_less_the_statutory_holidays(self, seeded):
        assert not cal.year_is_known(2031)
        assert not cal.is_workday(dt.date(2031, 10, 1))  # a Wednesday, but 国庆 by law
        assert cal.is_workday(dt.date(2031, 10, 6))  # a Monday; no 调休 is assumed
        assert not cal.is_workday(dt.date(2031, 10, 4))  # Saturday

    def test_known_year(self, seeded):
        assert cal.year_is_known(2026)


@pytest.mark.django_db
class TestManualEdits:
    def test_administrator_adds_next_years_holiday(self, seeded):
        cal.calendar_day_set(day=dt.date(2031, 10, 1), is_workday=False, name="国庆节")
        assert not cal.is_workday(dt.date(2031, 10, 1))
        assert CalendarYear.objects.get(year=2031).source == "manual"

    def test_make_up_day_on_a_weekday_is_refused(self, seeded):
        with pytest.raises(ValidationError, match="本来就是工作日"):
            cal.calendar_day_set(day=dt.date(2031, 10, 8), is_workday=True, name="调休")

    def test_package_reseed_keeps_a_hand_maintained_year(self, seeded):
        day = CalendarDay.objects.get(date=dt.date(2026, 10, 1))
        cal.calendar_day_delete(day=day)
        cal.calendar_seed_from_package(years=[2026])
        assert cal.is_workday(dt.date(2026, 10, 1))

    def test_calendar_page_warns_about_a_year_without_data(self, actors, client_as, seeded):
        response = client_as(actors.sysadmin).get("/system/calendar/", {"year": 2031})
        assert "尚无节假日安排数据" in response.content.decode()
        response = client_as(actors.sysadmin).get("/system/calendar/", {"year": 2026})
        assert "尚无节假日安排数据" not in response.content.decode()

    def test_only_the_system_administrator_edits_the_calendar(self, actors, client_as):
        assert client_as(actors.supervisor).get("/system/calendar/").status_code == 403


@pytest.mark.django_db
class TestFastCountingAgreesWithDayByDay:
    """add_workdays and workdays_between use per-year tables; check them against plain counting."""

    def test_random_ranges(self, seeded):
        import random

        rnd = random.Random(11)
        for _ in range(300):
            a = dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randint(0, 900))
            b = a + dt.timedelta(days=rnd.randint(-400, 400))
            low, high = sorted((a, b))
            naive = sum(
                cal.is_workday(low + dt.timedelta(days=i)) for i in range(1, (high - low).days + 1)
            )
            assert cal.workdays_between(a, b) == (naive if b >= a else -naive)
            n = rnd.randint(-60, 60)
            day, left = a, abs(n)
            while left:
                day += dt.timedelta(days=1 if n > 0 else -1)
                left -= cal.is_workday(day)
            assert cal.add_workdays(a, n) == day


@pytest.mark.django_db
class TestYearWithoutData:
    """2027 is not in the calendar package (nor in this test database): its statutory holidays
    are estimated from the law, lunar ones computed; 调休 are unknown."""

    def test_statutory_holidays_are_not_working_days(self):
        from oversight.core.calendar import estimated_holidays, year_is_known

        assert not year_is_known(2027)
        holidays = estimated_holidays(2027)
        assert holidays[datetime.date(2027, 2, 5)] == "春节(除夕)"
        for day in [
            datetime.date(2027, 1, 1),  # 元旦, Friday
            datetime.date(2027, 2, 8),  # 正月初三, Monday
            datetime.date(2027, 4, 5),  # 清明, Monday
            datetime.date(2027, 6, 9),  # 端午, Wednesday
            datetime.date(2027, 9, 15),  # 中秋, Wednesday
            datetime.date(2027, 10, 1),  # 国庆, Friday
        ]:
            assert not cal.is_workday(day), day
        # The day after a holiday is an ordinary Monday-to-Friday day (no 调休 is assumed).
        assert cal.is_workday(datetime.date(2027, 2, 9))
        assert cal.is_workday(datetime.date(2027, 5, 3))

    def test_working_day_periods_skip_the_estimated_holidays(self):
        # Thursday 2027-09-30: the 3 working days after it skip 10-1 (Fri) to 10-3 → 10-4, 10-5, 10-6.
        assert cal.add_workdays(datetime.date(2027, 9, 30), 3) == datetime.date(2027, 10, 6)

    def test_a_day_entered_by_hand_wins_over_the_estimate(self):
        cal.calendar_day_set(day=datetime.date(2027, 2, 8), is_workday=True, name="调休上班")
        cal.clear_cache()
        assert cal.is_workday(datetime.date(2027, 2, 8))

    def test_deadlines_in_such_a_year_are_marked_estimated(self, seeded):
        from oversight.core.templatetags.oversight import estimated

        assert estimated(datetime.date(2027, 3, 1)) == "(按估算日历)"
        assert estimated(datetime.date(2026, 3, 2)) == ""
        assert estimated(None) == ""


@pytest.mark.parametrize(
    "utc",
    [
        dt.datetime(2026, 9, 30, 15, 59, 59, 999999, tzinfo=dt.UTC),  # 23:59:59 in Beijing
        dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC),  # midnight in Beijing: the next day
        dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC),
    ],
)
def test_local_date_is_the_day_in_beijing_as_django_counts_it(utc):
    from django.utils import timezone

    assert cal.local_date(utc) == timezone.localdate(utc)
    assert cal.local_date(utc) == (utc + dt.timedelta(hours=8)).date()


def test_local_date_refuses_a_naive_moment():
    with pytest.raises(ValueError):
        cal.local_date(dt.datetime(2026, 9, 30, 12, 0))
