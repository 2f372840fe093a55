"""Draft each scheduled bulletin on its working day."""

import datetime

from django.utils import timezone

from oversight.core.scheduler import periodic

from .services import bulletin_schedule_run


@periodic("bulletins.bulletin_schedules", title="定期通报草稿生成", at=datetime.time(7, 30))
def bulletin_schedules() -> str:
    created = bulletin_schedule_run(today=timezone.localdate())
    return "生成通报草稿:" + ("、".join(b.title for b in created) or "无")
