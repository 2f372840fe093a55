"""Background tasks of the cases app (core/background.py)."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from oversight.core import background
from oversight.core.bulk import tidy_after_rewrite

from .models import Case
from .services import check_due


@task()
def recheck_all(job_id: str) -> str:
    """Re-check every case marked due (after a rule or a calendar change), with progress."""

    def work(job, progress):
        checked = check_due(progress=progress)
        tidy_after_rewrite(Case)  # as after relighting every work-plan assignment
        return f"已按新的规则和工作日历复查案件 {checked} 件。", reverse("cases:case_list")

    return background.run(job_id, work)
