"""Loaded with `-p` (pyproject addopts) before Django is configured: tests run in test mode.

OVERSIGHT_TEST_TODAY=YYYY-MM-DD runs the suite as of that day (10:00 Beijing time, the clock
ticking from there): CI runs the date-sensitive tests as of the first week of January and of
1 July, so a test or demo that only works in part of the year fails before that part of the year
comes.
"""

import datetime
import os

os.environ.setdefault("OVERSIGHT_MODE", "test")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made beside it are
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
_traveller = None


def pytest_configure(config):
    global _traveller
    config.addinivalue_line(
        "markers",
        "date_sensitive: reads today's date; CI also runs it as of early January and 1 July",
    )
    today = os.environ.get("OVERSIGHT_TEST_TODAY", "").strip()
    if today:
        import time_machine

        moment = datetime.datetime.combine(
            datetime.date.fromisoformat(today), datetime.time(10, 0), tzinfo=BEIJING
        )
        _traveller = time_machine.travel(moment, tick=True)
        _traveller.start()


def pytest_report_header(config):
    today = os.environ.get("OVERSIGHT_TEST_TODAY", "").strip()
    return f"oversight: as of {today} (OVERSIGHT_TEST_TODAY)" if today else None


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()
