"""The scheduler: a due job runs exactly once even with two schedulers."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from oversight.core import scheduler
from oversight.core.models import ScheduledJob, ScheduledRun

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive

calls: list[str] = []


@pytest.fixture
def counting_job():
    calls.clear()
    name = "test.counting"
    scheduler.REGISTRY[name] = scheduler.PeriodicJob(
        name,
        dt.timedelta(hours=1),
        lambda: calls.append("ran") or "ok",
        dt.timedelta(minutes=5),
        title="计数测试",
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
        run = ScheduledRun.objects.get(job_id="test.failing")  # the run history keeps it too
        assert run.ok is False and "ZeroDivisionError" in run.message


@pytest.mark.django_db
class TestRunHistory:
    def test_each_run_is_recorded_with_its_due_time_process_and_outcome(self, counting_job):
        now = timezone.now()
        scheduler.run_due(now=now, worker="a")
        scheduler.run_due(now=now, worker="b")  # not due again: no second run
        later = now + dt.timedelta(hours=1, seconds=1)
        scheduler.run_due(now=later, worker="b")
        runs = list(ScheduledRun.objects.filter(job_id=counting_job).order_by("started_at"))
        assert [(r.worker, r.attempt, r.ok, r.message) for r in runs] == [
            ("a", 1, True, "ok"),
            ("b", 1, True, "ok"),
        ]
        assert runs[0].due_at == now and runs[1].due_at == now + dt.timedelta(hours=1)
        assert runs[0].finished_at >= runs[0].started_at

    def test_a_run_whose_process_stopped_is_attempted_again_after_its_lease(self, counting_job):
        now = timezone.now()
        scheduler.discover()
        scheduler.ensure_rows(now)
        job = scheduler.REGISTRY[counting_job]
        first = scheduler.claim(job, now, "a")  # process a dies without finishing
        assert scheduler.claim(job, now + dt.timedelta(minutes=4), "b") is None  # lease holds
        second = scheduler.claim(job, now + dt.timedelta(minutes=6), "b")
        assert (first.due_at, first.attempt, first.worker) == (now, 1, "a")
        assert (second.due_at, second.attempt, second.worker) == (now, 2, "b")
        assert ScheduledRun.objects.get(pk=first.pk).finished_at is None

    def test_old_runs_are_pruned_after_the_kept_days(self, counting_job, settings):
        settings.SCHEDULER_HISTORY_DAYS = 30
        now = timezone.now()
        scheduler.discover()
        scheduler.ensure_rows(now)
        for days in (31, 29):
            ScheduledRun.objects.create(
                job_id=counting_job, due_at=now - dt.timedelta(days=days), worker="a",
                started_at=now - dt.timedelta(days=days), ok=True,
            )  # fmt: skip
        assert scheduler.prune_runs(now=now) == 1
        assert list(ScheduledRun.objects.values_list("started_at", flat=True)) == [
            now - dt.timedelta(days=29)
        ]


@pytest.mark.django_db
def test_the_run_list_filters_by_job_and_exports(client, counting_job, actors):
    scheduler.run_due(now=timezone.now(), worker="甲机:101")
    client.force_login(actors.sysadmin)
    page = client.get("/system/jobs/runs/", {"job": counting_job}).content.decode()
    assert page.count(f"<td>{counting_job}</td>") == 1 and "<td>core." not in page
    assert "<td>甲机:101</td>" in page and "<td>成功</td>" in page
    other = client.get("/system/jobs/runs/", {"job": "core.daily_digest"}).content.decode()
    assert f"<td>{counting_job}</td>" not in other and "<td>core.daily_digest</td>" in other
    assert "<td>每日消息汇总邮件</td>" in other  # its title beside its code name
    export = client.get("/system/jobs/runs/", {"job": counting_job, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("任务", "任务代码", "应运行时间", "第几次", "运行进程")
    assert rows[1][:2] == ("计数测试", counting_job) and rows[1][4] == "甲机:101"
