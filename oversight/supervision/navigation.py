from oversight.core.navigation import MenuGroup, MenuItem, register

register(
    MenuGroup(
        "行政执法监督",
        30,
        [
            MenuItem("问题线索", "supervision:clue_list", "supervision.view", "bi-megaphone"),
            MenuItem(
                "监督事项", "supervision:matter_list", "supervision.matters", "bi-folder2-open"
            ),
            MenuItem(
                "监督文书", "supervision:document_list", "supervision.view", "bi-file-earmark-text"
            ),
        ],
    )
)
