"""The working-day calendar: statutory holidays and make-up working days (调休).

Short statutory periods count working days (行政处罚法 第85条), so the platform needs the official
arrangement, published by the State Council late each year. It is seeded from the chinese-calendar
package and editable by the system administrator. A year with no data falls back to Monday–Friday
but keeps the statutory holidays whose dates are fixed by law (全国年节及纪念日放假办法), the
lunar ones computed; it is marked estimated (the 调休 are unknown) and the UI says so
(`year_is_known`, `estimated_holidays`).
"""

from __future__ import annotations

import bisect
import datetime
import threading
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .context import require_capability
from .models import CalendarDay, CalendarYear

_CACHE_SECONDS = 60
_lock = threading.Lock()


@dataclass(frozen=True)
class _Year:
    loaded: float
    known: bool
    exceptions: dict[datetime.date, bool]
    workdays: list[int]  # ordinals of the year's working days, ascending


def estimated_holidays(year: int) -> dict[datetime.date, str]:
    """The statutory holidays of a year by law alone (全国年节及纪念日放假办法, 2024 revision): 元旦
    1-1; 春节 除夕 and 初一至初三; 清明 (the solar term); 劳动节 5-1, 5-2; 端午 (五月初五); 中秋
    (八月十五); 国庆 10-1 to 10-3. The State Council's yearly arrangement adds 调休 and bridges,
    which cannot be known in advance."""
    from lunar_python import Lunar, Solar

    def solar(lunar) -> datetime.date:
        s = lunar.getSolar()
        return datetime.date(s.getYear(), s.getMonth(), s.getDay())

    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): "元旦"}
    new_year = Lunar.fromYmd(year, 1, 1)
    days[solar(new_year.next(-1))] = "春节(除夕)"
    for offset in range(3):
        days[solar(new_year.next(offset))] = "春节"
    qingming = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    days[datetime.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "清明节"
    days[datetime.date(year, 5, 1)] = days[datetime.date(year, 5, 2)] = "劳动节"
    days[solar(Lunar.fromYmd(year, 5, 5))] = "端午节"
    days[solar(Lunar.fromYmd(year, 8, 15))] = "中秋节"
    for day in (1, 2, 3):
        days[datetime.date(year, 10, day)] = "国庆节"
    return {d: name for d, name in days.items() if d.year == year}


_cache: dict[int, _Year] = {}


def _year(year: int) -> _Year:
    now = time.monotonic()
    hit = _cache.get(year)
    if hit is not None and now - hit.loaded < _CACHE_SECONDS:
        return hit
    known = CalendarYear.objects.filter(year=year).exists()
    # Without the year's arrangement, its statutory holidays still are not working days.
    exceptions = {} if known else dict.fromkeys(estimated_holidays(year), False)
    exceptions.update(
        CalendarDay.objects.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        ).values_list("date", "is_workday")
    )
    first = datetime.date(year, 1, 1).toordinal()
    last = datetime.date(year, 12, 31).toordinal()
    workdays = []
    for ordinal in range(first, last + 1):
        day = datetime.date.fromordinal(ordinal)
        if exceptions.get(day, day.weekday() < 5):
            workdays.append(ordinal)
    entry = _Year(now, known, exceptions, workdays)
    with _lock:
        _cache[year] = entry
    return entry


def local_date(moment: datetime.datetime) -> datetime.date:
    """The day an aware moment falls on in the platform's zone (settings.TIME_ZONE, Asia/Shanghai).

    `timezone.localdate` without its look-up of the active zone (a thread-local read that costs
    more than the conversion itself over a bulletin's tens of thousands of timestamps): the
    platform never activates another zone, so the two agree (core/tests/test_calendar.py)."""
    if moment.tzinfo is None:
        raise ValueError("local_date() needs an aware datetime")
    return moment.astimezone(timezone.get_default_timezone()).date()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def year_is_known(year: int) -> bool:
    return _year(year).known


def is_workday(day: datetime.date) -> bool:
    entry = _year(day.year)
    return entry.exceptions.get(day, day.weekday() < 5)


def _count_upto(day: datetime.date, base_year: int) -> int:
    """Working days from 1 January of base_year through `day` (both included)."""
    total = 0
    for year in range(base_year, day.year):
        total += len(_year(year).workdays)
    return total + bisect.bisect_right(_year(day.year).workdays, day.toordinal())


def add_workdays(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (before it for negative n); `day` itself for n = 0."""
    if n == 0:
        return day
    year = day.year
    days = _year(year).workdays
    if n > 0:
        index = bisect.bisect_right(days, day.toordinal()) + n - 1
        while index >= len(days):
            index -= len(days)
            year += 1
            days = _year(year).workdays
    else:
        index = bisect.bisect_left(days, day.toordinal()) + n
        while index < 0:
            year -= 1
            days = _year(year).workdays
            index += len(days)
    return datetime.date.fromordinal(days[index])


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    This is how a period "within N working days of X" is counted: the day of X does not count.
    """
    if end == start:
        return 0
    low, high = (start, end) if end > start else (end, start)
    count = _count_upto(high, low.year) - _count_upto(low, low.year)
    return count if end > start else -count


def package_years() -> list[int]:
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})


@transaction.atomic
def calendar_seed_from_package(
    *, years: list[int] | None = None, overwrite: bool = False, user=None
) -> list[int]:
    """Load the chinese-calendar package's arrangement for the years it knows.

    A year an administrator maintains by hand is left alone unless `overwrite` is given.
    """
    require_capability(user, "calendar.manage")
    from chinese_calendar import constants

    wanted = set(years or package_years())
    manual = set(
        CalendarYear.objects.filter(source=CalendarYear.Source.MANUAL).values_list(
            "year", flat=True
        )
    )
    loaded = []
    for year in sorted(wanted):
        if year in manual and not overwrite:
            continue
        exceptions: dict[datetime.date, tuple[bool, str]] = {}
        for day, name in constants.holidays.items():
            if day.year == year and day.weekday() < 5:
                exceptions[day] = (False, _holiday_name(name))
        for day, name in constants.workdays.items():
            if day.year == year and day.weekday() >= 5:
                exceptions[day] = (True, _holiday_name(name))
        if not exceptions:
            continue
        current = {
            d: (w, n)
            for d, w, n in CalendarDay.objects.filter(date__year=year).values_list(
                "date", "is_workday", "name"
            )
        }
        if current == exceptions and CalendarYear.objects.filter(year=year).exists():
            continue
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d, is_workday=w, name=n, source=CalendarYear.Source.PACKAGE)
            for d, (w, n) in sorted(exceptions.items())
        )
        CalendarYear.objects.update_or_create(
            year=year, defaults={"source": CalendarYear.Source.PACKAGE, "note": "由数据包导入"}
        )
        loaded.append(year)
    if loaded:
        audit.record(
            action="import",
            object_type=CalendarYear,
            message=f"从 chinese-calendar 导入节假日安排:{', '.join(map(str, loaded))}",
        )
    clear_cache()
    return loaded


_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _holiday_name(value) -> str:
    text = getattr(value, "value", value)
    if isinstance(text, tuple):
        text = text[0]
    return _NAMES.get(str(text), str(text))


@transaction.atomic
def calendar_day_set(*, day: datetime.date, is_workday: bool, name: str, user=None) -> CalendarDay:
    """Mark one date as a holiday or a make-up working day; the year becomes hand-maintained."""
    require_capability(user, "calendar.manage")
    # Already a working day as the calendar stands (a weekday that is no holiday, estimated or not).
    if is_workday and _year(day.year).exceptions.get(day, day.weekday() < 5):
        raise ValidationError(f"{day:%Y年%m月%d日}本来就是工作日,无需设为调休上班。")
    if not is_workday and day.weekday() >= 5:
        raise ValidationError(f"{day:%Y年%m月%d日}本来就是周末,无需设为放假。")
    if not name.strip():
        raise ValidationError("请填写节日名称,例如“国庆节”。")
    existing = CalendarDay.objects.filter(date=day).first()
    before = audit.snapshot(existing) if existing else None
    obj, _ = CalendarDay.objects.update_or_create(
        date=day,
        defaults={"is_workday": is_workday, "name": name.strip(), "source": "manual"},
    )
    CalendarYear.objects.update_or_create(
        year=day.year, defaults={"source": CalendarYear.Source.MANUAL, "note": "管理员维护"}
    )
    audit.record(
        action="update" if before else "create", obj=obj, before=before, after=audit.snapshot(obj)
    )
    clear_cache()
    return obj


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, user=None) -> None:
    """Remove an exception: the date reverts to its Monday–Friday nature."""
    require_capability(user, "calendar.manage")
    before = audit.snapshot(day)
    CalendarYear.objects.update_or_create(
        year=day.date.year, defaults={"source": CalendarYear.Source.MANUAL, "note": "管理员维护"}
    )
    audit.record(action="delete", obj=day, before=before)
    day.delete()
    clear_cache()


@transaction.atomic
def calendar_year_confirm(*, year: int, note: str = "", user=None) -> CalendarYear:
    """Declare a year's arrangement complete (entered by hand), which silences the fallback warning."""
    require_capability(user, "calendar.manage")
    obj, created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": CalendarYear.Source.MANUAL, "note": note or "管理员维护"}
    )
    audit.record(action="create" if created else "update", obj=obj, after=audit.snapshot(obj))
    clear_cache()
    return obj
