"""The working-day calendar, from the chinese-calendar package's data and by hand."""

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
    def test_unknown_year_is_monday_to_friday(self, seeded):
        assert not cal.year_is_known(2031)
        assert cal.is_workday(dt.date(2031, 10, 1))  # a Wednesday; no data for 2031
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
            cal.calendar_day_set(day=dt.date(2031, 10, 1), is_workday=True, name="调休")

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
