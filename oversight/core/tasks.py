"""The kernel's background tasks (core/background.py): an import confirmed on its page."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.module_loading import import_string
from django_tasks import task

from . import background


@task()
def run_import(job_id: str, importer_path: str, stored_name: str, success_url: str) -> str:
    """Run a previewed import for real: the same checks again, all rows or none."""

    def work(job, progress):
        importer = import_string(importer_path)(user=job.created_by)
        try:
            with default_storage.open(stored_name, "rb") as handle:
                result = importer.run(handle, stored_name, progress=progress)
        finally:
            default_storage.delete(stored_name)
        return f"导入完成:{result.summary}。", success_url

    return background.run(job_id, work)


@task()
def send_email(notice_id: int, attempt: int = 1) -> str:
    """Email an urgent notice (core/notifications.py); a refused mail is tried again later, at most
    TASK_RETRIES more times, and the notice stays in the platform whatever happens."""
    from django.conf import settings

    from .notifications import send_email_once

    if send_email_once(notice_id) == "sent":
        return "已发送"
    if attempt <= settings.TASK_RETRIES:
        background.enqueue_later(
            send_email, notice_id, attempt + 1, seconds=background.retry_pause(attempt)
        )
        return "稍后重试"
    return "发送失败"
