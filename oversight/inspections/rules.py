"""Caps on inspecting the same enterprise and the draw publication limit, each with its source.

The keys keep their cases. prefix (they are stored settings) and stay on the cases' rules page.
"""

from oversight.core.rules import RuleSpec, declare

for _spec in [
    RuleSpec("cases.routine_inspections_per_year", "同一执法部门每年检查同一企业次数上限", 2, "次",
             "国办发〔2024〕54号及地方规定:同一行政执法主体对同一企业年度检查原则上不超过2次(含双随机抽查;投诉举报核查、整改复查另计)", "cases", 1, 50),
    RuleSpec("cases.repeat_inspection_days", "重复检查提示窗口", 30, "日",
             "国办发〔2024〕54号:避免重复检查;同一部门 N 日内再次检查同一企业时提示", "cases", 1, 365),
    RuleSpec("cases.multi_inspection_window_days", "多头检查提示窗口", 30, "日", "本平台规则:不同部门在 N 日内检查同一企业时提示“综合查一次”", "cases", 1, 365),
    RuleSpec("cases.draw_publish_workdays", "双随机抽查结果公示时限", 20, "个工作日",
             "《企业信息公示暂行条例》;国发〔2019〕5号:抽查检查结果自形成之日起20个工作日内公示", "cases", 1, 60),
]:  # fmt: skip
    declare(_spec)
