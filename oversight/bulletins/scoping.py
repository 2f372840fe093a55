"""Who sees bulletins and evaluations."""

from __future__ import annotations

from django.db.models import Q

from oversight.core.roles import Role
from oversight.workplans.models import Plan
from oversight.workplans.scoping import plan_scope


def plan_child_scope(user, action: str) -> Q | None:
    """Bulletins and evaluations: the supervisor all; leaders read; units read what is published
    for a plan they are on (their own rows are highlighted on the page)."""
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if action != "view":
        return None
    if Role.LEADER in roles:
        return Q(status="published")
    plans = plan_scope(user, "view", "pk")
    if plans is None:
        return None
    return Q(status="published", plan__in=Plan.objects.filter(plans).values("pk"))
