"""A whole re-check shared by workers: ranges claimed once, a stopped worker's range taken over
from its last committed batch, every case checked exactly once, the scheduler keeping it going."""

import datetime
import functools

import pytest
import time_machine
from django.utils import timezone

from oversight.cases import rechecks, services
from oversight.cases.jobs import recheck_revive
from oversight.cases.models import Case, RecheckChunk
from oversight.core.context import acting_as_system
from oversight.core.models import Job

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2025, 12, 1, 10, 0))
TODAY = NOW.date()


@pytest.fixture
def due_cases(actors, case_data, certified, calendar_2025):
    """23 cases of two units, all due today (for the hourly run; a whole re-check takes every
    case, due or not)."""
    officers = {unit.pk: certified(unit) for unit in (actors.unit_a, actors.unit_b)}
    with time_machine.travel(NOW, tick=False), acting_as_system("测试"):
        for i in range(23):
            unit = actors.unit_a if i % 2 else actors.unit_b
            services.case_save(
                case=None,
                data=case_data(
                    unit=unit,
                    number=f"测罚〔2025〕{i + 1}号",
                    decided_on=D(2025, 10, 9),
                    published_on=D(2025, 10, 30) if i % 3 else None,
                ),
                officers=officers[unit.pk],
            )
    Case.objects.update(next_check_on=TODAY)
    return list(Case.objects.order_by("pk").values_list("pk", flat=True))


@pytest.fixture
def counted(monkeypatch):
    """Every case id the checks write, in order (a case written twice shows twice)."""
    seen: list[int] = []
    original = rechecks._sync_many

    def recording(cases, today, officers=None):
        seen.extend(case.pk for case in cases)
        return original(cases, today, officers)

    monkeypatch.setattr(rechecks, "_sync_many", recording)
    return seen


def _job() -> Job:
    return Job.objects.create(kind="cases.recheck", title="复查全部案件", status=Job.Status.RUNNING)


@pytest.mark.django_db
def test_the_job_splits_every_case_and_checks_each_once(due_cases, counted, settings, monkeypatch):
    from oversight.cases.tasks import recheck_all
    from oversight.core import background

    Case.objects.update(next_check_on=None)  # none due: a whole re-check takes them all the same
    settings.RECHECK_HELPERS = 2
    settings.RECHECK_CHUNK_CASES = 5
    with time_machine.travel(NOW, tick=False), acting_as_system("测试"):
        job = background.start(kind="cases.recheck", title="复查全部案件", task=recheck_all)
        recheck_all.enqueue(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert sorted(counted) == due_cases  # every case, once
    ranges = RecheckChunk.objects.filter(job=job)
    assert ranges.count() >= 5 and set(ranges.values_list("status", flat=True)) == {"done"}
    assert job.done == job.total == len(due_cases)
    assert f"案件 {len(due_cases)} 件" in job.message
    assert not Case.objects.filter(next_check_on__lte=TODAY).exists()


@pytest.mark.django_db
def test_a_stopped_workers_range_is_taken_over_where_it_stopped(due_cases, counted):
    job = _job()
    with time_machine.travel(NOW, tick=False):
        rechecks.plan(job=job, size=10)
        first = rechecks.claim(job_id=job.pk, worker="甲机:1:dead")
        # The worker commits one batch of three, then its machine goes away.
        RecheckChunk.objects.filter(pk=first.pk).update(heartbeat_at=NOW)
        stop = {"after": 1}

        def die():
            stop["after"] -= 1
            if stop["after"] == 0:
                raise SystemExit("killed")

        with pytest.raises(SystemExit):
            rechecks.run_chunk(
                chunk_id=first.pk, worker="甲机:1:dead", today=TODAY, batch=3, after_batch=die
            )
    assert RecheckChunk.objects.get(pk=first.pk).done_up_to == due_cases[2]
    # Another worker soon after: the range is not yet stale, it takes the others.
    with time_machine.travel(NOW + datetime.timedelta(seconds=30), tick=False):
        rechecks.run(job_id=job.pk, today=TODAY, worker="乙机:2:a")
        assert RecheckChunk.objects.get(pk=first.pk).status == "running"
    # Past the heartbeat limit, the next worker takes it over from the fourth case on.
    with time_machine.travel(NOW + rechecks.stale() + datetime.timedelta(seconds=1), tick=False):
        rechecks.run(job_id=job.pk, today=TODAY, worker="乙机:2:b")
        # The worker presumed dead wakes up: the range is no longer its own, it checks nothing.
        assert rechecks.run_chunk(chunk_id=first.pk, worker="甲机:1:dead", today=TODAY) == 0
    assert sorted(counted) == due_cases  # exactly once each, whoever checked it
    assert RecheckChunk.objects.get(pk=first.pk).claimed_by == "乙机:2:b"
    assert rechecks.checked_so_far(job.pk) == len(due_cases)


@pytest.mark.django_db
def test_two_workers_never_claim_one_range(due_cases):
    job = _job()
    rechecks.plan(job=job, size=10)
    a = rechecks.claim(job_id=job.pk, worker="甲")
    b = rechecks.claim(job_id=job.pk, worker="乙")
    c = rechecks.claim(job_id=job.pk, worker="丙")
    d = rechecks.claim(job_id=job.pk, worker="丁")
    assert len({a.pk, b.pk, c.pk}) == 3 and d is None  # 23 cases: three ranges


@pytest.mark.django_db
def test_the_scheduler_revives_a_job_whose_workers_stopped_and_ends_a_finished_one(
    due_cases, counted
):
    job = _job()
    with time_machine.travel(NOW, tick=False):
        rechecks.plan(job=job, size=10)
        Job.objects.filter(pk=job.pk).update(
            total=len(due_cases), details={"recheck_today": TODAY.isoformat()}
        )
        rechecks.claim(job_id=job.pk, worker="甲机:1:dead")  # and never heard of again
    later = NOW + rechecks.stale() + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False), acting_as_system("定时任务"):
        assert recheck_revive() == "续做复查 1 项，结束 0 项"  # a helper ran every range
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING  # its own task might still be waiting
    with (
        time_machine.travel(later + rechecks.stale() * 2, tick=False),
        acting_as_system("定时任务"),
    ):
        assert recheck_revive() == "续做复查 0 项，结束 1 项"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and f"案件 {len(due_cases)} 件" in job.message
    assert sorted(counted) == due_cases


@pytest.mark.django_db
def test_the_hourly_recheck_waits_while_a_whole_recheck_is_under_way(due_cases, counted):
    from oversight.cases.jobs import recheck

    with time_machine.travel(NOW, tick=False), acting_as_system("定时任务"):
        job = Job.objects.create(kind="cases.recheck", title="复查全部案件")  # queued
        assert recheck() == "全部案件复查进行中，本次不另行复查"
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=NOW)
        rechecks.plan(job=job, size=10)
        rechecks.claim(job_id=job.pk, worker="甲")
        assert recheck() == "全部案件复查进行中，本次不另行复查"
        assert counted == []
    # A range's heartbeat keeps it under way past its start...
    RecheckChunk.objects.filter(job=job).update(heartbeat_at=NOW + datetime.timedelta(minutes=8))
    later = NOW + datetime.timedelta(minutes=15)
    with time_machine.travel(later, tick=False), acting_as_system("定时任务"):
        assert recheck() == "全部案件复查进行中，本次不另行复查"
    # ...until nothing was heard of it for ten minutes: every worker stopped, the hour works its
    # ranges itself (the one a worker held is stale by then).
    Job.objects.filter(pk=job.pk).update(details={"recheck_today": TODAY.isoformat()})
    silent = NOW + datetime.timedelta(minutes=19)
    with time_machine.travel(silent, tick=False), acting_as_system("定时任务"):
        assert recheck() == f"全部案件复查无人处理，由本次续做：复查案件 {len(due_cases)} 件"
    assert sorted(counted) == due_cases
    assert set(RecheckChunk.objects.filter(job=job).values_list("status", flat=True)) == {"done"}
    # A job split before ranges had a day recorded waits for its task; the hour checks the due.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)
    Case.objects.update(next_check_on=TODAY)
    with time_machine.travel(silent, tick=False), acting_as_system("定时任务"):
        assert recheck() == f"复查案件 {len(due_cases)} 件"


@pytest.mark.django_db
def test_the_scheduler_does_not_queue_a_second_helper_for_one_job(due_cases, counted):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    job = _job()
    with time_machine.travel(NOW, tick=False):
        rechecks.plan(job=job, size=10)
        Job.objects.filter(pk=job.pk).update(details={"recheck_today": TODAY.isoformat()})
    DBTaskResult.objects.create(  # queued earlier, no worker has taken it yet
        status=TaskResultStatus.READY,
        args_kwargs={"args": [str(job.pk)], "kwargs": {}},
        task_path="oversight.cases.tasks.recheck_helper",
        queue_name="default",
        backend_name="default",
    )
    later = NOW + rechecks.stale() + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False), acting_as_system("定时任务"):
        assert recheck_revive() == "续做复查 0 项，结束 0 项"
    assert counted == []


@pytest.mark.django_db
def test_the_hourly_recheck_stops_at_the_batch_where_a_whole_recheck_begins(due_cases, monkeypatch):
    """A whole re-check that starts while the hourly run is at it takes the rest of the cases: the
    hourly run asks before each batch (under the lock the whole re-check counts under)."""
    from oversight.cases import jobs

    batches: list[int] = []
    original = services._sync_many

    def one_batch_then_a_job_starts(cases, today, officers=None):
        batches.append(len(cases))
        if len(batches) == 1:
            Job.objects.create(kind="cases.recheck", title="复查全部案件")
        return original(cases, today, officers)

    monkeypatch.setattr(services, "_sync_many", one_batch_then_a_job_starts)
    monkeypatch.setattr(jobs, "check_due", functools.partial(services.check_due, batch=10))
    with time_machine.travel(NOW, tick=False), acting_as_system("定时任务"):
        assert jobs.recheck() == "复查案件 10 件；其余由进行中的全部案件复查完成"
    assert batches == [10]
    assert Case.objects.filter(next_check_on__lte=TODAY).count() == len(due_cases) - 10


@pytest.mark.django_db
def test_a_rule_change_records_the_job_and_its_ranges_and_writes_no_case(due_cases):
    """Saving a rule splits every case into the job's ranges in the same transaction; no case row
    is written there (marking a million cases due took over a minute in the saving request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.cases.apps import _recheck_all

    later = TODAY + datetime.timedelta(days=30)
    Case.objects.update(next_check_on=later)
    with (
        time_machine.travel(NOW, tick=False),
        acting_as_system("测试"),
        CaptureQueriesContext(connection) as run,
    ):
        _recheck_all(None, None)
    writes = [q["sql"] for q in run.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert writes and not [sql for sql in writes if '"cases_case"' in sql.split(" SET ")[0]]
    assert len(run.captured_queries) <= 15  # a fixed number, whatever the number of cases
    job = Job.objects.get(kind="cases.recheck")
    ranges = RecheckChunk.objects.filter(job=job)
    assert job.total == len(due_cases) and job.details["recheck_today"] == TODAY.isoformat()
    assert min(r.first_id for r in ranges) == due_cases[0]
    assert max(r.last_id for r in ranges) == due_cases[-1]
    assert set(Case.objects.values_list("next_check_on", flat=True)) == {later}


@pytest.mark.django_db(transaction=True)
def test_a_rule_change_records_the_job_and_its_ranges_together(due_cases, monkeypatch):
    """Should recording the job fail, no range is left without it (and the other way)."""
    from oversight.cases.apps import _recheck_all
    from oversight.core import background

    def refuse(**kwargs):
        raise RuntimeError("数据库中断")

    monkeypatch.setattr(background, "start", refuse)
    with acting_as_system("测试"), pytest.raises(RuntimeError):
        _recheck_all(None, None)
    assert not RecheckChunk.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_a_change_while_a_whole_recheck_runs_checks_again_the_cases_it_had_passed(
    due_cases, counted
):
    """The cases a running job had checked under the old rules get a job of their own (the
    running one may be ending); those still ahead are checked under the new rules anyway, and a
    third change before any worker came back queues nothing twice."""
    from oversight.cases.apps import _recheck_all

    with time_machine.travel(NOW, tick=False), acting_as_system("测试"):
        _recheck_all(None, None)
        first = Job.objects.get(kind="cases.recheck")
        Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
        (whole,) = RecheckChunk.objects.filter(job=first)  # 23 cases: one range of 20,000 ids
        rechecks.claim(job_id=first.pk, worker="甲")
        with pytest.raises(SystemExit):
            rechecks.run_chunk(
                chunk_id=whole.pk, worker="甲", today=TODAY, batch=5, after_batch=stop
            )
        done = RecheckChunk.objects.get(pk=whole.pk).done_up_to
        assert done == due_cases[4]  # one batch of five written, then the rule changes
        _recheck_all(None, None)
        _recheck_all(None, None)  # and again before any worker came back
        second = Job.objects.exclude(pk=first.pk).get(kind="cases.recheck")
        ranges = RecheckChunk.objects.filter(job=second)
        assert [(r.first_id, r.last_id, r.status) for r in ranges] == [
            (due_cases[0], done, "waiting")
        ]
        assert second.total == 5 and Job.objects.count() == 2
    # Workers once the first is presumed dead: the rest of its range, and the five again.
    with time_machine.travel(NOW + rechecks.stale() * 2, tick=False), acting_as_system("测试"):
        rechecks.run(job_id=first.pk, today=TODAY, worker="乙")
        rechecks.run(job_id=second.pk, today=TODAY, worker="乙")
    assert sorted(counted) == sorted(due_cases + due_cases[:5])


def stop():
    raise SystemExit("the worker stops after its batch")


@pytest.mark.django_db
def test_a_whole_recheck_run_again_after_a_transient_failure_keeps_its_ranges(
    due_cases, counted, settings
):
    """The job's task queued again (core/background.py) resumes: no second split, each case once."""
    from oversight.cases.tasks import recheck_all

    settings.RECHECK_HELPERS = 0
    job = Job.objects.create(kind="cases.recheck", title="复查全部案件")
    with time_machine.travel(NOW, tick=False), acting_as_system("测试"):
        rechecks.plan(job=job, size=10)
        Job.objects.filter(pk=job.pk).update(
            total=len(due_cases), details={"recheck_today": TODAY.isoformat()}
        )
        first = rechecks.claim(job_id=job.pk, worker="甲")
        rechecks.run_chunk(chunk_id=first.pk, worker="甲", today=TODAY)  # then the failure
        ranges = RecheckChunk.objects.count()
        recheck_all.func(str(job.pk))
    job.refresh_from_db()
    assert job.status == "succeeded" and RecheckChunk.objects.count() == ranges
    assert sorted(counted) == due_cases
    assert f"{len(due_cases)} 件" in job.message


@pytest.mark.django_db
def test_every_kind_of_recheck_checks_its_batches_with_the_collector_paused(due_cases, monkeypatch):
    """Batches of thousands of cases run without the cyclic garbage collector (core.memory),
    which is on again once each batch is written."""
    import gc

    seen: list[bool] = []
    original = services._sync_many

    def recording(cases, today, officers=None):
        seen.append(gc.isenabled())
        return original(cases, today, officers)

    monkeypatch.setattr(services, "_sync_many", recording)
    monkeypatch.setattr(rechecks, "_sync_many", recording)
    with time_machine.travel(NOW, tick=False), acting_as_system("测试"):
        services.check_due(today=TODAY, batch=10)
        services.check_all(today=TODAY, batch=10)
        Case.objects.update(next_check_on=TODAY)
        job = _job()
        rechecks.plan(job=job, size=10)
        rechecks.run(job_id=job.pk, today=TODAY)
    assert len(seen) >= 9 and not any(seen)
    assert gc.isenabled()
