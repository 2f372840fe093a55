"""Background tasks of the cases app (core/background.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from oversight.core import background
from oversight.core.bulk import tidy_after_rewrite
from oversight.core.context import acting_as
from oversight.core.models import Job

from . import rechecks
from .models import Case


@task()
def recheck_all(job_id: str) -> str:
    """Re-check every case (after a rule or a calendar change), with progress, in ranges that
    `settings.RECHECK_HELPERS` more workers share (cases/rechecks.py)."""

    def work(job, progress):
        # Split when the change was recorded (or by this task's earlier run, before a failure).
        today = rechecks.split_day(job)
        if today is None:
            today = timezone.localdate()
            rechecks.split(job=job, today=today)
        for _ in range(settings.RECHECK_HELPERS):
            recheck_helper.enqueue(str(job.pk))
        rechecks.run(job_id=job.pk, today=today, progress=progress, wait=True)
        tidy_after_rewrite(Case)  # the rows a calendar change rewrote, as after relighting
        checked = rechecks.checked_so_far(job.pk)
        return f"已按新的规则和工作日历复查案件 {checked} 件。", reverse("cases:case_list")

    return background.run(job_id, work)


@task()
def recheck_helper(job_id: str) -> str:
    """Another worker's share of a whole re-check: ranges no one holds, until none is left."""
    job = Job.objects.filter(pk=job_id).first()
    today = None if job is None or job.finished else rechecks.split_day(job)
    if today is None:
        return "无需复查"
    background.forget_cached_settings()  # the rules and calendar the change on another node made
    with acting_as(user=job.created_by, system=job.created_by is None, username="后台任务"):
        checked = rechecks.run(job_id=job.pk, today=today)
    return f"复查案件 {checked} 件"
