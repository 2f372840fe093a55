"""Time limits of handling a clue, each with its source (editable on the rules page)."""

from oversight.core.rules import CATEGORIES, RuleSpec, declare

CATEGORIES["supervision"] = ("行政执法监督规则参数", "supervision.manage")

for _spec in [
    RuleSpec("supervision.clue_accept_workdays", "线索研判(受理)时限", 5, "个工作日",
             "省级行政执法监督规定(上海、四川、吉林、广东):收到投诉举报 5 个工作日内决定是否受理", "supervision", 1, 30),
    RuleSpec("supervision.clue_conclude_days", "线索办结时限", 30, "日",
             "省级行政执法监督规定(上海、四川、吉林、广东):自受理之日起 30 日内办结;无规定时参照《信访工作条例》", "supervision", 1, 90),
    RuleSpec("supervision.clue_extension_days", "线索办理延期上限", 30, "日",
             "省级行政执法监督规定:情况复杂的,经批准可延长一次,延长不超过 30 日;无规定时参照《信访工作条例》", "supervision", 1, 60),
    RuleSpec("supervision.clue_reply_workdays", "转办单位核查反馈时限", 15, "个工作日",
             "本平台默认值:转办、交办的线索,被投诉单位一般在 15 个工作日内核查并反馈(监督机构可逐件另定期限)", "supervision", 1, 60),
]:  # fmt: skip
    declare(_spec)
