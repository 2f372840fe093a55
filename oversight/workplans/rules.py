"""The numbers the work-plan loop applies, with their sources (editable under 参数设置)."""

from oversight.core.rules import CATEGORIES, RuleSpec, declare

CATEGORIES["workplans"] = ("亮灯与时限参数", "plans.manage")

YELLOW_WORKDAYS = declare(
    RuleSpec(
        "workplans.yellow_workdays",
        "临近截止亮黄灯的工作日数",
        3,
        "个工作日",
        "督查督办通行做法(红黄绿灯预警):截止前 N 个工作日亮黄灯提醒,逾期亮红灯",
        "workplans",
        0,
        30,
    )
)
SIGN_WORKDAYS = declare(
    RuleSpec(
        "workplans.sign_workdays",
        "下发后签收时限",
        3,
        "个工作日",
        "本平台督办规则:任务下发后单位须在 N 个工作日内签收",
        "workplans",
        1,
        30,
    )
)
SIGN_YELLOW_WORKDAYS = declare(
    RuleSpec(
        "workplans.sign_yellow_workdays",
        "签收临近截止亮黄灯的工作日数",
        0,
        "个工作日",
        "本平台督办规则:签收时限本身只有 3 个工作日,只在最后一天(截止前 N 个工作日内)亮黄灯,新下发的任务为绿灯",
        "workplans",
        0,
        30,
    )
)
REPORT_WORKDAYS = declare(
    RuleSpec(
        "workplans.report_workdays",
        "长期任务报告期结束后报送时限",
        5,
        "个工作日",
        "本平台督办规则:每个报告期结束后 N 个工作日内报送",
        "workplans",
        0,
        30,
    )
)
REPORT_MAX_CHARS = declare(
    RuleSpec(
        "workplans.report_max_chars",
        "进展报告每栏最多字数",
        5000,
        "字",
        "本平台督办规则:进展报告写明进展、问题和打算,详细材料作为佐证附件上传",
        "workplans",
        500,
        50000,
    )
)
EXTENSION_MAX_DAYS = declare(
    RuleSpec(
        "workplans.extension_max_days",
        "一次延期最多延长的天数",
        90,
        "天",
        "本平台督办规则:延期须说明理由并经监督机构审批,一次最多延长 N 天,需要更长的分次申请",
        "workplans",
        1,
        366,
    )
)
