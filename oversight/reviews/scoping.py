"""Who sees which review rounds and files.

The bureau runs everything; leaders read everything. A unit reads (and uploads, and objects to) its
own sampled files. A reviewer reads only the files assigned to them, never the rest of the round. A
司法所 reads its 街办's files.
"""

from __future__ import annotations

from django.db.models import Q

from oversight.core.querysets import either, office_q
from oversight.core.roles import Role


def _assigned_file_ids(user):
    from .models import ScoreSheet

    return ScoreSheet.objects.filter(reviewer__user=user).values("file_id")


def file_scope(user, action: str) -> Q | None:
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if Role.LEADER in roles and action == "view":
        return Q()
    unit = None
    if (
        roles & {Role.REPORTER, Role.UNIT_HEAD}
        and user.scope_unit_ids
        and action in {"view", "change"}
    ):
        unit = Q(unit__in=user.scope_unit_ids)
    reviewer = Q(pk__in=_assigned_file_ids(user)) if action == "view" else None
    return either(unit, reviewer, office_q(user, action))


def round_scope(user, action: str) -> Q | None:
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if action != "view":
        return None
    if Role.LEADER in roles:
        return Q()
    from .models import ReviewFile

    files = file_scope(user, "view")
    if files is None:
        return None
    return Q(pk__in=ReviewFile.objects.filter(files).values("round_id"))
