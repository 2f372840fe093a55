"""The navigation: apps declare their menu in `navigation.py`; each user sees what their roles may use."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe

from .home import Figure, Panel, panel
from .roles import has_capability


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    capability: str
    icon: str = "bi-dot"


@dataclass(frozen=True)
class MenuGroup:
    label: str
    order: int
    items: list[MenuItem] = field(default_factory=list)


MENU: list[MenuGroup] = []
_discovered = False


def register(group: MenuGroup) -> None:
    MENU.append(group)


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("navigation")
        _discovered = True


def _groups() -> list[tuple[str, list[tuple[MenuItem, str]]]]:
    """The menu's groups in order with each item's address; worked out once per script prefix
    (the addresses do not change while the process runs), not on every page."""
    discover()
    prefix = get_script_prefix()
    cached = _resolved.get(prefix)
    if cached is None or cached[0] != len(MENU):
        # Apps may add items to the same group; groups are merged by label.
        merged: dict[str, tuple[int, list[MenuItem]]] = {}
        for group in MENU:
            order, items = merged.get(group.label, (group.order, []))
            merged[group.label] = (min(order, group.order), items + group.items)
        groups = [
            (label, [(i, reverse(i.url_name)) for i in items])
            for label, (_, items) in sorted(merged.items(), key=lambda kv: kv[1][0])
        ]
        cached = _resolved[prefix] = (len(MENU), groups)
    return cached[1]


_resolved: dict[str, tuple[int, list]] = {}


def menu_for(user) -> list[dict]:
    result = []
    for label, items in _groups():
        visible = [
            {"label": i.label, "url": url, "icon": i.icon}
            for i, url in items
            if has_capability(user, i.capability)
        ]
        if visible:
            result.append({"label": label, "items": visible})
    return result


def shows_menu(user) -> bool:
    """The menu is for signed-in users who may use the platform (not before a required
    password change)."""
    return bool(user and user.is_authenticated and not user.must_change_password)


def sidebar_links(user, path: str) -> SafeString:
    """The sidebar's groups and links for the user's roles, the link to `path` marked active.

    The markup is made once per set of roles (what `menu_for` shows depends on them alone) and
    script prefix, not from a template loop on every page: a supervisor's thirty links cost about
    a millisecond a page that way."""
    key = (get_script_prefix(), len(MENU), user.role_codes)
    parts = _sidebars.get(key)
    if parts is None:
        parts = _sidebars[key] = _sidebar_parts(menu_for(user))
    return mark_safe("".join(active if url == path else markup for url, markup, active in parts))


def _sidebar_parts(menu: list[dict]) -> list[tuple[str | None, str, str]]:
    """(address, markup, markup when it is the current page) for each heading and link."""
    link = '<a class="nav-link {}" href="{}"><i class="bi {} me-2"></i>{}</a>'
    parts = []
    for group in menu:
        heading = str(format_html('<div class="sidebar-heading">{}</div>', group["label"]))
        parts.append((None, heading, heading))
        for item in group["items"]:
            url, icon, label = item["url"], item["icon"], item["label"]
            parts.append(
                (
                    url,
                    str(format_html(link, "", url, icon, label)),
                    str(format_html(link, "active", url, icon, label)),
                )
            )
    return parts


_sidebars: dict[tuple, list] = {}


register(
    MenuGroup(
        "系统管理",
        90,
        [
            MenuItem("工作日历", "core:calendar", "calendar.manage", "bi-calendar3"),
            MenuItem("定时任务", "core:jobs", "system.jobs", "bi-clock-history"),
            MenuItem("审计日志", "core:audit_list", "audit.view", "bi-journal-text"),
        ],
    )
)


@panel
def kernel_panel(user):
    from django.utils import timezone

    from .calendar import year_is_known
    from .models import AuditEntry, ScheduledJob

    if has_capability(user, "audit.view"):
        today = timezone.localdate()
        return Panel(
            "审计",
            order=10,
            figures=[
                Figure(
                    "今日审计记录",
                    AuditEntry.objects.filter(time__date=today).count(),
                    reverse("core:audit_list"),
                ),
                Figure(
                    "审计记录总数",
                    AuditEntry.objects.count(),
                    reverse("core:audit_list"),
                    "secondary",
                ),
            ],
        )
    if has_capability(user, "calendar.manage"):
        year = timezone.localdate().year
        missing = [y for y in (year, year + 1) if not year_is_known(y)]
        failed = ScheduledJob.objects.filter(last_ok=False).count()
        return Panel(
            "系统运行",
            order=10,
            figures=[
                Figure("定时任务", ScheduledJob.objects.count(), reverse("core:jobs")),
                Figure(
                    "上次运行失败", failed, reverse("core:jobs"), "danger" if failed else "success"
                ),
            ],
            note=(
                f"{'、'.join(map(str, missing))} 年的节假日安排尚未录入,工作日暂按周一至周五并扣除法定节日估算(调休未知),请在“工作日历”中维护。"
                if missing
                else ""
            ),
        )
    return None


@panel
def estimated_calendar_panel(user):
    """The supervisor is told too when deadlines of this or next year rest on an estimated
    calendar (法定节日 known, 调休 not yet published)."""
    from django.utils import timezone

    from .calendar import year_is_known
    from .roles import Role

    if Role.SUPERVISOR not in user.role_codes:
        return None
    year = timezone.localdate().year
    missing = [y for y in (year, year + 1) if not year_is_known(y)]
    if not missing:
        return None
    return Panel(
        "工作日历",
        order=90,
        figures=[],
        note=(
            f"{'、'.join(map(str, missing))} 年的放假安排尚未公布:落在该年度的法定期限按法定节日估算,"
            "不含调休,可能与正式安排相差几天;国务院公布后由系统管理员更新工作日历,平台会自动重新计算。"
        ),
    )
