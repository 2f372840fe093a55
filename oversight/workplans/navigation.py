from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.querysets import count_rows
from oversight.core.roles import Role, has_capability

from .models import Assignment, Plan, Report, SupervisionLetter
from .selectors import assignment_rows, light_counts, plan_list

register(
    MenuGroup(
        "工作计划",
        10,
        [
            MenuItem("我的任务", "workplans:workspace", "plans.workspace", "bi-inbox"),
            MenuItem("工作计划", "workplans:plan_list", "plans.view", "bi-list-check"),
            MenuItem("工作台账", "workplans:assignment_list", "plans.view", "bi-table"),
            MenuItem("督办函", "workplans:letter_list", "plans.manage", "bi-envelope-exclamation"),
            MenuItem("提醒规则", "workplans:notification_rule_list", "plans.manage", "bi-alarm"),
        ],
    )
)


@panel
def plans_panel(user):
    if not has_capability(user, "plans.view"):
        return None
    plans = list(plan_list(user=user, standing=False)[:5])
    if not plans:
        return Panel(
            "工作计划",
            order=5,
            note="还没有工作计划。"
            + ("请在“通知导入”中导入通知。" if has_capability(user, "notices.import") else ""),
        )
    today = timezone.localdate()
    own_only = user.role_codes & {Role.REPORTER, Role.UNIT_HEAD} and not user.role_codes & {
        Role.SUPERVISOR,
        Role.LEADER,
    }
    qs = (
        assignment_rows(user=user, today=today, unit_ids=user.scope_unit_ids, action="change")
        if own_only
        else assignment_rows(user=user, today=today)
    )
    counts = light_counts(qs, issued=Count("status", filter=Q(status=Assignment.Status.ISSUED)))
    ledger = reverse("workplans:assignment_list")
    figures = [
        Figure("红灯", counts["red"], f"{ledger}?light=red", "danger"),
        Figure("黄灯", counts["yellow"], f"{ledger}?light=yellow", "warning"),
        Figure("绿灯", counts["green"], f"{ledger}?light=green", "success"),
    ]
    if Role.SUPERVISOR in user.role_codes:
        found = count_rows(
            waiting=Report.objects.restrict(user, "view").filter(status=Report.Status.SUBMITTED),
            letters=SupervisionLetter.objects.restrict(user, "view").filter(
                status=SupervisionLetter.Status.PROPOSED
            ),
        )
        waiting, letters = found["waiting"], found["letters"]
        figures += [
            Figure("待审核报告", waiting, f"{ledger}", "primary"),
            Figure(
                "建议督办",
                letters,
                reverse("workplans:letter_list"),
                "danger" if letters else "secondary",
            ),
        ]
    if Role.REPORTER in user.role_codes or Role.UNIT_HEAD in user.role_codes:
        figures.append(
            Figure(
                "待签收",
                counts["issued"],
                reverse("workplans:workspace"),
                "primary",
            )
        )
    return Panel(
        "工作计划落实",
        order=5,
        figures=figures,
        rows=[
            (p.title, f"{p.task_count} 项任务 · {p.get_status_display()}", p.get_absolute_url())
            for p in plans
        ],
        note="" if any(p.status != Plan.Status.CONFIRMED for p in plans) else "计划尚未下发。",
    )
