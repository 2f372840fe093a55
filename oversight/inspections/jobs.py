"""Chase draw results not published within the limit."""

import datetime

from django.utils import timezone

from oversight.core.calendar import add_workdays, is_workday
from oversight.core.notifications import Message, notify
from oversight.core.rules import rule_value
from oversight.core.scheduler import periodic
from oversight.enforcement.selectors import unit_users

from .models import Draw
from .services import draw_publication_due


def draws_to_chase(today: datetime.date) -> list[tuple[Draw, datetime.date]]:
    """Draws not yet published whose 20-working-day window (from the first result) ends within
    the warning period or passed."""
    warn = rule_value("cases.warning_workdays")
    found = []
    drawn = Draw.objects.filter(status=Draw.Status.DRAWN).select_related("unit")
    for draw in drawn.prefetch_related("targets"):
        due = draw_publication_due(draw)
        if due is not None and today >= add_workdays(due, -warn):
            found.append((draw, due))
    return found


@periodic("inspections.draw_publication", title="抽查结果公示提醒", at=datetime.time(8, 40))
def draw_publication() -> str:
    today = timezone.localdate()
    if not is_workday(today):
        return "非工作日"
    sent = 0
    for draw, due in draws_to_chase(today):
        late = today > due
        message = Message(
            key=f"draw-publish:{draw.pk}:{'late' if late else 'soon'}",
            title=f"{draw.title}{'已超过' if late else '即将到达'}结果公示期限({due:%Y-%m-%d})",
            body="双随机抽查结果应在检查结果形成后 20 个工作日内公示;请录入各户结果后点击“公示结果”。",
            url=draw.get_absolute_url(),
            urgent=late,
        )
        sent += len(notify(unit_users([draw.unit_id]), message))
    return f"抽查公示提醒 {sent} 条"
