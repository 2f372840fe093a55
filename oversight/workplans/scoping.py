"""Who sees and changes which plans, tasks and assignments (the models' `scope_q` call these).

The models are imported inside the functions: models.py imports this module.
"""

from __future__ import annotations

from django.db.models import Q

from oversight.core.querysets import InRows, either
from oversight.core.roles import UNIT_ROLES, Role


def unit_tasks_q(user) -> Q | None:
    """Tasks naming one of the user's units, directly or through a unit group it belongs to (for a
    司法所: the units of its 街办)."""
    from oversight.organisations.selectors import groups_containing

    from .models import Assignment, TaskUnit

    ids: frozenset[int] = frozenset()
    if user.role_codes & UNIT_ROLES:
        ids |= user.scope_unit_ids
    if Role.JUSTICE_OFFICE in user.role_codes:
        ids |= user.supervised_unit_ids
    if not ids:
        return None
    named = TaskUnit.objects.filter(Q(unit__in=ids) | Q(group__in=groups_containing(ids)))
    assigned = Assignment.objects.filter(unit__in=ids)
    # Two sets of task ids read once each, then looked up by id (an OR of two `IN (subquery)`
    # read every task of every plan).
    return Q(InRows("pk", named.values("task_id"))) | Q(InRows("pk", assigned.values("task_id")))


def plan_scope(user, action: str, path: str) -> Q | None:
    """Plans and what is in them: supervisors all; leaders read all; units the plans they are on."""
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if action != "view":
        return None
    if Role.LEADER in roles:
        return Q()
    tasks = unit_tasks_q(user)
    if tasks is None:
        return None
    if path == "task":
        return tasks
    from .models import Task

    plan_ids = Task.objects.filter(tasks).values("plan_id")
    return Q(**{f"{path}__in": plan_ids})


def assignment_scope(user, action: str, path: str) -> Q | None:
    """Assignments and what hangs off them.

    Supervisors: all. Leaders: read all. A unit: its own assignments (read and act); and, read-only,
    the other assignments of the tasks it leads (the lead unit sees every unit's reports).
    """
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if action == "view" and Role.LEADER in roles:
        return Q()
    prefix = f"{path}__" if path else ""
    unit = _unit_assignments(user.scope_unit_ids, action, prefix) if roles & UNIT_ROLES else None
    # A 司法所 reads what its 街办 reads.
    office = (
        _unit_assignments(user.supervised_unit_ids, "view", prefix)
        if action == "view" and Role.JUSTICE_OFFICE in roles
        else None
    )
    return either(unit, office)


def _unit_assignments(ids: frozenset[int], action: str, prefix: str) -> Q | None:
    if not ids:
        return None
    own = Q(**{f"{prefix}unit__in": ids})
    if action != "view":
        return own
    from .models import Assignment

    led = Assignment.objects.filter(unit__in=ids, is_lead=True).values("task_id")
    # The unit's own rows and every row of the tasks it leads, as two index look-ups: the tasks
    # it leads are read once, then both conditions from their indexes (3 ms at 100,000
    # assignments, where `task IN (led)` under the OR read the table, and a UNION of the two
    # sets of ids 11 ms in each statement that used it).
    return own | InRows(f"{prefix}task", led)
