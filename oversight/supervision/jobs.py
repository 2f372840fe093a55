"""Daily reminders: clues near or past their limit (the bureau, and the unit for a transferred
clue), documents near or past their reply limit (the unit) and unanswered or failed documents the
bureau should escalate. Each reminder is sent once per clue or document and state."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from oversight.core.calendar import is_workday
from oversight.core.notifications import Message, notify
from oversight.core.roles import Role
from oversight.core.scheduler import periodic

from .models import ESCALATION, Clue, Document, Problem, warn_days
from .notify import unit_users
from .selectors import light_q, with_next_due


def supervisors():
    return get_user_model().objects.filter(is_active=True, role_rows__role=Role.SUPERVISOR)


def remind(today: datetime.date) -> int:
    sent = 0
    clues = with_next_due(Clue.objects.select_related("unit")).filter(
        light_q("red", today) | light_q("yellow", today)
    )
    for clue in clues:
        late = clue.due < today
        state = f"{clue.status}:{'late' if late else 'soon'}:{clue.due:%Y%m%d}"
        stage = clue.get_status_display()
        message = Message(
            key=f"clue:{clue.pk}:{state}",
            title=f"问题线索 {clue.number}({stage}){'已超过' if late else '临近'}期限 {clue.due:%Y-%m-%d}",
            body=clue.matter[:120],
            url=clue.get_absolute_url(),
            urgent=late,
        )
        sent += len(notify(supervisors(), message))
        if clue.status == Clue.Status.TRANSFERRED and clue.unit_id:
            sent += len(notify(unit_users(clue.unit), message))
    warn = today + datetime.timedelta(days=warn_days())
    documents = Document.objects.filter(
        status__in=[Document.Status.ISSUED, Document.Status.RETURNED], reply_due__lte=warn
    ).select_related("unit")
    for document in documents:
        late = document.reply_due < today
        message = Message(
            key=f"supervision-document:{document.pk}:{document.status}:{'late' if late else 'soon'}",
            title=f"{document}{'已超过' if late else '临近'}回复期限 {document.reply_due:%Y-%m-%d}",
            body="请按文书要求整改并在平台上回复,附佐证材料。",
            url=document.get_absolute_url(),
            urgent=late,
        )
        sent += len(notify(unit_users(document.unit), message))
    # The written explanation (说明情况) is due before the rectification.
    unexplained = Document.objects.filter(
        status=Document.Status.ISSUED,
        explain_due__isnull=False,
        explain_due__lte=warn,
        explain_due__gte=today - datetime.timedelta(days=1),
    ).select_related("unit")
    for document in unexplained:
        message = Message(
            key=f"supervision-document:{document.pk}:explain",
            title=f"{document}应于 {document.explain_due:%Y-%m-%d} 前书面说明情况",
            body="请在文书页面回复说明情况;整改完成后再报送整改情况。",
            url=document.get_absolute_url(),
        )
        sent += len(notify(unit_users(document.unit), message))
    # Requests for review (复查) the bureau has to answer.
    reviews = Document.objects.filter(
        review_requested_on__isnull=False, review_result="", review_due__lte=warn
    ).select_related("unit")
    for document in reviews:
        late = document.review_due < today
        message = Message(
            key=f"supervision-review:{document.pk}:{'late' if late else 'soon'}",
            title=f"{document.unit.short_name}对{document}的复查申请{'已超过' if late else '临近'}答复期限 {document.review_due:%Y-%m-%d}",
            body=document.review_reason[:120],
            url=document.get_absolute_url(),
            urgent=late,
        )
        sent += len(notify(supervisors(), message))
    # Special rectification: the unit before and after a problem's deadline; the bureau for 销号.
    problems = Problem.objects.filter(
        status__in=[Problem.Status.OPEN, Problem.Status.RETURNED], deadline__lte=warn
    ).select_related("unit", "campaign")
    for problem in problems:
        late = problem.deadline < today
        message = Message(
            key=f"rectification:{problem.pk}:{problem.status}:{'late' if late else 'soon'}",
            title=f"{problem.campaign}:整改{'已超过' if late else '临近'}时限 {problem.deadline:%Y-%m-%d}",
            body=problem.description[:120],
            url=problem.get_absolute_url(),
            urgent=late,
        )
        sent += len(notify(unit_users(problem.unit), message))
    for problem in Problem.objects.filter(status=Problem.Status.SUBMITTED).select_related(
        "unit", "campaign"
    ):
        message = Message(
            key=f"rectification:{problem.pk}:submitted:{problem.submitted_on:%Y%m%d}",
            title=f"{problem.unit.short_name}报送整改情况,待销号:{problem.description[:20]}",
            url=problem.get_absolute_url(),
        )
        sent += len(notify(supervisors(), message))
    escalate = Document.objects.filter(kind__in=list(ESCALATION)).filter(
        Q(status=Document.Status.RETURNED) | Q(status=Document.Status.ISSUED, reply_due__lt=today)
    )
    for document in escalate.select_related("unit"):
        message = Message(
            key=f"supervision-escalate:{document.pk}:{document.status}:{document.returns}",
            title=f"建议升级处理:{document}({document.unit.short_name})",
            body="单位逾期未回复或整改未通过,平台建议按监督文书的程序升级处理,请研究决定。",
            url=document.get_absolute_url(),
        )
        sent += len(notify(supervisors(), message))
    return sent


@periodic("supervision.reminders", title="监督事项与线索办理提醒", at=datetime.time(8, 45))
def reminders() -> str:
    today = timezone.localdate()
    if not is_workday(today):
        return "非工作日"
    from .services import expire_terms

    ended = expire_terms(today)
    return f"监督提醒 {remind(today)} 条" + (f",{ended} 名特邀监督员任期届满" if ended else "")
