"""The people and places of supervision: special supervisors (特邀行政执法监督员) with their term,
activity, annual assessment and dismissal, and the enterprise contact points (监督联系点)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit, crypto
from oversight.core.context import require_actor
from oversight.core.identifiers import mask_middle
from oversight.core.roles import Role
from oversight.core.rules import rule_value

from ..models import (
    Clue,
    ContactPoint,
    SpecialSupervisor,
    SupervisorActivity,
    SupervisorAssessment,
)
from .clues import _register, _supervisor

PRIVATE = frozenset({"phone_cipher", "phone_masked"})


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _phone(obj, phone: str | None) -> None:
    if phone is None:
        return
    phone = phone.strip()
    obj.phone_cipher = crypto.encrypt(phone) if phone else ""
    obj.phone_masked = mask_middle(phone) if phone else ""


@transaction.atomic
def special_supervisor_save(
    *, supervisor: SpecialSupervisor | None, data: dict[str, Any], user=None
) -> SpecialSupervisor:
    """Appoint (no `supervisor`) or edit one; the term runs the rule's years from appointment."""
    require_actor(user)
    _supervisor(user)
    creating = supervisor is None
    supervisor = supervisor or SpecialSupervisor()
    before = None if creating else audit.snapshot(supervisor, exclude=PRIVATE)
    for key in (
        "name",
        "organisation",
        "identity",
        "expertise",
        "conflicts",
        "appointed_on",
        "is_demo",
    ):
        if key in data:
            setattr(supervisor, key, data[key])
    account = data.get("user")
    if account is not None and Role.SPECIAL_SUPERVISOR not in account.role_codes:
        raise ValidationError(
            {"user": f"账号 {account} 没有“特邀监督员”角色,请先由安全管理员授予。"}
        )
    if "user" in data:
        supervisor.user = account
    if supervisor.appointed_on and supervisor.appointed_on > timezone.localdate():
        raise ValidationError({"appointed_on": "聘任日期不能晚于今天。"})
    if creating or "appointed_on" in data:
        years = rule_value("supervision.special_supervisor_term_years")
        supervisor.term_end = _add_years(supervisor.appointed_on, years)
    _phone(supervisor, data.get("phone"))
    supervisor.full_clean()
    supervisor.save()
    audit.record(
        action="create" if creating else "update",
        obj=supervisor,
        before=before,
        after=audit.snapshot(supervisor, exclude=PRIVATE),
        message="聘任特邀行政执法监督员" if creating else "",
    )
    return supervisor


@transaction.atomic
def special_supervisor_dismiss(
    *, supervisor: SpecialSupervisor, reason: str, user=None
) -> SpecialSupervisor:
    """解聘 before the term ends, with the reason (e.g. 年度考核不称职, 本人申请)."""
    require_actor(user)
    _supervisor(user)
    supervisor = SpecialSupervisor.objects.select_for_update().get(pk=supervisor.pk)
    if supervisor.status != SpecialSupervisor.Status.ACTIVE:
        raise ValidationError("该监督员已不在任。")
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": "请写明解聘理由。"})
    before = audit.snapshot(supervisor, exclude=PRIVATE)
    supervisor.status = SpecialSupervisor.Status.DISMISSED
    supervisor.dismissed_on = timezone.localdate()
    supervisor.dismissal_reason = reason.strip()
    supervisor.save()
    audit.record(
        action="update",
        obj=supervisor,
        before=before,
        after=audit.snapshot(supervisor, exclude=PRIVATE),
        message="解聘特邀行政执法监督员",
    )
    return supervisor


def expire_terms(today: datetime.date) -> int:
    """Supervisors whose term has ended leave office (the daily job); audited per person."""
    ended = SpecialSupervisor.objects.filter(
        status=SpecialSupervisor.Status.ACTIVE, term_end__lt=today
    )
    count = 0
    for supervisor in ended:
        before = audit.snapshot(supervisor, exclude=PRIVATE)
        supervisor.status = SpecialSupervisor.Status.EXPIRED
        supervisor.save(update_fields=["status"])
        audit.record(
            action="update",
            obj=supervisor,
            before=before,
            after=audit.snapshot(supervisor, exclude=PRIVATE),
            message="任期届满",
        )
        count += 1
    return count


@transaction.atomic
def supervisor_activity_add(
    *, supervisor: SpecialSupervisor, kind: str, date: datetime.date, note: str, user=None
) -> SupervisorActivity:
    require_actor(user)
    _supervisor(user)
    if date > timezone.localdate():
        raise ValidationError({"date": "日期不能晚于今天。"})
    if len(note.strip()) < 2:
        raise ValidationError({"note": "请写明履职内容。"})
    activity = SupervisorActivity.objects.create(
        supervisor=supervisor, kind=kind, date=date, note=note.strip()
    )
    audit.record(
        action="create",
        obj=activity,
        after={
            "supervisor": supervisor.name,
            "kind": kind,
            "date": date.isoformat(),
            "note": note.strip(),
        },
    )
    return activity


@transaction.atomic
def supervisor_assess(
    *, supervisor: SpecialSupervisor, year: int, result: str, note: str = "", user=None
) -> SupervisorAssessment:
    """The annual assessment (one per year; a second one for the same year corrects it)."""
    require_actor(user)
    _supervisor(user)
    if year > timezone.localdate().year or year < supervisor.appointed_on.year:
        raise ValidationError({"year": f"考核年度应在 {supervisor.appointed_on.year} 至今年之间。"})
    assessment, created = SupervisorAssessment.objects.update_or_create(
        supervisor=supervisor, year=year, defaults={"result": result, "note": note.strip()}
    )
    audit.record(
        action="create" if created else "update",
        obj=assessment,
        after={"supervisor": supervisor.name, "year": year, "result": result, "note": note.strip()},
    )
    return assessment


@transaction.atomic
def clue_submit_by_supervisor(*, data: dict[str, Any], user) -> Clue:
    """A special supervisor reports a problem: registered as a clue from them, logged as their
    activity."""
    require_actor(user)
    supervisor = SpecialSupervisor.objects.filter(
        user=user, status=SpecialSupervisor.Status.ACTIVE
    ).first()
    if supervisor is None:
        raise PermissionDenied("只有在任的特邀行政执法监督员可以在此反映问题。")
    fields = ("unit", "party_name", "party_credit_code", "matter")
    clue = _register(
        {k: data.get(k) for k in fields}
        | {
            "source": Clue.Source.SPECIAL_SUPERVISOR,
            "special_supervisor": supervisor,
            "complainant_name": supervisor.name,
        },
        user,
    )
    SupervisorActivity.objects.create(
        supervisor=supervisor,
        kind=SupervisorActivity.Kind.CLUE,
        date=clue.received_on,
        note=f"反映问题线索 {clue.number}",
        clue=clue,
    )
    return clue


@transaction.atomic
def contact_point_save(
    *, point: ContactPoint | None, data: dict[str, Any], user=None
) -> ContactPoint:
    require_actor(user)
    _supervisor(user)
    creating = point is None
    point = point or ContactPoint()
    before = None if creating else audit.snapshot(point, exclude=PRIVATE)
    for key in ("name", "kind", "liaison", "address", "established_on", "is_active", "is_demo"):
        if key in data:
            setattr(point, key, data[key])
    _phone(point, data.get("phone"))
    point.full_clean()
    point.save()
    if "enterprises" in data:
        point.enterprises.set(data["enterprises"])
    audit.record(
        action="create" if creating else "update",
        obj=point,
        before=before,
        after=audit.snapshot(point, exclude=PRIVATE) | {"enterprises": point.enterprises.count()},
    )
    return point
