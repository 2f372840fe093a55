from oversight.core.navigation import MenuGroup, MenuItem, register

register(
    MenuGroup(
        "工作计划",
        10,
        [MenuItem("通知导入", "notices:draft_list", "notices.import", "bi-file-earmark-arrow-up")],
    )
)
