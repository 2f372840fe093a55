"""Who sees and changes which plans, tasks and assignments (the models' `scope_q` call these).

The models are imported inside the functions: models.py imports this module.
"""

from __future__ import annotations

from django.db.models import Q

from oversight.core.roles import UNIT_ROLES, Role


def unit_tasks_q(user) -> Q | None:
    """Tasks naming one of the user's units, directly or through a unit group it belongs to."""
    from oversight.organisations.selectors import groups_containing

    from .models import Assignment, TaskUnit

    if not user.role_codes & UNIT_ROLES or not user.scope_unit_ids:
        return None
    ids = user.scope_unit_ids
    named = TaskUnit.objects.filter(Q(unit__in=ids) | Q(group__in=groups_containing(ids)))
    assigned = Assignment.objects.filter(unit__in=ids)
    return Q(pk__in=named.values("task_id")) | Q(pk__in=assigned.values("task_id"))


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
    if not roles & UNIT_ROLES or not user.scope_unit_ids:
        return None
    prefix = f"{path}__" if path else ""
    own = Q(**{f"{prefix}unit__in": user.scope_unit_ids})
    if action != "view":
        return own
    from .models import Assignment

    led = Assignment.objects.filter(unit__in=user.scope_unit_ids, is_lead=True).values("task_id")
    return own | Q(**{f"{prefix}task__in": led})
