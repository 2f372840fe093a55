"""Long work in the background: a job its starter follows, with progress, a result and its link."""

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django_tasks import task

from oversight.core import background
from oversight.core.models import AuditEntry, Job


def _work(outcome):
    from django_tasks import task  # noqa: F401  (the decorator is what the apps use)

    def run(job, progress):
        progress(1, 4, force=True)
        if isinstance(outcome, Exception):
            raise outcome
        progress(4, 4, force=True)
        return outcome

    return run


@pytest.mark.django_db
class TestJobs:
    def test_a_job_runs_as_its_starter_and_ends_with_its_result(self, actors):
        job = Job.objects.create(kind="test", title="测试任务", created_by=actors.supervisor)
        background.run(str(job.pk), _work(("处理完成 4 项。", "/plans/")))
        job.refresh_from_db()
        assert (job.status, job.done, job.total, job.message, job.result_url) == (
            "succeeded",
            4,
            4,
            "处理完成 4 项。",
            "/plans/",
        )
        assert job.started_at and job.finished_at and job.percent == 100
        from oversight.core.models import Notification

        told = Notification.objects.get(user=actors.supervisor, key=f"job:{job.pk}")
        assert told.title == "测试任务已完成" and told.url == job.get_absolute_url()

    def test_a_refusal_ends_the_job_in_words_and_run_twice_changes_nothing(self, actors):
        job = Job.objects.create(kind="test", title="测试任务", created_by=actors.supervisor)
        background.run(str(job.pk), _work(ValidationError("第 3 行的单位不存在。")))
        job.refresh_from_db()
        assert job.status == "failed" and job.message == "第 3 行的单位不存在。"
        # A retried task finds the job finished and leaves it as it was.
        background.run(str(job.pk), _work(("不应出现", "")))
        job.refresh_from_db()
        assert job.message == "第 3 行的单位不存在。"

    def test_an_unexpected_error_is_reported_without_its_details(self, actors):
        job = Job.objects.create(kind="test", title="测试任务", created_by=actors.supervisor)
        with pytest.raises(ZeroDivisionError):
            background.run(str(job.pk), _work(ZeroDivisionError("secret internals")))
        job.refresh_from_db()
        assert job.status == "failed" and "内部错误" in job.message
        assert "secret" not in job.message

    def test_starting_is_audited_and_runs_on_commit(
        self, actors, django_capture_on_commit_callbacks
    ):
        from oversight.cases.tasks import recheck_all

        with django_capture_on_commit_callbacks(execute=True):
            job = background.start(
                kind="cases.recheck", title="复查全部案件", task=recheck_all, user=actors.supervisor
            )
        assert AuditEntry.objects.filter(message="开始后台任务:复查全部案件").exists()
        job.refresh_from_db()
        assert job.task_id and job.status == "succeeded"  # the immediate backend of the tests

    def test_the_page_follows_the_job_until_it_ends(self, actors, client_as):
        job = Job.objects.create(
            kind="test", title="测试任务", created_by=actors.supervisor, total=10, done=3,
            status="running",
        )  # fmt: skip
        client = client_as(actors.supervisor)
        page = client.get(job.get_absolute_url()).content.decode()
        assert 'hx-trigger="every 1s"' in page and "30%" in page
        partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert partial.lstrip().startswith("<div") and "<html" not in partial
        Job.objects.filter(pk=job.pk).update(
            status="succeeded", done=10, message="完成。", result_url="/plans/"
        )
        done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert "every 1s" not in done and 'href="/plans/"' in done  # stops asking; the link
        assert client_as(actors.reporter_a).get(job.get_absolute_url()).status_code == 404


# A task that meets a transient failure a given number of times before it works.
FLAKY = {"failures": 0, "runs": 0}


@task()
def flaky(job_id: str, label: str) -> str:
    def work(job, progress):
        FLAKY["runs"] += 1
        if FLAKY["runs"] <= FLAKY["failures"]:
            raise OperationalError("server closed the connection unexpectedly")
        return f"{label}完成。", ""

    return background.run(job_id, work)


@pytest.mark.django_db
class TestRetries:
    @pytest.fixture(autouse=True)
    def _reset(self):
        FLAKY.update(failures=0, runs=0)

    def _start(self, actors, django_capture_on_commit_callbacks) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = background.start(
                kind="test", title="测试任务", task=flaky, args=["导入"], user=actors.supervisor
            )
        job.refresh_from_db()
        return job

    def test_a_transient_failure_runs_the_job_again(
        self, actors, django_capture_on_commit_callbacks
    ):
        FLAKY["failures"] = 2
        job = self._start(actors, django_capture_on_commit_callbacks)
        assert (job.status, job.message, FLAKY["runs"]) == ("succeeded", "导入完成。", 3)
        assert job.details["attempts"] == 2

    def test_retries_end_after_the_configured_number(
        self, actors, django_capture_on_commit_callbacks, settings
    ):
        settings.TASK_RETRIES = 2
        FLAKY["failures"] = 99
        job = self._start(actors, django_capture_on_commit_callbacks)  # the task backend logs it
        assert job.status == "failed" and FLAKY["runs"] == 3
        assert "已自动重试 2 次" in job.message and "connection" not in job.message

    def test_an_ordinary_error_is_not_retried(self, actors):
        job = Job.objects.create(
            kind="test", title="测试任务", created_by=actors.supervisor,
            details={"task": flaky.module_path, "args": ["导入"]},
        )  # fmt: skip
        with pytest.raises(KeyError):
            background.run(str(job.pk), _work(KeyError("列")))
        job.refresh_from_db()
        assert job.status == "failed" and "attempts" not in job.details

    def test_on_the_database_queue_the_retry_waits_longer_each_time(
        self, actors, settings, django_capture_on_commit_callbacks
    ):
        import datetime

        import time_machine
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.TASK_RETRY_SECONDS = 10
        now = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
        FLAKY["failures"] = 5
        with time_machine.travel(now, tick=False):
            job = self._start(actors, django_capture_on_commit_callbacks)
            assert job.status == "queued"  # waiting for a worker
            for attempt, pause in enumerate((10, 40), start=1):
                queued = DBTaskResult.objects.get(status="READY")
                flaky.func(str(job.pk), "导入")  # a worker takes it
                job.refresh_from_db()
                assert job.status == "queued" and job.details["attempts"] == attempt
                again = DBTaskResult.objects.exclude(pk=queued.pk).order_by("-enqueued_at")[0]
                assert again.run_after == now + datetime.timedelta(seconds=pause)
                assert "自动重试" in job.message and "09:00:" in job.message
                queued.delete()


@pytest.mark.django_db
def test_a_job_sees_a_calendar_changed_by_another_process(actors):
    """Another node corrected the calendar a moment ago: this worker's copy is not used."""
    import datetime

    from oversight.core import calendar
    from oversight.core.models import CalendarDay

    day = datetime.date(2025, 12, 1)  # a Monday
    assert calendar.is_workday(day)  # read, and kept for a minute by this process
    CalendarDay.objects.create(date=day, is_workday=False, name="临时调整")  # the other node
    assert calendar.is_workday(day)  # this process has not heard of it yet
    job = Job.objects.create(kind="test", title="复查", created_by=actors.supervisor)
    seen = {}

    def work(job, progress):
        seen["workday"] = calendar.is_workday(day)
        return "完成。", ""

    background.run(str(job.pk), work)
    assert seen == {"workday": False}
