"""Reading plans and tasks, always through the user's scope."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Plan, Task, TaskUnit


def plan_list(*, user) -> QuerySet[Plan]:
    return Plan.objects.restrict(user, "view").annotate(
        task_count=Count("tasks", filter=Q(tasks__kind=Task.Kind.TABLE), distinct=True),
        standing_count=Count(
            "tasks", filter=Q(tasks__kind=Task.Kind.TABLE, tasks__is_standing=True), distinct=True
        ),
    )


def task_list(*, user, plan: Plan | None = None) -> QuerySet[Task]:
    qs = Task.objects.restrict(user, "view").select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("unit", "group")),
        "deadlines",
        "milestones",
    ).order_by("kind", "order")


def tasks_by_section(tasks) -> list[tuple[str, list[tuple[str, list[Task]]]]]:
    parts: list[tuple[str, list[tuple[str, list[Task]]]]] = []
    for task in tasks:
        if not parts or parts[-1][0] != task.part:
            parts.append((task.part, []))
        sections = parts[-1][1]
        if not sections or sections[-1][0] != task.section:
            sections.append((task.section, []))
        sections[-1][1].append(task)
    return parts
