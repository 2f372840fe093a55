"""Periodic housekeeping of the kernel."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from .calendar import calendar_seed_from_package
from .notifications import send_digests
from .scheduler import periodic


@periodic("core.clear_expired_sessions", every=datetime.timedelta(hours=6))
def clear_expired_sessions() -> str:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"清理过期会话 {deleted} 个"


@periodic("core.calendar_from_package", every=datetime.timedelta(days=1))
def calendar_from_package() -> str:
    # A newer chinese-calendar release brings next year's arrangement; years kept by hand stay.
    loaded = calendar_seed_from_package()
    return "导入年度:" + (", ".join(map(str, loaded)) or "无")


@periodic("core.daily_digest", at=datetime.time(8, 0))
def daily_digest() -> str:
    # Non-urgent notices of the last day, one email per person, each morning.
    return f"发送每日汇总 {send_digests()} 封"
