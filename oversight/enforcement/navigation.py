from django.urls import reverse
from django.utils import timezone

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.roles import Role, has_capability

from .selectors import certificate_figures, training_compliance

register(
    MenuGroup(
        "执法主体与人员",
        20,
        [
            MenuItem("概况", "enforcement:dashboard", "enforcement.view", "bi-speedometer2"),
            MenuItem("执法主体", "enforcement:subject_list", "enforcement.view", "bi-bank"),
            MenuItem("执法人员", "enforcement:officer_list", "enforcement.view", "bi-person-badge"),
            MenuItem(
                "执法证件", "enforcement:certificate_list", "enforcement.view", "bi-card-heading"
            ),
            MenuItem("资格清理", "enforcement:cleanup_list", "enforcement.view", "bi-funnel"),
            MenuItem("培训学时", "enforcement:training", "enforcement.view", "bi-mortarboard"),
            MenuItem(
                "培训课程", "enforcement:course_list", "enforcement.view", "bi-journal-bookmark"
            ),
        ],
    )
)


@panel
def enforcement_panel(user):
    if not has_capability(user, "enforcement.view"):
        return None
    today = timezone.localdate()
    figures = certificate_figures(user=user, today=today)
    if not figures.on_duty:
        return None
    units = training_compliance(user=user, year=today.year)
    officers = sum(u.officers for u in units)
    compliant = sum(u.compliant for u in units)
    rate = f"{round(100 * compliant / officers, 1)}%" if officers else "—"
    certs = reverse("enforcement:certificate_list")
    return Panel(
        "执法人员" if user.role_codes & {Role.SUPERVISOR, Role.LEADER} else "本单位执法人员",
        order=30,
        figures=[
            Figure("在岗人员", figures.on_duty, reverse("enforcement:officer_list")),
            Figure(
                "持证率",
                f"{figures.rate}%" if figures.rate is not None else "—",
                f"{reverse('enforcement:officer_list')}?certified=false",
                "success",
            ),
            Figure("90天内到期", figures.expiring_90, f"{certs}?expiring=90", "warning"),
            Figure(f"{today.year}年学时达标", rate, reverse("enforcement:training"), "primary"),
        ],
    )
