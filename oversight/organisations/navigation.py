from django.urls import reverse

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.roles import Role, has_capability

from .models import Unit, UnitGroup
from .selectors import group_members, unit_counts_by_kind

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
        by_kind = unit_counts_by_kind()
        active = Unit.objects.filter(is_active=True)
        groups = [
            (g.name, group_members(g).count(), g.get_absolute_url())
            for g in UnitGroup.objects.all()
        ]
        return Panel(
            "全区单位",
            order=50,
            figures=[
                Figure("启用单位", active.count(), f"{url}?is_active=true"),
                Figure(
                    "行政执法部门",
                    active.filter(is_enforcement=True).count(),
                    f"{url}?is_enforcement=true&is_active=true",
                    "success",
                ),
                Figure(
                    "街道与园区",
                    active.filter(kind__in=["subdistrict", "park"]).count(),
                    f"{url}?kind=subdistrict",
                ),
            ],
            rows=groups,
            chart={
                "tooltip": {"trigger": "item"},
                "series": [
                    {
                        "type": "pie",
                        "radius": ["40%", "70%"],
                        "data": [{"name": label, "value": n} for label, n in by_kind],
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
