"""Who sees and changes which cases: the acts' policy of the kernel (core.querysets)."""

from __future__ import annotations

from django.db.models import Q

from oversight.core.querysets import act_scope_q


def act_scope(user, action: str, path: str = "unit") -> Q | None:
    return act_scope_q(user, action, path=path)
