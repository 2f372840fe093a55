"""Who sees and changes which cases: the acts' policy of the kernel (core.querysets)."""

from __future__ import annotations

from django.db.models import Q

from oversight.core.querysets import act_scope_q, sees_own_acts_only


def act_scope(user, action: str, path: str = "unit") -> Q | None:
    return act_scope_q(user, action, path=path)


def tally_scope(user, action: str) -> Q | None:
    """The per-unit counts of lit cases and findings: read by whoever reads the units' cases and
    findings. An officer who reads only the acts they took part in reads no unit's counts (nor any
    finding: `Finding.scope_q`)."""
    if sees_own_acts_only(user):
        return None
    return act_scope(user, action, path="unit")
