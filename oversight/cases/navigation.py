from django.urls import reverse

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.roles import has_capability

from .selectors import finding_figures

register(
    MenuGroup(
        "执法案件与检查",
        25,
        [
            MenuItem("执法案件", "cases:case_list", "cases.view", "bi-folder2-open"),
            MenuItem("预警与违规", "cases:findings", "cases.view", "bi-exclamation-triangle"),
            MenuItem("四张清单", "cases:leniency_list", "cases.view", "bi-list-ul"),
        ],
    )
)


@panel
def cases_panel(user):
    if not has_capability(user, "cases.view"):
        return None
    figures = finding_figures(user=user)
    if not (figures["red"] or figures["yellow"]):
        return None
    url = reverse("cases:findings")
    return Panel(
        "执法案件检查",
        order=15,
        figures=[
            Figure("违规", figures["red"], f"{reverse('cases:case_list')}?light=red", "danger"),
            Figure(
                "预警", figures["yellow"], f"{reverse('cases:case_list')}?light=yellow", "warning"
            ),
        ],
        rows=[
            (r["unit__short_name"], f"违规 {r['red']} · 预警 {r['yellow']}", url)
            for r in figures["by_unit"][:6]
        ],
    )
