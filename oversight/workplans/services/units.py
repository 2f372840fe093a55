"""The unit's side: signing, handing back, breaking a task down into measures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor

from .. import notify
from ..models import (
    Assignment,
    Measure,
)
from .common import Action, _event, _lock, _require_unit_role, _status, require_supervisor


@transaction.atomic
def assignment_sign(*, assignment: Assignment, user=None) -> Assignment:
    """签收: the unit acknowledges the assignment; reporting obligations run from issuing."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.ISSUED, message="该任务已签收或已在办理中,无需重复签收。")
    assignment.status = Assignment.Status.SIGNED
    assignment.signed_at = timezone.now()
    assignment.signed_by = user
    assignment.save(update_fields=["status", "signed_at", "signed_by"])
    _event(assignment, Action.SIGN, user)
    audit.record(action="action", obj=assignment, message="签收任务")
    return assignment


@transaction.atomic
def assignments_sign(*, assignments: list[Assignment], user=None) -> list[Assignment]:
    """签收 several assignments at once: each exactly as if signed alone (its own check, event and
    audit entry); all or none, so a refused one signs nothing and says which it is."""
    require_actor(user)
    if not assignments:
        raise ValidationError("请勾选要签收的任务。")
    signed = []
    for assignment in assignments:
        try:
            signed.append(assignment_sign(assignment=assignment, user=user))
        except ValidationError as exc:
            raise ValidationError(
                f"任务 {assignment.task.number}:{'；'.join(exc.messages)} 本次未签收任何任务。"
            ) from exc
    return signed


@transaction.atomic
def assignment_hand_back_request(*, assignment: Assignment, reason: str, user=None) -> Assignment:
    """Ask to hand the assignment back (e.g. 职能不符), with a reason; the supervisor decides."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(
        assignment,
        Assignment.Status.ISSUED,
        Assignment.Status.SIGNED,
        message="只有待签收或落实中的任务可以申请退回。",
    )
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请写明申请退回的理由,如“职能不符”并说明依据。"})
    assignment.hand_back_reason = reason.strip()
    assignment.status = Assignment.Status.HAND_BACK
    assignment.save(update_fields=["hand_back_reason", "status"])
    _event(assignment, Action.HAND_BACK_REQUEST, user, reason.strip())
    audit.record(action="action", obj=assignment, message=f"申请退回:{reason.strip()}")
    notify.to_supervisors(
        assignment, "hand_back_request", f"{assignment.unit}申请退回任务", reason.strip()
    )
    return assignment


@transaction.atomic
def assignment_hand_back_decide(
    *, assignment: Assignment, approve: bool, comment: str = "", user=None
) -> Assignment:
    """审定: the supervisor agrees (the assignment leaves the unit) or refuses (it stays)."""
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.HAND_BACK, message="该任务没有待审定的退回申请。")
    if approve:
        assignment.status = Assignment.Status.HANDED_BACK
    else:
        if not comment.strip():
            raise ValidationError({"comment": "不同意退回时请写明理由。"})
        assignment.status = (
            Assignment.Status.SIGNED if assignment.signed_at else Assignment.Status.ISSUED
        )
    assignment.save(update_fields=["status"])
    _event(
        assignment, Action.HAND_BACK_APPROVE if approve else Action.HAND_BACK_REFUSE, user, comment
    )
    audit.record(
        action="action",
        obj=assignment,
        message=("同意" if approve else "不同意") + f"退回:{comment}",
    )
    notify.to_unit(
        assignment, "hand_back_decided", f"退回申请{'已同意' if approve else '未同意'}", comment
    )
    return assignment


@transaction.atomic
def assignment_breakdown(
    *, assignment: Assignment, measures: list[dict[str, Any]], user=None
) -> list[Measure]:
    """量化分解: replace the unit's measures (content, person, date, expected evidence)."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(
        assignment,
        Assignment.Status.SIGNED,
        Assignment.Status.COMPLETION,
        message="请先签收任务,再进行量化分解。",
    )
    errors = []
    for number, m in enumerate(measures, start=1):
        if not (m.get("content") or "").strip():
            errors.append(f"第 {number} 条措施:请填写具体措施。")
        if not (m.get("responsible_person") or "").strip():
            errors.append(f"第 {number} 条措施:请填写责任人。")
        if not m.get("planned_date"):
            errors.append(f"第 {number} 条措施:请填写时间节点。")
        elif assignment.due_date and m["planned_date"] > assignment.due_date:
            errors.append(
                f"第 {number} 条措施:时间节点不能晚于完成时限 {assignment.due_date:%Y-%m-%d}。"
            )
    if not measures:
        errors.append("至少填写一条措施。")
    if errors:
        raise ValidationError(errors)
    assignment.measures.all().delete()
    created = Measure.objects.bulk_create(
        Measure(
            assignment=assignment,
            content=m["content"].strip(),
            responsible_person=m["responsible_person"].strip(),
            planned_date=m["planned_date"],
            expected_evidence=(m.get("expected_evidence") or "").strip(),
            milestone_id=m.get("milestone_id"),
            done=bool(m.get("done")),
            order=i,
        )
        for i, m in enumerate(measures)
    )
    _event(assignment, Action.BREAKDOWN, user, f"{len(created)} 条措施")
    audit.record(action="action", obj=assignment, message=f"量化分解:{len(created)} 条措施")
    return created


def breakdown_prefill(assignment: Assignment) -> list[dict[str, Any]]:
    """The milestones found in the task text, as the first draft of the breakdown."""
    rows = []
    for milestone in assignment.task.milestones.all():
        if milestone.date:
            rows.append(
                {
                    "content": milestone.text,
                    "responsible_person": "",
                    "planned_date": milestone.date,
                    "expected_evidence": "",
                    "milestone_id": milestone.pk,
                }
            )
    if assignment.due_date and not any(r["planned_date"] == assignment.due_date for r in rows):
        rows.append(
            {
                "content": "完成任务并申请办结",
                "responsible_person": "",
                "planned_date": assignment.due_date,
                "expected_evidence": "",
                "milestone_id": None,
            }
        )
    return rows
