"""The scheduler: a due job runs exactly once even with two schedulers."""

import datetime as dt

import pytest
from django.utils import timezone

from oversight.core import scheduler
from oversight.core.models import ScheduledJob

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive

calls: list[str] = []


@pytest.fixture
def counting_job():
    calls.clear()
    name = "test.counting"
    scheduler.REGISTRY[name] = scheduler.PeriodicJob(
        name, dt.timedelta(hours=1), lambda: calls.append("ran") or "ok", dt.timedelta(minutes=5)
    )
    yield name
    scheduler.REGISTRY.pop(name, None)


@pytest.mark.django_db
class TestRunDue:
    def test_two_workers_run_a_due_job_once(self, counting_job):
        now = timezone.now()
        first = scheduler.run_due(now=now, worker="a")
        second = scheduler.run_due(now=now, worker="b")
        assert counting_job in first
        assert counting_job not in second
        assert calls == ["ran"]

    def test_claim_refuses_a_job_held_by_another_worker(self, counting_job):
        now = timezone.now()
        scheduler.discover()
        scheduler.ensure_rows(now)
        job = scheduler.REGISTRY[counting_job]
        assert scheduler.claim(job, now, "a")
        assert not scheduler.claim(job, now, "b")

    def test_job_runs_again_after_its_interval(self, counting_job):
        now = timezone.now()
        scheduler.run_due(now=now, worker="a")
        scheduler.run_due(now=now + dt.timedelta(minutes=30), worker="a")
        scheduler.run_due(now=now + dt.timedelta(hours=1, seconds=1), worker="b")
        assert calls == ["ran", "ran"]

    def test_a_failing_job_is_recorded_and_others_still_run(self, counting_job):
        scheduler.REGISTRY["test.failing"] = scheduler.PeriodicJob(
            "test.failing", dt.timedelta(hours=1), lambda: 1 / 0, dt.timedelta(minutes=5)
        )
        try:
            scheduler.run_due(worker="a")
        finally:
            scheduler.REGISTRY.pop("test.failing")
        row = ScheduledJob.objects.get(name="test.failing")
        assert row.last_ok is False
        assert "ZeroDivisionError" in row.last_message
        assert calls == ["ran"]
