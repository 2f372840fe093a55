"""The catalogue's numbers, each with its source (editable on the rules page)."""

from oversight.core.rules import CATEGORIES, RuleSpec, declare

CATEGORIES["catalogue"] = ("执法事项清单规则参数", "catalogue.review")

declare(
    RuleSpec(
        "catalogue.delegation_breaches", "赋权事项违规较多的案件数", 3, "件",
        "《行政处罚法》第24条:赋权事项应定期评估;提示阈值为本平台默认值",
        "catalogue", 1, 100,
    )
)  # fmt: skip
declare(
    RuleSpec(
        "catalogue.idle_years", "长期未实施事项的年限", 3, "年",
        "《法治政府建设实施纲要(2021—2025年)》:对长期未发生且无实施必要的执法事项,按程序提出取消或调整建议;年限为本平台默认值",
        "catalogue", 1, 10,
    )
)  # fmt: skip
