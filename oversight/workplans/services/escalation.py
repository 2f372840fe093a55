"""Escalation: proposed, issued and dismissed supervision letters (督办函)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.numbering import next_number

from .. import notify
from ..models import (
    Assignment,
    SupervisionLetter,
)
from .common import Action, _event, _today, require_supervisor


@transaction.atomic
def letter_propose(
    *, assignment: Assignment, due_date: datetime.date, overdue: int
) -> SupervisionLetter | None:
    """After long overdue, the scheduler proposes a 督办函 to the supervisor (once per obligation)."""
    letter, created = SupervisionLetter.objects.get_or_create(
        assignment=assignment, due_date=due_date
    )
    if not created:
        return None
    audit.record(
        action="create",
        obj=letter,
        after={"due_date": due_date.isoformat(), "overdue_workdays": overdue},
        message="逾期未完成,系统建议发督办函",
    )
    _event(assignment, Action.LETTER_PROPOSED, None, f"逾期 {overdue} 个工作日,建议发督办函")
    notify.to_supervisors(
        assignment,
        "letter_proposed",
        f"建议向{assignment.unit}发督办函",
        f"{assignment.task.number} {assignment.task.title}:截止 {due_date:%Y-%m-%d},已逾期 {overdue} 个工作日。",
        urgent=True,
    )
    return letter


@transaction.atomic
def letter_dismiss(*, letter: SupervisionLetter, user) -> SupervisionLetter:
    """The supervisor decides not to send a proposed 督办函."""
    require_supervisor(user)
    letter = SupervisionLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != SupervisionLetter.Status.PROPOSED:
        raise ValidationError("该督办函已处理。")
    letter.status = SupervisionLetter.Status.DISMISSED
    letter.save(update_fields=["status"])
    audit.record(
        action="action",
        obj=letter,
        before={"status": SupervisionLetter.Status.PROPOSED},
        after={"status": letter.status},
        message="决定不发督办函",
    )
    return letter


@transaction.atomic
def letter_issue(
    *, letter: SupervisionLetter, level: str, content: str, reply_due: datetime.date, user=None
) -> SupervisionLetter:
    """签发督办函: numbered 陆司督〔year〕N号 without gaps; the unit is told at once."""
    require_actor(user)
    require_supervisor(user)
    letter = (
        SupervisionLetter.objects.select_for_update()
        .select_related("assignment__unit", "assignment__task")
        .get(pk=letter.pk)
    )
    if letter.status != SupervisionLetter.Status.PROPOSED:
        raise ValidationError("该督办函已处理。")
    if level not in SupervisionLetter.Level.values:
        raise ValidationError({"level": "请选择督办等级。"})
    if not content.strip():
        raise ValidationError({"content": "请填写督办内容。"})
    if reply_due <= _today():
        raise ValidationError({"reply_due": "回复期限应晚于今天。"})
    now = timezone.now()
    letter.number = next_number(kind="督办函", year=timezone.localdate(now).year, prefix="陆司督")
    letter.level, letter.content, letter.reply_due = level, content.strip(), reply_due
    letter.status = SupervisionLetter.Status.ISSUED
    letter.issued_by, letter.issued_at = user, now
    letter.save()
    _event(
        letter.assignment,
        Action.LETTER_ISSUED,
        user,
        f"{letter.number}({letter.get_level_display()})",
    )
    audit.record(action="action", obj=letter, message=f"签发督办函 {letter.number}")
    notify.to_unit(
        letter.assignment,
        "letter_issued",
        f"督办函 {letter.number}",
        f"{content.strip()}\n请于 {reply_due:%Y-%m-%d} 前回复。",
        urgent=True,
    )
    return letter
