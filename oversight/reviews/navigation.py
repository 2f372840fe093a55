from oversight.core.navigation import MenuGroup, MenuItem, register

register(
    MenuGroup(
        "行政执法监督",
        30,
        [
            MenuItem("案卷评查", "reviews:round_list", "reviews.view", "bi-journal-check"),
            MenuItem("评查案卷", "reviews:file_list", "reviews.files", "bi-journal-text"),
        ],
    )
)
