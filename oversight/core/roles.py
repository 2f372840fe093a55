"""Roles and capabilities.

Role codes live in the kernel so every app can scope by them without importing the accounts app.
Capabilities gate whole pages (a role without one gets 403); which rows a page shows is decided by
`restrict(user, action)` on the model (404 outside scope). Apps grant their capabilities in their
`permissions.py`, loaded at start-up. The three separated administrators (三员分立) hold no
business capability.
"""

from django.db import models


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", "监督机构"
    REPORTER = "reporter", "单位填报员"
    UNIT_HEAD = "unit_head", "单位负责人"
    LEADER = "leader", "区领导"
    OFFICER = "officer", "执法人员"
    SPECIAL_SUPERVISOR = "special_supervisor", "特邀监督员"
    # A sub-district 司法所 (under 区司法局) reading its 街办's enforcement (条例 第6条).
    JUSTICE_OFFICE = "justice_office", "司法所"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计员"


ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
UNIT_ROLES = frozenset({Role.REPORTER, Role.UNIT_HEAD, Role.OFFICER})

CAPABILITIES: dict[str, frozenset[str]] = {}


def grant(capability: str, roles: set[str] | frozenset[str]) -> None:
    CAPABILITIES[capability] = frozenset(roles)


grant("audit.view", {Role.AUDITOR})
grant("calendar.manage", {Role.SYSADMIN})
grant("system.jobs", {Role.SYSADMIN})
grant("notifications.view", set(Role.values))


def has_capability(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.role_codes & CAPABILITIES.get(capability, frozenset()))
