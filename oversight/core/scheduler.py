"""The scheduler loop behind `oversight run-scheduler`.

Apps register periodic jobs in their `jobs.py` with `@periodic`. Each tick, every due job is claimed
with one conditional UPDATE (healthchecks' sendalerts pattern): of two schedulers running at once,
exactly one gets the row, so no job runs twice and no reminder goes out twice.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from . import context
from .models import ScheduledJob, ScheduledRun

log = logging.getLogger("oversight.scheduler")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: datetime.timedelta
    func: Callable[[], str | None]
    lease: datetime.timedelta
    at: datetime.time | None = None  # run daily at this local time instead of every `every`
    title: str = ""  # what it does, in Chinese, for the 定时任务 pages

    def next_after(self, now: datetime.datetime) -> datetime.datetime:
        if self.at is None:
            return now + self.every
        local = timezone.localtime(now)
        candidate = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        if candidate <= local:
            candidate += datetime.timedelta(days=1)
        return candidate


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(
    name: str,
    *,
    title: str,
    every: datetime.timedelta = datetime.timedelta(days=1),
    at: datetime.time | None = None,
    lease: datetime.timedelta | None = None,
) -> Callable[[Callable[[], str | None]], Callable[[], str | None]]:
    """Register a job: every `every`, or daily at the local time `at`; `title` says what it does."""

    def register(func: Callable[[], str | None]) -> Callable[[], str | None]:
        # The lease outlives a normal run; a crashed process's claim expires with it.
        default_lease = min(every, datetime.timedelta(minutes=30))
        REGISTRY[name] = PeriodicJob(name, every, func, lease or default_lease, at, title)
        return func

    return register


def discover() -> dict[str, PeriodicJob]:
    autodiscover_modules("jobs")
    return REGISTRY


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def ensure_rows(now: datetime.datetime) -> None:
    existing = set(ScheduledJob.objects.values_list("name", flat=True))
    ScheduledJob.objects.bulk_create(
        [ScheduledJob(name=n, next_run_at=now) for n in REGISTRY if n not in existing],
        ignore_conflicts=True,
    )


def claim(job: PeriodicJob, now: datetime.datetime, worker: str) -> ScheduledRun | None:
    """Take the job for this process and record the run; None when another process has it or it
    is not due. The conditional UPDATE decides (of two schedulers exactly one gets the row); the
    run row names the due time it is for, once (a second attempt only after a lease expired)."""
    due = Q(locked_until__isnull=True) | Q(locked_until__lt=now), Q(next_run_at__lte=now)
    with transaction.atomic():
        row = (
            ScheduledJob.objects.select_for_update(skip_locked=True)
            .filter(*due, name=job.name)
            .first()
        )
        if row is None:
            return None
        taken = ScheduledJob.objects.filter(*due, name=job.name).update(
            locked_until=now + job.lease, locked_by=worker, last_started_at=now
        )
        if taken != 1:
            return None
        before = ScheduledRun.objects.filter(job_id=job.name, due_at=row.next_run_at).count()
        return ScheduledRun.objects.create(
            job_id=job.name,
            due_at=row.next_run_at,
            attempt=before + 1,
            worker=worker[:100],
            started_at=now,
        )


def run_due(*, now: datetime.datetime | None = None, worker: str | None = None) -> list[str]:
    """Run every due job once; returns the names of the jobs this process ran."""
    discover()
    now = now or timezone.now()
    worker = worker or worker_id()
    ensure_rows(now)
    from .background import forget_cached_settings

    forget_cached_settings()  # a tick decides with the rules and calendar as they are now
    ran = []
    for job in REGISTRY.values():
        run = claim(job, now, worker)
        if run is None:
            continue
        ok, message = True, ""
        with context.acting_as_system(f"定时任务:{job.name}"):
            try:
                message = job.func() or ""
            except Exception:  # one failing job must not stop the loop
                ok, message = False, traceback.format_exc()
                log.exception("scheduled job %s failed", job.name)
        finished = timezone.now()
        ScheduledRun.objects.filter(pk=run.pk).update(
            finished_at=finished, ok=ok, message=message[:4000]
        )
        ScheduledJob.objects.filter(name=job.name, locked_by=worker).update(
            locked_until=None,
            locked_by="",
            last_finished_at=finished,
            last_ok=ok,
            last_message=message[:4000],
            next_run_at=job.next_after(now),
        )
        ran.append(job.name)
    return ran


def prune_runs(*, now: datetime.datetime | None = None) -> int:
    """Forget runs older than SCHEDULER_HISTORY_DAYS; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SCHEDULER_HISTORY_DAYS)
    deleted, _ = ScheduledRun.objects.filter(started_at__lt=cutoff).delete()
    return deleted


def title_of(name: str) -> str:
    """A job's Chinese title (its code name when no longer registered)."""
    job = (REGISTRY or discover()).get(name)  # per row of a list: no module search each time
    return job.title if job is not None and job.title else name
