"""Periodic housekeeping of the kernel."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from .calendar import calendar_seed_from_package
from .notifications import send_digests
from .scheduler import periodic, prune_runs


@periodic("core.clear_expired_sessions", title="清理过期会话", every=datetime.timedelta(hours=6))
def clear_expired_sessions() -> str:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"清理过期会话 {deleted} 个"


@periodic("core.calendar_from_package", title="更新节假日安排", every=datetime.timedelta(days=1))
def calendar_from_package() -> str:
    # A newer chinese-calendar release brings next year's arrangement; years kept by hand stay.
    loaded = calendar_seed_from_package()
    return "导入年度:" + (", ".join(map(str, loaded)) or "无")


@periodic("core.daily_digest", title="每日消息汇总邮件", at=datetime.time(8, 0))
def daily_digest() -> str:
    # Non-urgent notices of the last day, one email per person, each morning.
    return f"发送每日汇总 {send_digests()} 封"


@periodic(
    "core.clear_pending_imports", title="清理未确认的导入文件", every=datetime.timedelta(hours=6)
)
def clear_pending_imports() -> str:
    # Files uploaded for an import preview and never confirmed: kept a day, then removed.
    from django.core.files.storage import default_storage

    cutoff = timezone.now() - datetime.timedelta(days=1)
    removed = 0
    if default_storage.exists("imports"):
        folders, _ = default_storage.listdir("imports")
        for folder in folders:
            for name in default_storage.listdir(f"imports/{folder}")[1]:
                path = f"imports/{folder}/{name}"
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed += 1
    return f"清理未确认的导入文件 {removed} 个"


@periodic(
    "core.prune_scheduler_runs", title="清理定时任务运行记录", every=datetime.timedelta(days=1)
)
def prune_scheduler_runs() -> str:
    # The run history of periodic jobs is kept SCHEDULER_HISTORY_DAYS days.
    return f"清理定时任务运行记录 {prune_runs()} 条"
