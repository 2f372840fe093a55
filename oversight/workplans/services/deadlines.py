"""Extensions of a deadline and completion (办结): requested by the unit, decided by the bureau."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.rules import rule_value

from .. import notify
from ..models import (
    Assignment,
    Extension,
)
from .common import Action, _event, _lock, _require_unit_role, _status, require_supervisor


@transaction.atomic
def extension_request(
    *, assignment: Assignment, new_date: datetime.date, reason: str, user=None
) -> Extension:
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.SIGNED, message="只有落实中的任务可以申请延期。")
    if assignment.due_date is None:
        raise ValidationError("长期任务没有完成时限,无需申请延期。")
    if new_date <= assignment.due_date:
        raise ValidationError(
            {"new_date": f"申请的新时限应晚于当前时限 {assignment.due_date:%Y-%m-%d}。"}
        )
    longest = rule_value("workplans.extension_max_days")
    if new_date > assignment.due_date + datetime.timedelta(days=longest):
        latest = assignment.due_date + datetime.timedelta(days=longest)
        raise ValidationError(
            {
                "new_date": f"一次延期最多延长 {longest} 天,即不晚于 {latest:%Y-%m-%d};"
                "需要更长时间的,请到期前再次申请并说明理由。"
            }
        )
    if assignment.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ValidationError("已有一份延期申请在审批中。")
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请写明延期理由。"})
    extension = Extension.objects.create(
        assignment=assignment,
        old_date=assignment.due_date,
        requested_date=new_date,
        reason=reason.strip(),
        requested_by=user,
    )
    _event(
        assignment, Action.EXTENSION_REQUEST, user, f"申请延至 {new_date:%Y-%m-%d}:{reason.strip()}"
    )
    audit.record(
        action="create",
        obj=extension,
        after={"requested_date": new_date.isoformat(), "reason": reason},
    )
    notify.to_supervisors(
        assignment, "extension_request", f"{assignment.unit}申请延期至{new_date:%Y-%m-%d}", reason
    )
    return extension


@transaction.atomic
def extension_decide(
    *, extension: Extension, approve: bool, comment: str = "", user=None
) -> Extension:
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(extension.assignment, user)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != Extension.Status.PENDING:
        raise ValidationError("该延期申请已经审批。")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不批准时请写明理由。"})
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by, extension.decided_at = user, timezone.now()
    extension.decision_comment = comment.strip()
    extension.save()
    if approve:
        assignment.due_date = extension.requested_date
        assignment.save(update_fields=["due_date"])
    _event(
        assignment, Action.EXTENSION_APPROVE if approve else Action.EXTENSION_REFUSE, user, comment
    )
    audit.record(action="action", obj=extension, message=("批准" if approve else "不批准") + "延期")
    notify.to_unit(
        assignment, "extension_decided", f"延期申请{'已批准' if approve else '未批准'}", comment
    )
    return extension


@transaction.atomic
def completion_request(*, assignment: Assignment, note: str, user=None) -> Assignment:
    """办结申请 of a dated task. A standing task is never completed: its periods close instead."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.SIGNED, message="只有落实中的任务可以申请办结。")
    if assignment.task.is_standing:
        raise ValidationError("长期坚持的任务不办结,每个报告期的报告通过即视为该期完成。")
    if not note.strip():
        raise ValidationError({"note": "请简要说明完成情况。"})
    assignment.status = Assignment.Status.COMPLETION
    assignment.completion_note = note.strip()
    assignment.save(update_fields=["status", "completion_note"])
    _event(assignment, Action.COMPLETION_REQUEST, user, note.strip())
    audit.record(action="action", obj=assignment, message="申请办结")
    notify.to_supervisors(assignment, "completion_request", f"{assignment.unit}申请办结", note)
    return assignment


@transaction.atomic
def completion_confirm(
    *, assignment: Assignment, approve: bool, comment: str = "", user=None
) -> Assignment:
    """销号: the supervisor confirms completion, or sends the task back to work."""
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.COMPLETION, message="该任务没有待确认的办结申请。")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不予办结时请写明理由。"})
    if approve:
        assignment.status = Assignment.Status.COMPLETED
        assignment.completed_at = timezone.now()
    else:
        assignment.status = Assignment.Status.SIGNED
    assignment.save(update_fields=["status", "completed_at"])
    _event(
        assignment,
        Action.COMPLETION_CONFIRM if approve else Action.COMPLETION_REFUSE,
        user,
        comment,
    )
    audit.record(
        action="action", obj=assignment, message="确认办结" if approve else f"不予办结:{comment}"
    )
    notify.to_unit(
        assignment, "completion_decided", "任务已办结销号" if approve else "办结申请未通过", comment
    )
    return assignment
