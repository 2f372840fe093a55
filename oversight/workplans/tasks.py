"""Background tasks of the work-plan app (core/background.py)."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from oversight.core import background
from oversight.core.bulk import tidy_after_rewrite

from .models import Assignment
from .services.lights import lights_due


@task()
def relight_all(job_id: str) -> str:
    """Decide every light marked for it again (after a rule or a calendar change), with progress."""

    def work(job, progress):
        count = lights_due(progress=progress)
        # Every light moved at once: dead row versions leave the indexes and the planner's
        # statistics follow now, not whenever autovacuum comes round.
        tidy_after_rewrite(Assignment)
        return (
            f"已按新的规则和工作日历重新判定任务分工亮灯 {count} 项。",
            reverse("workplans:assignment_list"),
        )

    return background.run(job_id, work)
