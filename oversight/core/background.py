"""Long work off the request: a `Job` row the page follows, a task on Django's tasks API.

    job = background.start(kind="import", title="导入执法人员", task=run_import, args=[...], user=user)
    return redirect(job)  # the job's page shows a progress bar, then the result and its link

A task receives the job's id first and calls `background.run(job_id, work)`, where
`work(job, progress)` does the work (reporting `progress(done, total)`) and returns
(message in words, result URL). The work runs as the user who started it, so every write is
audited under their name. A refusal (ValidationError) ends the job as 未完成 with the reason in
words. A transient failure (the database or the network briefly away: `is_transient`) puts the
job back in the queue to run again after TASK_RETRY_SECONDS, 4× longer each time, up to
TASK_RETRIES times; so `work` must be safe to run again (one transaction, or resuming from what
it recorded). Anything else is logged, the job says so, and the task backend records the error.

The backend is configuration (settings.TASKS): the database backend in production and the demo,
whose workers (`oversight db_worker`) may run on any number of machines; the immediate backend in
tests, which runs the task when it is enqueued.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .context import acting_as, require_actor
from .models import Job

log = logging.getLogger(__name__)

Work = Callable[[Job, "Progress"], tuple[str, str]]


def start(
    *,
    kind: str,
    title: str,
    task,
    args: Sequence[Any] = (),
    user=None,
    total: int | None = None,
    open_result: bool = False,
) -> Job:
    """Record the job and enqueue its task once the current transaction commits. With
    `open_result`, the page following the job goes on to its result when it is ready (a draft
    to edit), instead of showing the outcome in words (an import's summary)."""
    require_actor(user)
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        created_by=user,
        total=total,
        # How to queue the task again after a transient failure (`run`).
        details={"task": task.module_path, "args": list(args)}
        | ({"open_result": True} if open_result else {}),
    )
    audit.record(action="create", obj=job, message=f"开始后台任务:{job.title}")

    def enqueue() -> None:
        result = task.enqueue(str(job.pk), *args)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


class Progress:
    """`progress(done, total)` from inside the work: written at most twice a second."""

    def __init__(self, job: Job):
        self.job = job
        self._written = 0.0

    def __call__(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < 0.5:
            return
        self._written = now
        fields: dict[str, Any] = {"done": done}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.job.pk).update(**fields)


def forget_cached_settings() -> None:
    """Drop this process's short-lived copies of the rules and the working-day calendar, so that
    work started by a change made on another node (a re-check after a calendar correction) sees
    that change rather than what this process read up to a minute before."""
    from . import calendar, rules

    rules.clear_cache()
    calendar.clear_cache()


def run(job_id: str, work: Work) -> str:
    """Run `work` for the job as the user who started it, and record how it ended."""
    forget_cached_settings()
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        return "任务记录不存在"
    if job.finished:
        return job.message  # run twice (a retried task): the first run's result stands
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    progress = Progress(job)
    with acting_as(user=job.created_by, system=job.created_by is None, username="后台任务"):
        try:
            message, url = work(job, progress)
        except ValidationError as exc:
            _finish(job, Job.Status.FAILED, "；".join(exc.messages), details=_details(exc))
            return "refused"
        except Exception as exc:
            if is_transient(exc) and _queue_again(job, exc):
                return "retry"
            log.exception("background job %s (%s) failed", job.pk, job.kind)
            tried = job.details.get("attempts", 0)
            _finish(
                job,
                Job.Status.FAILED,
                "处理时发生内部错误"
                + (f"（已自动重试 {tried} 次）" if tried else "")
                + "，已记入系统日志，请联系系统管理员。",
            )
            raise
    _finish(job, Job.Status.SUCCEEDED, message, url=url)
    return message


def is_transient(exc: BaseException) -> bool:
    """A failure that running again later may not meet: the database connection lost or refused,
    a deadlock or serialization failure, the network (Redis, object storage) timing out."""
    from django.db import InterfaceError, OperationalError

    transient: tuple[type[BaseException], ...] = (
        OperationalError,
        InterfaceError,
        ConnectionError,
        TimeoutError,
    )
    try:
        from redis.exceptions import ConnectionError as RedisDown
        from redis.exceptions import TimeoutError as RedisSlow

        transient += (RedisDown, RedisSlow)
    except ImportError:  # pragma: no cover - redis is a pinned dependency
        pass
    try:
        from botocore.exceptions import ConnectionError as StoreDown
        from botocore.exceptions import ReadTimeoutError

        transient += (StoreDown, ReadTimeoutError)
    except ImportError:  # the embedded set-up runs without object storage
        pass
    return isinstance(exc, transient)


def _queue_again(job: Job, exc: BaseException) -> bool:
    """Queue the job's task to run again after a pause; False when its retries are used up or it
    cannot be queued again (then the job fails as any error would)."""
    from django.conf import settings
    from django.db import connection
    from django.utils.module_loading import import_string

    tried = job.details.get("attempts", 0)
    if tried >= settings.TASK_RETRIES or "task" not in job.details:
        return False
    pause = retry_pause(tried + 1)
    log.warning(
        "background job %s (%s) met a transient error, retry %d in %s s: %r",
        job.pk, job.kind, tried + 1, pause, exc,
    )  # fmt: skip
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()  # a lost connection: the next query opens one
    task = import_string(job.details["task"])
    at = timezone.now() + datetime.timedelta(seconds=pause)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.QUEUED,
        message=(
            f"第 {tried + 1} 次处理因数据库或网络暂时不可用未完成，"
            f"将于 {timezone.localtime(at):%H:%M:%S} 自动重试。"
        ),
        details={**job.details, "attempts": tried + 1},
    )
    enqueue_later(task, str(job.pk), *job.details["args"], seconds=pause)
    return True


def finish_stranded(job: Job, *, ok: bool, message: str, url: str = "") -> bool:
    """End a job whose own task stopped without ending it (its worker was killed), as the
    scheduler finds it; False when the job has ended meanwhile."""
    job.refresh_from_db()
    if job.finished:
        return False
    _finish(job, Job.Status.SUCCEEDED if ok else Job.Status.FAILED, message, url=url)
    return True


def _details(exc: ValidationError) -> dict[str, Any]:
    rows = getattr(exc, "row_errors", None)
    if rows:
        return {
            "row_errors": [
                {"row": r.row, "column": r.column, "message": r.message} for r in rows[:500]
            ]
        }
    return {}


def _finish(job: Job, status: str, message: str, *, url: str = "", details=None) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "message": message[:2000],
        "result_url": url[:300],
        "finished_at": timezone.now(),
    }
    if details:
        fields["details"] = {**job.details, **details}
    if status == Job.Status.SUCCEEDED:
        job.refresh_from_db(fields=["total", "done"])
        if job.total:
            fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)
    if job.created_by is not None:
        # Whoever left the page hears of the outcome in their messages.
        from .notifications import Message, notify

        ok = status == Job.Status.SUCCEEDED
        notify(
            [job.created_by],
            Message(
                key=f"job:{job.pk}",
                title=f"{job.title}{'已完成' if ok else '未完成'}",
                body=message[:500],
                url=(url if ok and job.details.get("open_result") else "")
                or job.get_absolute_url(),
                urgent=False,
            ),
            email=False,
        )


def retry_pause(attempt: int) -> int:
    """Seconds before attempt number `attempt + 1`: TASK_RETRY_SECONDS, four times longer each time."""
    from django.conf import settings

    return settings.TASK_RETRY_SECONDS * 4 ** (attempt - 1)


def enqueue_later(task, *args, seconds: int) -> None:
    """Queue `task` to run after `seconds` (on a backend that cannot wait, such as the tests'
    immediate one, at once)."""
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=seconds))
    task.enqueue(*args)
