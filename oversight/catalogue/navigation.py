from oversight.core.navigation import MenuGroup, MenuItem, register

register(
    MenuGroup(
        "执法主体与人员",
        20,
        [
            MenuItem("执法事项清单", "catalogue:catalogue", "catalogue.view", "bi-list-check"),
            MenuItem(
                "赋权事项", "catalogue:delegation_list", "catalogue.delegations", "bi-diagram-3"
            ),
        ],
    )
)
