from oversight.core.navigation import MenuGroup, MenuItem, register

register(
    MenuGroup(
        "行政执法监督",
        30,
        [
            MenuItem("问题线索", "supervision:clue_list", "supervision.view", "bi-megaphone"),
        ],
    )
)
