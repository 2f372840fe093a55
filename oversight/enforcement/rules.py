"""Training and certificate numbers, with their sources (editable under 参数设置)."""

from oversight.core.rules import CATEGORIES, RuleSpec, declare

CATEGORIES["enforcement"] = ("执法人员管理参数", "enforcement.supervise")

for _spec in [
    RuleSpec("enforcement.training_total_hours", "每人每年培训学时", 60, "学时",
             "种子通知任务2:每人每年不少于60学时的公共法律知识、业务知识和行政执法技能培训", "enforcement", 1, 500),
    RuleSpec("enforcement.training_public_hours", "其中公共法律知识(区司法局组织)", 20, "学时",
             "种子通知任务2:其中20学时的公共法律知识培训由区司法局组织", "enforcement", 0, 500),
    RuleSpec("enforcement.training_business_hours", "其中业务知识和执法技能(本单位组织)", 40, "学时",
             "种子通知任务2:40学时的业务知识和行政执法技能培训由各单位自行组织", "enforcement", 0, 500),
    RuleSpec("enforcement.training_plan_month", "年度培训计划报送截止月份(月底)", 2, "月",
             "种子通知任务2:每年2月底前将当年行政执法人员培训计划报区司法局备案", "enforcement", 1, 12),
    RuleSpec("enforcement.rotation_month", "全员轮训完成月份", 11, "月",
             "种子通知任务2:原则上于11月15日前完成本年度全员轮训", "enforcement", 1, 12),
    RuleSpec("enforcement.rotation_day", "全员轮训完成日", 15, "日",
             "种子通知任务2:原则上于11月15日前完成本年度全员轮训", "enforcement", 1, 31),
    RuleSpec("enforcement.expiry_notice_days_first", "证件到期第一次提醒", 90, "天", "本平台规则:到期前90天提醒", "enforcement", 1, 365),
    RuleSpec("enforcement.expiry_notice_days_second", "证件到期第二次提醒", 30, "天", "本平台规则:到期前30天提醒", "enforcement", 1, 365),
    RuleSpec("enforcement.idle_months", "无执法记录视为清理对象", 12, "个月",
             "地方资格清理通知:连续一年以上未从事执法工作", "enforcement", 1, 60),
]:  # fmt: skip
    declare(_spec)
