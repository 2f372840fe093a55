"""Time-based checks: re-check the cases whose limits come due; keep a whole re-check going."""

import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from oversight.core import background
from oversight.core.models import Job
from oversight.core.scheduler import periodic

from . import rechecks
from .models import RecheckChunk
from .rechecks import checked_so_far, stale
from .services import check_due

Status = RecheckChunk.Status


def _whole_rechecks_running():
    return Job.objects.filter(kind="cases.recheck", status=Job.Status.RUNNING)


def _helpers_waiting() -> set[str]:
    """The jobs a queued helper task will work on when a worker takes it."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path="oversight.cases.tasks.recheck_helper"
    ).values_list("args_kwargs", flat=True)
    return {str((row.get("args") or [""])[0]) for row in waiting}


def whole_recheck_under_way(now: datetime.datetime) -> bool:
    """A whole re-check is queued or running and was heard of in the last ten minutes (its start,
    or a range's heartbeat): the hourly run leaves the due cases to it, so that no case is checked
    by both. Should every worker have stopped for that long, the hourly run takes them."""
    since = now - max(stale(), datetime.timedelta(minutes=10))
    active = Job.objects.filter(
        kind="cases.recheck", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    )
    if active.filter(Q(created_at__gte=since) | Q(started_at__gte=since)).exists():
        return True
    return RecheckChunk.objects.filter(job__in=active, heartbeat_at__gte=since).exists()


def _work_stalled_rechecks() -> int:
    """Whole re-checks no worker has answered for ten minutes: the hourly run works their ranges
    itself, as one more worker (a range held by a live worker is not taken). Returns how many
    cases it checked."""
    checked = 0
    active = Job.objects.filter(
        kind="cases.recheck", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    )
    for job in active.order_by("created_at"):
        today = rechecks.split_day(job)
        if today is not None:  # split into ranges (a job that was not waits for it)
            checked += rechecks.run(job_id=job.pk, today=today)
    return checked


@periodic("cases.recheck", title="案件法定期限复查", every=datetime.timedelta(hours=1))
def recheck() -> str:
    if whole_recheck_under_way(timezone.now()):
        return "全部案件复查进行中，本次不另行复查"
    taken = _work_stalled_rechecks()
    if taken:  # every case was checked today: those due today too
        return f"全部案件复查无人处理，由本次续做：复查案件 {taken} 件"
    checked = check_due(give_way=lambda: whole_recheck_under_way(timezone.now()))
    if whole_recheck_under_way(timezone.now()):
        return f"复查案件 {checked} 件；其余由进行中的全部案件复查完成"
    return f"复查案件 {checked} 件"


@periodic(
    "cases.recheck_revive",
    title="全部案件复查续做",
    every=datetime.timedelta(seconds=settings.RECHECK_REVIVE_SECONDS),
)
def recheck_revive() -> str:
    """A whole re-check whose workers all stopped gets a worker again; one whose ranges are all
    done while its own task stopped waiting is ended."""
    from .tasks import recheck_helper

    now = timezone.now()
    revived = ended = 0
    for job in _whole_rechecks_running():
        ranges = RecheckChunk.objects.filter(job=job)
        if not ranges.exists():
            continue  # being split, or a re-check from before ranges
        if ranges.filter(status=Status.RUNNING, heartbeat_at__gte=now - stale()).exists():
            continue  # a worker is at it
        if ranges.exclude(status=Status.DONE).exists():
            if str(job.pk) not in _helpers_waiting():  # one waiting for a worker is enough
                recheck_helper.enqueue(str(job.pk))
                revived += 1
            continue
        last = ranges.aggregate(at=Max("heartbeat_at"))["at"]
        if last is None or last < now - stale():
            message = f"已按新的规则和工作日历复查案件 {checked_so_far(job.pk)} 件。"
            ended += background.finish_stranded(
                job, ok=True, message=message, url=reverse("cases:case_list")
            )
    return f"续做复查 {revived} 项，结束 {ended} 项"
