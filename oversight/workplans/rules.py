"""The numbers the work-plan loop applies, with their sources (editable under 参数设置)."""

from oversight.core.rules import CATEGORIES, RuleSpec, declare

CATEGORIES["workplans"] = ("亮灯与时限参数", "plans.manage")

YELLOW_WORKDAYS = declare(
    RuleSpec(
        "workplans.yellow_workdays",
        "临近截止亮黄灯的工作日数",
        3,
        "个工作日",
        "常见做法(DOMAIN.md 红黄绿灯):截止前 N 个工作日亮黄灯",
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
