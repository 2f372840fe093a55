"""The numbers of case-file review, each with its source (editable on the rules page)."""

from oversight.core.rules import CATEGORIES, RuleSpec, declare

CATEGORIES["reviews"] = ("案卷评查规则参数", "reviews.manage")

for _spec in [
    RuleSpec("reviews.disagreement_points", "两名评查人员评分差异上限", 10, "分",
             "《广东省行政执法案卷评查办法》(省政府令第231号)等:评查人员评分差异较大的,由第三人或评查组复核", "reviews", 1, 50),
    RuleSpec("reviews.objection_workdays", "评查结果异议期限", 10, "个工作日",
             "《广东省行政执法案卷评查办法》(省政府令第231号):被评查单位对结果有异议的,10 个工作日内提出", "reviews", 1, 30),
    RuleSpec("reviews.answer_workdays", "异议答复期限", 10, "个工作日",
             "《广东省行政执法案卷评查办法》(省政府令第231号):评查机构收到异议 10 个工作日内答复", "reviews", 1, 30),
    RuleSpec("reviews.reviewers_per_file", "每份案卷评查人员数", 2, "人",
             "交叉评查通行做法:每份案卷至少两名评查人员独立评分", "reviews", 2, 5),
]:  # fmt: skip
    declare(_spec)
