"""Shared by the work-plan services: the row lock, timeline events, role and status checks."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oversight.core.roles import Role

from ..models import (
    Assignment,
    AssignmentEvent,
    Report,
)

Action = AssignmentEvent.Action


def _today() -> datetime.date:
    return timezone.localdate()


def _event(
    assignment: Assignment, action: str, user=None, comment: str = "", report: Report | None = None
):
    """Put the step on the assignment's timeline and decide its light again, in the same
    transaction (every step that can change a light records an event, after its own writes)."""
    from .lights import light_refresh

    event = AssignmentEvent.objects.create(
        assignment=assignment, action=action, actor=user, comment=comment, report=report
    )
    light_refresh(assignment=assignment)
    return event


def _lock(assignment: Assignment, user, action: str = "change") -> Assignment:
    """Re-read the assignment under a row lock, inside the user's scope, or refuse."""
    qs = Assignment.objects.select_for_update().select_related("task__plan", "unit")
    if user is not None:
        qs = qs.filter(pk__in=Assignment.objects.restrict(user, action).values("pk"))
    try:
        return qs.get(pk=assignment.pk)
    except Assignment.DoesNotExist as exc:
        raise PermissionDenied("该任务分工不在您的权限范围内。") from exc


def require_supervisor(user) -> None:
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以办理此事项。")


def _require_unit_role(user) -> None:
    if user is not None and not user.role_codes & {Role.REPORTER, Role.UNIT_HEAD}:
        raise PermissionDenied("只有责任单位的填报员或负责人可以办理此事项。")


def _status(assignment: Assignment, *allowed: str, message: str) -> None:
    if assignment.status not in allowed:
        raise ValidationError(message)
