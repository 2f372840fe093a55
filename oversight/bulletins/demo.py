"""Demo bulletin and evaluation on the demo work plan (marked 演示 through the plan)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from oversight.accounts.models import User
from oversight.workplans.models import Plan

from . import evaluations, services
from .models import Bulletin, BulletinSchedule


@transaction.atomic
def load_demo_bulletins(today: datetime.date | None = None) -> bool:
    """Last quarter's bulletin, published; quarterly drafting; a mid-term evaluation, scored.

    On the demo plan once its hundred days are played (workplans.demo.load_demo_loop).
    """
    today = today or timezone.localdate()
    plan = Plan.objects.filter(is_demo=True).order_by("pk").first()
    if plan is None or Bulletin.objects.filter(plan=plan).exists():
        return False
    supervisor = User.objects.get(username="jiandu")
    start, _ = services._period_bounds("quarter", today)
    end = start - datetime.timedelta(days=1)
    begin, _ = services._period_bounds("quarter", end)
    if plan.issued_at and end < timezone.localdate(plan.issued_at):
        return False  # the plan's first quarter is not over yet: nothing to report on
    bulletin = services.bulletin_create(
        plan=plan, period="quarter", date_from=begin, date_to=end, user=supervisor
    )
    services.bulletin_update(
        bulletin=bulletin,
        data={
            "highlights": "区市场监管局建立涉企检查备案台账,实现检查事项“一本账”管理(演示数据)。"
        },
        user=supervisor,
    )
    services.bulletin_publish(bulletin=bulletin, user=supervisor)
    BulletinSchedule.objects.get_or_create(
        plan=plan, period="quarter", defaults={"workday": 5, "last_period_end": end}
    )
    scheme = evaluations.evaluation_create(plan=plan, kind="midterm", user=supervisor)
    evaluations.evaluation_score(scheme=scheme, user=supervisor)
    return True
