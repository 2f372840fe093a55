"""Long work off the request: a `Job` row the page follows, a task on Django's tasks API.

    job = background.start(kind="import", title="导入执法人员", task=run_import, args=[...], user=user)
    return redirect(job)  # the job's page shows a progress bar, then the result and its link

A task receives the job's id first and calls `background.run(job_id, work)`, where
`work(job, progress)` does the work (reporting `progress(done, total)`) and returns
(message in words, result URL). The work runs as the user who started it, so every write is
audited under their name. A refusal (ValidationError) ends the job as 未完成 with the reason in
words; anything else is logged, the job says so, and the task backend records the error.

The backend is configuration (settings.TASKS): the database backend in production and the demo,
whose workers (`oversight db_worker`) may run on any number of machines; the immediate backend in
tests, which runs the task when it is enqueued.
"""

from __future__ import annotations

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
        details={"open_result": True} if open_result else {},
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


def run(job_id: str, work: Work) -> str:
    """Run `work` for the job as the user who started it, and record how it ended."""
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
        except Exception:
            log.exception("background job %s (%s) failed", job.pk, job.kind)
            _finish(job, Job.Status.FAILED, "处理时发生内部错误,已记入系统日志,请联系系统管理员。")
            raise
    _finish(job, Job.Status.SUCCEEDED, message, url=url)
    return message


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
