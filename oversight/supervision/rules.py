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
    RuleSpec("supervision.document_explain_workdays", "监督文书说明情况时限", 10, "个工作日",
             "《行政执法监督条例》(国务院令第825号)及省级行政执法监督规定:收到监督通知书、意见书后 10 个工作日内书面说明情况", "supervision", 1, 30),
    RuleSpec("supervision.document_rectify_days", "监督文书整改回复时限", 30, "日",
             "《行政执法监督条例》(国务院令第825号)及省级行政执法监督规定:自收到之日起 30 日内整改并书面回复", "supervision", 1, 90),
    RuleSpec("supervision.document_review_request_days", "申请复查时限", 15, "日",
             "省级行政执法监督规定(上海、四川、吉林、广东):对监督文书有异议的,自收到之日起 15 日内申请复查", "supervision", 1, 60),
    RuleSpec("supervision.document_review_answer_days", "复查答复时限", 15, "日",
             "省级行政执法监督规定(上海、四川、吉林、广东):自收到复查申请之日起 15 日内作出复查决定", "supervision", 1, 60),
    RuleSpec("supervision.warning_days", "临期亮黄灯天数", 3, "日",
             "本平台默认值:线索、监督文书距期限不足该天数时亮黄灯并提醒", "supervision", 1, 15),
    RuleSpec("supervision.public_complaints_per_hour", "同一网络地址每小时最多网上投诉", 5, "次",
             "本平台默认值;GB/T 22239-2019 要求对公开服务采取防滥用措施(防止刷单)", "supervision", 1, 100),
    RuleSpec("supervision.public_queries_per_hour", "同一网络地址每小时最多查询投诉进度", 30, "次",
             "本平台默认值;GB/T 22239-2019 要求对公开服务采取防滥用措施(防止穷举查询码)", "supervision", 5, 500),
    RuleSpec("supervision.fines_rise_percent", "罚没收入同比增幅预警线", 20, "%",
             "全国行政执法监督平台的趋利性执法预警口径:单位罚没收入同比增幅超过该比例即预警", "supervision", 1, 500),
    RuleSpec("supervision.fines_concentration_percent", "罚款集中度预警线", 30, "%",
             "本平台默认值:单个执法人员经办或单个企业承担的罚款占单位全年罚款的比例超过该值即预警(趋利性执法、选择性执法)", "supervision", 5, 100),
    RuleSpec("supervision.special_supervisor_term_years", "特邀行政执法监督员任期", 5, "年",
             "地方特邀行政执法监督员工作规定:特邀监督员每届任期 5 年", "supervision", 1, 10),
]:  # fmt: skip
    declare(_spec)
