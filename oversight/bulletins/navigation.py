from oversight.core.navigation import MenuGroup, MenuItem, register

# The work plans' group (groups merge by label).
register(
    MenuGroup(
        "工作计划",
        10,
        [
            MenuItem("领导驾驶舱", "bulletins:cockpit", "plans.dashboard", "bi-speedometer2"),
            MenuItem("定期通报", "bulletins:bulletin_list", "plans.view", "bi-megaphone"),
            MenuItem("评估", "bulletins:evaluation_list", "plans.view", "bi-clipboard-data"),
        ],
    )
)
