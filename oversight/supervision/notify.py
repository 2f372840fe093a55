"""Telling a unit about a supervision document: an in-platform notice to its reporters and heads,
and a post to its group robot once the transaction that issued it has committed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from oversight.core.notifications import Message, notify
from oversight.core.roles import Role


def unit_users(unit):
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, role_rows__role__in=[Role.REPORTER, Role.UNIT_HEAD])
        .filter(Q(primary_unit=unit) | Q(units=unit))
        .distinct()
    )


def tell_unit(unit, *, key: str, title: str, body: str, url: str, urgent: bool = False) -> int:
    from oversight.organisations.services import notify_robots

    created = notify(
        unit_users(unit), Message(key=key, title=title, body=body, url=url, urgent=urgent)
    )
    if created:
        notify_robots([unit.pk], title, body, url, key=key)  # posted once this commits
    return len(created)
