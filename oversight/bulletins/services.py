"""Drafting, scheduling and publishing bulletins (定期通报)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.calendar import add_workdays
from oversight.core.context import require_actor
from oversight.core.documents import chinese_date
from oversight.core.numbering import next_number
from oversight.core.replica import heavy_reads
from oversight.core.roles import Role
from oversight.workplans.models import (
    Plan,
)
from oversight.workplans.services import require_supervisor

from .models import Bulletin, BulletinSchedule


# -- bulletins (定期通报) --------------------------------------------------------------------------
def _quarter(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def default_bulletin_title(
    plan: Plan, date_from: datetime.date, date_to: datetime.date, period: str
) -> str:
    if period == "quarter":
        span = f"{date_to.year}年第{'一二三四'[_quarter(date_to) - 1]}季度"
    elif period == "month":
        span = f"{date_to.year}年{date_to.month}月"
    else:
        span = f"{chinese_date(date_from)}至{chinese_date(date_to)}"
    return f"关于{span}行政执法协调监督工作任务落实情况的通报"


def bulletin_check(
    *, plan: Plan, date_from: datetime.date, date_to: datetime.date, user=None
) -> None:
    """What must hold before a bulletin is drafted (the page checks it before starting the work)."""
    require_actor(user)
    require_supervisor(user)
    if date_from > date_to:
        raise ValidationError({"date_from": "统计起始日不能晚于截止日。"})
    if date_to > timezone.localdate():
        raise ValidationError({"date_to": "统计截止日不能晚于今天:通报只能反映已经发生的情况。"})
    if plan.status == Plan.Status.CONFIRMED:
        raise ValidationError("计划尚未下发,没有可通报的落实情况。")
    issued_on = timezone.localdate(plan.issued_at) if plan.issued_at else None
    if issued_on and date_to < issued_on:
        raise ValidationError(
            {
                "date_to": f"统计截止日 {date_to:%Y-%m-%d} 早于计划下发日 {issued_on:%Y-%m-%d}:"
                "计划下发前没有可通报的落实情况,请选择下发之后的统计期。"
            }
        )


@transaction.atomic
def bulletin_create(
    *, plan: Plan, period: str, date_from: datetime.date, date_to: datetime.date, user=None
) -> Bulletin:
    """A draft bulletin; its figures are computed as of the end of its period."""
    require_actor(user)
    bulletin_check(plan=plan, date_from=date_from, date_to=date_to, user=user)
    existing = Bulletin.objects.filter(
        plan=plan, date_from=date_from, date_to=date_to, status=Bulletin.Status.DRAFT
    ).first()
    if existing is not None:
        # Pressed twice, or drafted by the scheduler already: one draft per plan and period.
        existing.already_drafted = True
        return existing
    bulletin = Bulletin.objects.create(
        plan=plan,
        period=period,
        date_from=date_from,
        date_to=date_to,
        title=default_bulletin_title(plan, date_from, date_to, period),
        intro=(
            f"为推动《{plan.title}》各项任务落实到位,根据定期通报制度,现将{chinese_date(date_from)}至"
            f"{chinese_date(date_to)}各单位任务落实情况通报如下。"
        ),
        requirements="各单位要对照通报指出的问题,逐项整改,按时报送进展;逾期事项须在 5 个工作日内书面说明原因和整改措施。",
        created_by=user,
    )
    audit.record(action="create", obj=bulletin, after=audit.snapshot(bulletin))
    return bulletin


@transaction.atomic
def bulletin_update(*, bulletin: Bulletin, data: dict[str, Any], user=None) -> Bulletin:
    require_actor(user)
    require_supervisor(user)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise ValidationError("通报已发布,不能修改。")
    before = audit.snapshot(bulletin, exclude=frozenset({"figures"}))
    for key in ("title", "intro", "highlights", "requirements"):
        if key in data:
            setattr(bulletin, key, (data[key] or "").strip())
    if not bulletin.title:
        raise ValidationError({"title": "请填写标题。"})
    bulletin.full_clean()
    bulletin.save()
    audit.record(
        action="update",
        obj=bulletin,
        before=before,
        after=audit.snapshot(bulletin, exclude=frozenset({"figures"})),
    )
    return bulletin


@transaction.atomic
def bulletin_delete(*, bulletin: Bulletin, user=None) -> None:
    """Discard a draft; a published bulletin is an official document and stays."""
    require_actor(user)
    require_supervisor(user)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise ValidationError("通报已发布,是正式公文,不能删除。")
    audit.record(
        action="delete",
        obj=bulletin,
        before=audit.snapshot(bulletin, exclude=frozenset({"figures"})),
        message=f"删除通报草稿《{bulletin.title}》",
    )
    bulletin.delete()


@audit.exempt("起草时计算通报数据(由已审计的记录重建,派生数据)")
def bulletin_prepare(*, bulletin: Bulletin, progress=None) -> Bulletin:
    """Compute a draft's figures once, as of the end of its period, and keep them with it: the
    draft then opens at once. A period that has ended does not change (figures are rebuilt from
    the history); publishing computes them again and freezes them."""
    from .figures import compute

    bulletin = Bulletin.objects.get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        return bulletin
    with heavy_reads():  # the history of a period, read where a replica can carry it
        figures = compute(bulletin.plan, bulletin.date_from, bulletin.date_to)
    Bulletin.objects.filter(pk=bulletin.pk).update(figures=figures.to_json())
    return bulletin


def bulletin_figures(bulletin: Bulletin):
    """The frozen figures of a published bulletin, or the figures computed now for a draft."""
    from .figures import Figures, compute

    if bulletin.figures:
        return Figures.from_json(bulletin.figures)
    return compute(bulletin.plan, bulletin.date_from, bulletin.date_to)


@transaction.atomic
def bulletin_publish(*, bulletin: Bulletin, user=None) -> Bulletin:
    """Freeze the figures, number the bulletin (陆司通〔year〕N号) and tell the units on the plan."""
    require_actor(user)
    from .figures import compute

    require_supervisor(user)
    bulletin = Bulletin.objects.select_for_update().select_related("plan").get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise ValidationError("该通报已经发布。")
    figures = compute(bulletin.plan, bulletin.date_from, bulletin.date_to)
    now = timezone.now()
    bulletin.figures = figures.to_json()
    bulletin.number = next_number(kind="通报", year=timezone.localdate(now).year, prefix="陆司通")
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.published_by, bulletin.published_at = user, now
    bulletin.save()
    audit.record(action="action", obj=bulletin, message=f"发布通报 {bulletin.number}")
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    unit_ids = [u.unit_id for u in figures.units]
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, role_rows__role__in=[Role.REPORTER, Role.UNIT_HEAD, Role.LEADER]
        )
        .filter(
            Q(primary_unit__in=unit_ids) | Q(units__in=unit_ids) | Q(role_rows__role=Role.LEADER)
        )
        .distinct()
    )
    from oversight.core.notifications import Message
    from oversight.core.notifications import notify as send

    send(
        users,
        Message(
            key=f"bulletin:{bulletin.pk}",
            title=f"{bulletin.number} {bulletin.title}",
            body="区司法局发布了定期通报,请查看本单位排名和被指出的问题。",
            url=bulletin.get_absolute_url(),
        ),
    )
    return bulletin


def _period_bounds(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == "month":
        start = day.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    else:
        month = (_quarter(day) - 1) * 3 + 1
        start = datetime.date(day.year, month, 1)
        end = (
            datetime.date(day.year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
        ) - datetime.timedelta(days=1)
    return start, end


@transaction.atomic
def bulletin_schedule_run(*, today: datetime.date) -> list[Bulletin]:
    """Draft the bulletins that schedules owe: the last full period, on the Nth working day after it."""
    created = []
    for schedule in (
        BulletinSchedule.objects.select_for_update().filter(active=True).select_related("plan")
    ):
        if schedule.plan.status == Plan.Status.CONFIRMED:
            continue
        current_start, _ = _period_bounds(schedule.period, today)
        previous_end = current_start - datetime.timedelta(days=1)
        previous_start, _ = _period_bounds(schedule.period, previous_end)
        if schedule.last_period_end and schedule.last_period_end >= previous_end:
            continue
        due = add_workdays(current_start - datetime.timedelta(days=1), schedule.workday)
        if today < due:
            continue
        bulletin = bulletin_create(
            plan=schedule.plan,
            period=schedule.period,
            date_from=previous_start,
            date_to=previous_end,
        )
        schedule.last_period_end = previous_end
        schedule.save(update_fields=["last_period_end"])
        created.append(bulletin)
    return created
