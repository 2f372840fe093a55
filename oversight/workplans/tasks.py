"""Background tasks of the work-plan app (core/background.py)."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse
from django_tasks import task

from oversight.core import background

from .services.lights import lights_due


@task()
def relight_all(job_id: str) -> str:
    """Decide every light marked for it again (after a rule or a calendar change), with progress."""

    def work(job, progress):
        count = lights_due(progress=progress)
        if connection.vendor == "postgresql":
            # Every light moved at once: the planner's statistics of the column follow now, not
            # whenever autovacuum comes round (the ledger's plans depend on them).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE workplans_assignment")
        return (
            f"已按新的规则和工作日历重新判定任务分工亮灯 {count} 项。",
            reverse("workplans:assignment_list"),
        )

    return background.run(job_id, work)
