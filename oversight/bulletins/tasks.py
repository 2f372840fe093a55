"""Background tasks of bulletins (core/background.py): drafting a bulletin with its figures."""

from __future__ import annotations

import datetime

from django.db import transaction
from django_tasks import task

from oversight.core import background
from oversight.workplans.models import Plan

from . import services


@task()
def draft_bulletin(job_id: str, plan_id: int, period: str, date_from: str, date_to: str) -> str:
    """Draft the bulletin and compute its figures as of the end of its period."""

    def work(job, progress):
        with transaction.atomic():  # the draft and its figures, or nothing (a retry starts over)
            return draft(job, progress)

    def draft(job, progress):
        progress(0, 2, force=True)
        bulletin = services.bulletin_create(
            plan=Plan.objects.get(pk=plan_id),
            period=period,
            date_from=datetime.date.fromisoformat(date_from),
            date_to=datetime.date.fromisoformat(date_to),
            user=job.created_by,
        )
        progress(1, 2, force=True)
        services.bulletin_prepare(bulletin=bulletin)
        return f"通报草稿已生成:{bulletin.title}。", bulletin.get_absolute_url()

    return background.run(job_id, work)


@task()
def score_evaluation(job_id: str, scheme_id: int) -> str:
    """Score every unit of an evaluation from the data as of its date (one transaction)."""
    from . import evaluations
    from .models import EvaluationScheme

    def work(job, progress):
        scheme = EvaluationScheme.objects.get(pk=scheme_id)
        count = evaluations.evaluation_score(scheme=scheme, user=job.created_by)
        return f"已按数据为 {count} 个单位评分。", scheme.get_absolute_url()

    return background.run(job_id, work)
