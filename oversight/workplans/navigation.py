from django.urls import reverse

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.roles import has_capability

from .models import Task
from .selectors import plan_list

register(
    MenuGroup(
        "工作计划", 10, [MenuItem("工作计划", "workplans:plan_list", "plans.view", "bi-list-check")]
    )
)


@panel
def plans_panel(user):
    if not has_capability(user, "plans.view"):
        return None
    plans = list(plan_list(user=user)[:5])
    if not plans:
        return Panel(
            "工作计划",
            order=5,
            note="还没有工作计划。"
            + ("请在“通知导入”中导入通知。" if has_capability(user, "notices.import") else ""),
        )
    tasks = Task.objects.restrict(user, "view").filter(kind=Task.Kind.TABLE)
    return Panel(
        "工作计划",
        order=5,
        figures=[
            Figure("计划", len(plans), reverse("workplans:plan_list")),
            Figure("任务", tasks.count(), reverse("workplans:plan_list")),
            Figure("长期任务", tasks.filter(is_standing=True).count(), None, "info"),
        ],
        rows=[(p.title, f"{p.task_count} 项任务", p.get_absolute_url()) for p in plans],
    )
