"""Guards shared by every record of an enforcement act (cases, inspections, draws): the acting
unit is the actor's, and the officers named are that unit's."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oversight.core.roles import Role

from .models import Officer


def check_acting_unit(unit, user) -> None:
    if (
        user is not None
        and Role.SUPERVISOR not in user.role_codes
        and unit.pk not in user.scope_unit_ids
    ):
        raise PermissionDenied("只能办理本单位的执法案件、检查和抽查。")


def check_officers_of(unit, officers, user) -> None:
    """Officers named on a record must be visible to the actor and belong to the acting unit
    (or a unit below it); the message names nobody, so no entry path reveals other units' staff."""
    from oversight.organisations.selectors import unit_descendant_ids

    own = unit_descendant_ids({unit.pk})
    visible = (
        set(
            Officer.objects.restrict(user, "view")
            .filter(pk__in=[o.pk for o in officers])
            .values_list("pk", flat=True)
        )
        if user is not None
        else {o.pk for o in officers}
    )
    foreign = [o for o in officers if o.pk not in visible or o.unit_id not in own]
    if foreign:
        raise ValidationError(
            {
                "officers": f"所选人员中有 {len(foreign)} 人不是{unit}的执法人员,请选择本单位持证人员。"
            }
        )


def certificate_valid_on(certificate, events, day: datetime.date) -> bool:
    """Whether an enforcement certificate was valid on `day`: in its dates, and its last status
    change on or before the day (from `events`) left it valid."""
    if (
        certificate.kind != "enforcement"
        or not certificate.issue_date <= day <= certificate.expiry_date
    ):
        return False
    # The certificate as it stood on the day: the last status change on or before it decides.
    status = "valid"
    for event in events:
        if timezone.localdate(event.time) <= day:
            status = event.to_status
    return status == "valid"
