"""Daily: remind units of files to upload and reviewers of sheets to submit; lock results nobody
objected to within the limit."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from oversight.core.calendar import is_workday
from oversight.core.notifications import Message, notify
from oversight.core.scheduler import periodic
from oversight.supervision.jobs import supervisors
from oversight.supervision.models import warn_days
from oversight.supervision.notify import unit_users

from .models import ReviewFile, ReviewRound, ScoreSheet
from .services import lock_expired


def remind(today: datetime.date) -> int:
    sent = 0
    awaiting = ReviewFile.objects.filter(
        status=ReviewFile.Status.AWAITING,
        round__status__in=[ReviewRound.Status.DRAWN, ReviewRound.Status.SCORING],
        round__upload_due__isnull=False,
        round__upload_due__lte=today + datetime.timedelta(days=warn_days()),
    ).select_related("round", "unit", "case")
    for review_file in awaiting:
        late = review_file.round.upload_due < today
        message = Message(
            key=f"review-upload:{review_file.pk}:{'late' if late else 'soon'}",
            title=f"请上传评查案卷 {review_file.case.number}({'已超过' if late else '截止'} {review_file.round.upload_due:%Y-%m-%d})",
            body=f"{review_file.round}抽中贵单位的案卷,请上传扫描件(PDF)或业务系统链接。",
            url=review_file.get_absolute_url(),
            urgent=late,
        )
        sent += len(notify(unit_users(review_file.unit), message))
    pending = (
        ScoreSheet.objects.filter(submitted_at=None)
        .filter(Q(file__status=ReviewFile.Status.SCORING) | Q(role=ScoreSheet.Role.THIRD))
        .select_related("file__case", "reviewer__user")
    )
    for sheet in pending:
        message = Message(
            key=f"review-sheet:{sheet.pk}",
            title=f"待评查案卷:{sheet.file.case.number}",
            body="请阅卷并独立评分,逐条确认平台预检建议,签名后提交。",
            url=sheet.file.get_absolute_url(),
        )
        sent += len(notify([sheet.reviewer.user], message))
    objected = ReviewFile.objects.filter(
        status=ReviewFile.Status.OBJECTED,
        answer_due__lte=today + datetime.timedelta(days=warn_days()),
    ).select_related("case", "unit")
    for review_file in objected:
        late = review_file.answer_due < today
        message = Message(
            key=f"review-objection:{review_file.pk}:{'late' if late else 'soon'}",
            title=f"{review_file.unit.short_name}对评查结果({review_file.case.number})的异议{'已超过' if late else '临近'}答复期限 {review_file.answer_due:%Y-%m-%d}",
            body=review_file.objection[:120],
            url=review_file.get_absolute_url(),
            urgent=late,
        )
        sent += len(notify(supervisors(), message))
    return sent


@periodic("reviews.daily", title="案卷评查提醒与结果确定", at=datetime.time(8, 50))
def daily() -> str:
    today = timezone.localdate()
    locked = lock_expired(today)
    if not is_workday(today):
        return f"确定评查结果 {locked} 份"
    return f"评查提醒 {remind(today)} 条,确定评查结果 {locked} 份"
