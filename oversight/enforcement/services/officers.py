"""Officers: created and changed by their unit (ID numbers encrypted), the full number shown to those allowed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit, crypto
from oversight.core.context import require_actor
from oversight.core.identifiers import id_number_error, mask_id_number
from oversight.core.roles import Role
from oversight.organisations.models import Unit

from ..models import (
    Officer,
)
from .common import _in_scope

OFFICER_FIELDS = (
    "unit",
    "subject",
    "name",
    "post",
    "phone",
    "employment",
    "legal_qualification",
    "status",
    "left_on",
)


def _set_identity(officer: Officer, id_number: str) -> None:
    error = id_number_error(id_number)
    if error:
        raise ValidationError({"id_number": error})
    value = id_number.strip().upper()
    digest = crypto.keyed_hash(value)
    clash = Officer.objects.filter(id_hash=digest).exclude(pk=officer.pk).first()
    if clash:
        # Whose number it is stays private (it may be another unit's officer): say only what to do.
        raise ValidationError(
            {
                "id_number": "该身份证号已登记为执法人员。如该人员调入本单位,请联系区司法局办理人员调动,不要重复登记。"
            }
        )
    officer.id_cipher = crypto.encrypt(value)
    officer.id_hash = digest
    officer.id_masked = mask_id_number(value)


def _officer_snapshot(officer: Officer) -> dict[str, Any]:
    # Never the ID number or its cipher in the log: the masked form is enough to tell what changed.
    return audit.snapshot(officer, exclude=frozenset({"id_cipher", "id_hash", "phone"}))


def _check_unit(unit: Unit, user) -> None:
    if (
        user is not None
        and Role.SUPERVISOR not in user.role_codes
        and unit.pk not in user.scope_unit_ids
    ):
        raise PermissionDenied("只能登记本单位的执法人员。")


@transaction.atomic
def officer_create(*, data: dict[str, Any], id_number: str, user=None) -> Officer:
    require_actor(user)
    officer = Officer(
        **{k: v for k, v in data.items() if k in (*OFFICER_FIELDS, "user", "is_demo")}
    )
    _check_unit(officer.unit, user)
    if officer.subject_id and officer.subject.unit_id != officer.unit_id:
        raise ValidationError({"subject": "执法主体应属于该人员所在单位。"})
    _set_identity(officer, id_number)
    officer.full_clean()
    officer.save()
    audit.record(action="create", obj=officer, after=_officer_snapshot(officer))
    return officer


@transaction.atomic
def officer_update(
    *, officer: Officer, data: dict[str, Any], id_number: str | None = None, user=None
) -> Officer:
    require_actor(user)
    _in_scope(Officer, officer, user)
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    before = _officer_snapshot(officer)
    for key in OFFICER_FIELDS:
        if key in data:
            setattr(officer, key, data[key])
    _left_on(officer)
    _check_unit(officer.unit, user)
    if id_number:
        _set_identity(officer, id_number)
    officer.full_clean()
    officer.save()
    audit.record(action="update", obj=officer, before=before, after=_officer_snapshot(officer))
    _in_scope(Officer, officer, user)
    return officer


def _left_on(officer: Officer) -> None:
    """An officer who left (退休、调离、辞职) has the date they left, today unless given; one on duty
    has none."""
    if officer.status == Officer.Status.ON_DUTY:
        officer.left_on = None
        return
    if officer.left_on is None:
        officer.left_on = timezone.localdate()
    if officer.left_on > timezone.localdate():
        raise ValidationError({"left_on": "离岗日期不能晚于今天:离岗后再登记。"})


def officer_identity(*, officer: Officer, user) -> str:
    """The full ID number, for those allowed to see it; every look is in the audit log."""
    from oversight.core.roles import has_capability

    if not has_capability(user, "enforcement.identity"):
        raise PermissionDenied("您的角色无权查看完整身份证号。")
    _in_scope(Officer, officer, user, "view")
    audit.record(action="action", obj=officer, message="查看完整身份证号")
    return crypto.decrypt(officer.id_cipher)
