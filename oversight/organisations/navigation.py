from django.urls import reverse

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.roles import Role, has_capability

from .models import Unit, UnitGroup
from .selectors import unit_figures

register(
    MenuGroup(
        "单位",
        50,
        [
            MenuItem("单位管理", "organisations:unit_list", "units.view", "bi-diagram-3"),
            MenuItem("单位组", "organisations:group_list", "groups.view", "bi-collection"),
            MenuItem("群机器人", "organisations:webhook_list", "units.webhooks", "bi-robot"),
        ],
    )
)


@panel
def units_panel(user):
    if not has_capability(user, "units.view"):
        return None
    url = reverse("organisations:unit_list")
    if user.role_codes & {Role.SUPERVISOR, Role.LEADER, Role.SYSADMIN}:
        figures = unit_figures(UnitGroup.objects.all())
        groups = [(g.name, n, g.get_absolute_url()) for g, n in figures["groups"]]
        return Panel(
            "全区单位",
            order=50,
            figures=[
                Figure("启用单位", figures["active"], f"{url}?is_active=true"),
                Figure(
                    "行政执法部门",
                    figures["enforcement"],
                    f"{url}?is_enforcement=true&is_active=true",
                    "success",
                ),
                Figure("街道与园区", figures["towns"], f"{url}?kind=subdistrict"),
            ],
            rows=groups,
            chart={
                "tooltip": {"trigger": "item"},
                "series": [
                    {
                        "type": "pie",
                        "radius": ["40%", "70%"],
                        "data": [{"name": label, "value": n} for label, n in figures["by_kind"]],
                    }
                ],
            },
            note="单位组按规则实时展开为当前成员。",
        )
    own = Unit.objects.restrict(user, "view")
    return Panel(
        "本单位",
        order=50,
        rows=[
            (
                u.name,
                "行政执法部门" if u.is_enforcement else u.get_kind_display(),
                u.get_absolute_url(),
            )
            for u in own
        ],
    )
