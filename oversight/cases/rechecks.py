"""The whole re-check of cases after a rule or calendar change, shared by any number of workers.

A change records the job and splits every case into ranges of ids (`RecheckChunk`,
RECHECK_CHUNK_CASES each) in one transaction (`cases.apps._recheck_all`); no case row is written
until its check changes something, so saving a rule stays quick at a million cases. The job's
own task asks `settings.RECHECK_HELPERS` more workers to join, and works on ranges itself. A worker claims
a waiting range with `SELECT … FOR UPDATE SKIP LOCKED` (two workers never take the same one),
checks it batch by batch and writes, in each batch's transaction, the checks and how far the range
got (`done_up_to`) together with a heartbeat. A worker that stops (killed, its machine gone) leaves
its range with an old heartbeat; after RECHECK_STALE_SECONDS any worker takes it over from the last
committed batch, and the one presumed dead stops at its next batch when it sees the range is no longer its
own. So every case is checked once, whoever checks it. Another change while a job is under way
starts a job of its own for the cases already passed (`passed`). The scheduler
(`cases.recheck_revive`) brings a worker back to a job whose workers all stopped, and ends a job
whose ranges are all done; should no worker answer for ten minutes, the hourly run works the
ranges itself (`cases.jobs.recheck`).
"""

from __future__ import annotations

import datetime
import os
import socket
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Min, Q, Sum
from django.utils import timezone

from oversight.core import audit, locks
from oversight.core.memory import collector_paused
from oversight.core.models import Job

from .models import Case, RecheckChunk
from .services import RECHECK_LOCK, OfficerCache, _locked, _sync_many, _with_check_data

# Cases a batch checks in one transaction (locked until it commits, ~0.1 s): as the whole check's
# batches; 500 spent a sixth of the job on the statements each batch repeats.
BATCH = 2000


def chunk_cases() -> int:
    return settings.RECHECK_CHUNK_CASES


def stale() -> datetime.timedelta:
    """How long a range may go without a heartbeat before another worker takes it over."""
    return datetime.timedelta(seconds=settings.RECHECK_STALE_SECONDS)


Status = RecheckChunk.Status


def worker_name() -> str:
    """This run of a worker: host, process and a random part (one process runs many tasks)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def _ranges(job, spans: list[tuple[int, int]], size: int) -> list[RecheckChunk]:
    """The job's ranges of at most `size` ids over `spans` (closed ranges of ids), none begun."""
    return [
        RecheckChunk(job=job, first_id=lo, last_id=min(lo + size - 1, hi), done_up_to=lo - 1)
        for first, hi in spans
        for lo in range(first, hi + 1, size)
    ]


@audit.exempt("复查全部案件的分段记录(派生数据)")
def plan(*, job, spans: list[tuple[int, int]] | None = None, size: int | None = None) -> int:
    """Split every case (or the cases of `spans`, closed ranges of ids) into ranges of the job;
    returns how many cases they hold. No case row is written: the ranges and how far each got are
    the re-check's whole state."""
    size = size or chunk_cases()
    with transaction.atomic():
        # After any batch of the hourly re-check under way: it sees this job at its next batch.
        locks.hold(RECHECK_LOCK)
        if spans is None:
            bounds = Case.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
            spans = [] if bounds["lo"] is None else [(bounds["lo"], bounds["hi"])]
        if not spans:
            return 0
        RecheckChunk.objects.bulk_create(_ranges(job, spans, size))
        held = Q()
        for lo, hi in spans:
            held |= Q(pk__gte=lo, pk__lte=hi)
        return Case.objects.filter(held).count()


@audit.exempt("复查全部案件的分段记录(派生数据)")
def split(*, job, today: datetime.date, spans: list[tuple[int, int]] | None = None) -> int:
    """Split the job's cases into ranges (`plan`) and record on the job how many they are and
    the day they are checked for (`split_day`); returns how many."""
    total = plan(job=job, spans=spans)
    Job.objects.filter(pk=job.pk).update(
        total=total, details={**job.details, "recheck_today": today.isoformat()}
    )
    return total


def split_day(job) -> datetime.date | None:
    """The day a whole re-check checks its cases for; None while the job is not split."""
    day = job.details.get("recheck_today")
    return datetime.date.fromisoformat(day) if day else None


def _minus(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ids of `spans` outside every one of `holes` (closed ranges of ids), merged."""
    left: list[tuple[int, int]] = []
    for lo, hi in spans:
        pieces = [(lo, hi)]
        for h_lo, h_hi in holes:
            pieces = [
                piece
                for p_lo, p_hi in pieces
                for piece in ((p_lo, min(p_hi, h_lo - 1)), (max(p_lo, h_hi + 1), p_hi))
                if piece[0] <= piece[1]
            ]
        left += pieces
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(left):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def passed(jobs) -> list[tuple[int, int]]:
    """Another rule or calendar change while these re-checks are under way: the ids their ranges
    have already passed, less those any of them still has ahead (checked under the new rules
    anyway: a range not yet reached, or one an earlier change queued). The ranges are locked
    first, so a batch being written ends before this reads how far it got."""
    chunks = list(RecheckChunk.objects.select_for_update().filter(job__in=jobs))
    done = [(c.first_id, min(c.done_up_to, c.last_id)) for c in chunks]
    ahead = [(c.done_up_to + 1, c.last_id) for c in chunks]
    return _minus([s for s in done if s[0] <= s[1]], [s for s in ahead if s[0] <= s[1]])


@audit.exempt("复查全部案件的分段记录(派生数据)")
def claim(*, job_id, worker: str, now: datetime.datetime | None = None) -> RecheckChunk | None:
    """A waiting range of the job, or one whose worker stopped answering, now this worker's."""
    now = now or timezone.now()
    with transaction.atomic():
        chunk = (
            RecheckChunk.objects.select_for_update(skip_locked=True)
            .filter(job_id=job_id)
            .filter(
                Q(status=Status.WAITING) | Q(status=Status.RUNNING, heartbeat_at__lt=now - stale())
            )
            .order_by("first_id")
            .first()
        )
        if chunk is None:
            return None
        RecheckChunk.objects.filter(pk=chunk.pk).update(
            status=Status.RUNNING, claimed_by=worker, heartbeat_at=now
        )
        chunk.status, chunk.claimed_by, chunk.heartbeat_at = Status.RUNNING, worker, now
        return chunk


@audit.exempt("规则变更后分段复查案件(派生数据)")
def run_chunk(
    *,
    chunk_id: int,
    worker: str,
    today: datetime.date,
    batch: int = BATCH,
    officers: OfficerCache | None = None,
    after_batch: Callable[[], None] | None = None,
) -> int:
    """Check the range's due cases from where it stands, one transaction a batch; stop when it is
    done or another worker took it over. Returns how many cases this call checked."""
    officers = officers or OfficerCache()
    checked = 0
    while True:
        with transaction.atomic(), collector_paused():
            chunk = RecheckChunk.objects.select_for_update().get(pk=chunk_id)
            if chunk.claimed_by != worker or chunk.status != Status.RUNNING:
                return checked  # taken over (this worker was presumed dead), or finished
            ids = list(
                Case.objects.filter(pk__gt=chunk.done_up_to, pk__lte=chunk.last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            now = timezone.now()
            if not ids:
                RecheckChunk.objects.filter(pk=chunk_id).update(
                    status=Status.DONE, done_up_to=chunk.last_id, heartbeat_at=now
                )
                return checked
            _sync_many(
                _with_check_data(
                    _locked(Case.objects.filter(pk__in=ids)), officers=officers, rows=True
                ),
                today,
                officers,
            )
            RecheckChunk.objects.filter(pk=chunk_id).update(
                done_up_to=ids[-1], checked=F("checked") + len(ids), heartbeat_at=now
            )
        checked += len(ids)
        if after_batch is not None:
            after_batch()


def checked_so_far(job_id) -> int:
    return RecheckChunk.objects.filter(job_id=job_id).aggregate(n=Sum("checked"))["n"] or 0


@audit.exempt("规则变更后分段复查案件(派生数据)")
def run(
    *,
    job_id,
    today: datetime.date,
    worker: str | None = None,
    progress: Callable[..., None] | None = None,
    wait: bool = False,
    poll_seconds: float = 2.0,
) -> int:
    """Claim the job's ranges and check them until none is left to claim; returns how many cases
    this worker checked. With `wait` (the job's own task), then wait for the ranges other workers
    hold, taking over any whose worker stops, until every range is done."""
    worker = worker or worker_name()
    officers = OfficerCache()

    def report(force: bool = False) -> None:
        if progress is not None:
            progress(checked_so_far(job_id), force=force)  # the total was set with the ranges

    mine = 0
    while True:
        chunk = claim(job_id=job_id, worker=worker)
        if chunk is not None:
            mine += run_chunk(
                chunk_id=chunk.pk,
                worker=worker,
                today=today,
                officers=officers,
                after_batch=report,
            )
            continue
        report(force=True)
        open_ranges = RecheckChunk.objects.filter(job_id=job_id).exclude(status=Status.DONE)
        if not wait or not open_ranges.exists():
            return mine
        time.sleep(poll_seconds)
