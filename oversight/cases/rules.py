"""Legal time limits and thresholds of enforcement acts, each with its source (editable)."""

from oversight.core.rules import CATEGORIES, RuleSpec, declare

CATEGORIES["cases"] = ("执法监督规则参数", "cases.supervise")

for _spec in [
    RuleSpec("cases.min_officers", "每项执法行为的执法人员人数", 2, "人", "《行政处罚法》(2021)第42条:执法人员不得少于两人", "cases", 1, 10),
    RuleSpec("cases.publicity_workdays_penalty_permit", "行政处罚、行政许可决定公示时限", 7, "个工作日",
             "国办发〔2018〕118号:行政许可、行政处罚的执法决定信息在执法决定作出之日起7个工作日内公开", "cases", 1, 60),
    RuleSpec("cases.publicity_workdays_other", "其他执法决定公示时限", 20, "个工作日",
             "国办发〔2018〕118号:其他行政执法决定信息在执法决定作出之日起20个工作日内公开", "cases", 1, 60),
    RuleSpec("cases.withdraw_workdays", "决定变更或撤销后撤下公示时限", 3, "个工作日",
             "《行政处罚法》第48条:公开的决定被依法变更、撤销、确认违法或者确认无效的,应当在3日内撤回", "cases", 1, 30),
    RuleSpec("cases.decision_days", "立案后作出处罚决定时限", 90, "日",
             "《行政处罚法》第60条:自行政处罚案件立案之日起90日内作出行政处罚决定", "cases", 1, 365),
    RuleSpec("cases.service_workdays", "处罚决定书送达时限", 7, "个工作日",
             "《行政处罚法》第61条、第85条:宣告后当场交付或7日内送达;期间以工作日计算", "cases", 1, 30),
    RuleSpec("cases.hearing_request_workdays", "当事人申请听证期限", 5, "个工作日",
             "《行政处罚法》第64条:当事人在行政机关告知后5日内提出", "cases", 1, 30),
    RuleSpec("cases.hearing_notice_days", "听证通知提前工作日", 7, "个工作日",
             "《行政处罚法》第64条第(二)项:在举行听证的7日前通知当事人;第85条:“二日、三日、五日、七日”的规定是指工作日", "cases", 1, 30),
    RuleSpec("cases.crime_decision_days", "涉嫌犯罪案件作出移送决定时限", 3, "个工作日",
             "国务院令第310号《行政执法机关移送涉嫌犯罪案件的规定》第5条:自接到报告之日起3日内作出批准移送或者不批准移送的决定(短期间按工作日计算)", "cases", 1, 30),
    RuleSpec("cases.simple_fine_person", "简易程序罚款上限(公民)", 200, "元",
             "《行政处罚法》第51条:对公民处以二百元以下罚款可以当场作出行政处罚决定", "cases", 0, 100000),
    RuleSpec("cases.simple_fine_org", "简易程序罚款上限(法人或其他组织)", 3000, "元",
             "《行政处罚法》第51条:对法人或者其他组织处以三千元以下罚款可以当场作出行政处罚决定", "cases", 0, 1000000),
    RuleSpec("cases.preservation_decision_workdays", "先行登记保存后作出处理决定时限", 7, "个工作日",
             "《行政处罚法》第56条:先行登记保存的,应当在7日内及时作出处理决定;第85条:期间以工作日计算", "cases", 1, 30),
    RuleSpec("cases.period_end_holiday_rollover", "按日计算的期间届满日为法定节假日时顺延", 1, "(1 顺延,0 不顺延)",
             "《民法典》第203条:期间的最后一日是法定休假日的,以法定休假日结束的次日为期间的最后一日", "cases", 0, 1),
    RuleSpec("cases.crime_transfer_hours", "批准移送后移送时限", 24, "小时",
             "国务院令第310号第5条:批准移送的,应当在24小时内向同级公安机关移送", "cases", 1, 240),
    RuleSpec("cases.warning_workdays", "临近期限预警", 2, "个工作日", "本平台规则:期限届满前 N 个工作日亮黄灯", "cases", 0, 30),
    RuleSpec("cases.decision_warning_days", "立案期限预警", 10, "日", "本平台规则:90日决定期限届满前 N 日亮黄灯", "cases", 0, 60),
    RuleSpec("cases.impact_threshold_org", "经济影响评估门槛(单位)", 50000, "元", "本地涉企行政执法经济影响评估制度(默认值)", "cases", 0, 100000000),
    RuleSpec("cases.impact_threshold_person", "经济影响评估门槛(个人)", 5000, "元", "本地涉企行政执法经济影响评估制度(默认值)", "cases", 0, 100000000),
]:  # fmt: skip
    declare(_spec)

# Full-process records each kind of act must carry before it is decided (国办发〔2018〕118号:
# 查封扣押、强制拆除等直接涉及人身自由、生命健康、重大财产权益的现场执法活动全程音像记录).
REQUIRED_RECORDS = {
    "penalty": {"document"},
    "permit": {"document"},
    "coercion": {"document", "audio_video"},
    "inspection": {"document"},
    "levy": {"document"},
    "requisition": {"document", "audio_video"},
    "other": set(),
}
CATALOG_SOURCE = (
    "《法治政府建设实施纲要(2021—2025年)》:全面梳理、规范和精简执法事项,实行行政执法事项清单管理"
)
RECORDS_SOURCE = "国办发〔2018〕118号:执法全过程记录制度(文字记录;查封扣押等现场执法全程音像记录)"

# The name of each check (Finding.rule) as users read it.
RULE_LABELS = {
    "officers": "执法人员不足两人", "certificates": "执法证件无效", "publicity": "执法决定公示", "withdrawal": "撤下已变更决定",
    "records": "全过程记录", "legal_review": "重大执法决定法制审核", "decision": "90日内作出决定", "service": "决定书送达",
    "hearing_notice": "听证通知", "hearing_window": "听证申请期限", "crime_decision": "涉嫌犯罪移送决定", "crime_transfer": "24小时内移送", "two_letters": "双书同达",
    "impact": "经济影响评估", "notice": "处罚前告知", "hearing": "听证程序", "simple_procedure": "简易程序适用",
    "preservation": "先行登记保存处理", "crime_penalty": "以罚代刑", "extension": "延长期限批准",
    "catalog": "执法事项清单", "officer_left": "执法人员已离岗",
}  # fmt: skip
