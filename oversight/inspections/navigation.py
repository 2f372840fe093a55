from oversight.core.navigation import MenuGroup, MenuItem, register

# The same group as the cases' menu (groups merge by label).
register(
    MenuGroup(
        "执法案件与检查",
        25,
        [
            MenuItem("涉企检查", "inspections:inspection_list", "cases.view", "bi-building-check"),
            MenuItem("双随机抽查", "inspections:draw_list", "cases.view", "bi-shuffle"),
            MenuItem("企业", "inspections:enterprise_list", "cases.view", "bi-buildings"),
        ],
    )
)
