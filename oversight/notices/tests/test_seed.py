"""The seed notice yields exactly its 24 tasks with the right numbers, titles, units and deadlines."""

import datetime
from pathlib import Path

import pytest

from oversight.notices.parsing import parse_notice

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "xialu-notice-2024.txt"

S = "区司法局"
JD = "各街办"
JDY = "各街办(园区)"
ZF = "区直各行政执法部门"
LONG = "standing"

# number: (title, lead units, responsible units, deadlines)
EXPECTED = {
    "1": ("强化政治能力建设", [], [JDY, ZF], [LONG]),
    "2": ("强化业务能力培训", [S], [S, JDY, ZF], ["2024-11-15"]),
    "3": ("强化执法资格管理", [S], [S, JDY, ZF], [LONG]),
    "4": ("持续巩固“三项制度”落实成效", [S], [S, JD, ZF], [LONG]),
    "5": ("深入规范行政裁量权基准", [S], [S, JD, ZF], ["2024-08-15"]),
    "6": (
        "不断优化涉企行政执法方式",
        ["区发改局", S, "区市场监管局"],
        ["区发改局", S, "区市场监管局", JD, ZF],
        [LONG],
    ),
    "7": ("强力整治行政执法突出问题", [S], [S, JD, ZF], ["2024-09-15"]),
    "8": (
        "清理规范行政执法事项",
        ["区委编办"],
        ["区委编办", S, "区政数局", JD, ZF],
        ["2024-11-15"],
    ),
    "9": (
        "深化街办赋权改革",
        ["区委编办"],
        ["区委编办", S, "区财政局", "区政数局", JD, ZF],
        ["2024-12-15"],
    ),
    "10": (
        "加强行政执法协作",
        ["区法院", "区检察院"],
        ["区法院", "区检察院", "区公安分局", S, "区政数局", JD, ZF],
        [LONG],
    ),
    "11": (
        "推动探索建立执法新模式",
        ["区委文明办"],
        ["区委文明办", "区公安分局", S, "区城管局", ZF],
        ["2024-07-15"],
    ),
    "12": ("完善监督体制", [S], [S, JD, ZF], ["2024-07-15"]),
    "13": (
        "健全监督协作机制",
        ["区政府办"],
        ["区政府办", "区纪委监委机关", "区委巡察办", "区法院", "区检察院", S, "区审计局", JD, ZF],
        [LONG],
    ),
    "14": ("拓宽监督渠道", [S, "区政数局"], [S, "区政数局", JD, ZF], [LONG]),
    "15": ("开展常态化监督", [S], [S, JD, ZF], [LONG]),
    "16": ("抓好重点监督", [S], [S, "区工商联", JDY, ZF], [LONG]),
    "17": ("强化结果运用", ["区委组织部"], ["区委组织部", "区纪委监委机关", S, JD, ZF], [LONG]),
    "(六)": (
        "加强机构队伍建设",
        ["区委组织部", "区委编办"],
        ["区委组织部", "区委编办", S, JDY, ZF],
        [LONG],
    ),
    "(七)": (
        "强化人员权益保障",
        ["区委组织部", "区纪委监委机关"],
        ["区委组织部", "区纪委监委机关", "区人社局", S, JDY, ZF],
        [LONG],
    ),
    "(八)": (
        "加强经费装备保障",
        ["区财政局", "区机关事务服务中心", S],
        ["区财政局", "区机关事务服务中心", S, JD, ZF],
        [LONG],
    ),
    "(九)": (
        "加强信息化平台建设",
        ["区发改局", "区市场监管局", "区政数局", S],
        ["区发改局", "区市场监管局", "区政数局", S, JD, ZF],
        [LONG],
    ),
    "(十)": (
        "加强组织领导",
        ["区委组织部"],
        ["区委组织部", S, "区发改局", "区财政局", "区人社局", "区政数局", JD, ZF],
        [LONG],
    ),
    "(十一)": ("强化督促落实", [S], [S, JD, ZF], ["2024-10-31", "2025-09-30"]),
    "(十二)": (
        "营造良好氛围",
        ["区委宣传部", "区委网信办", S],
        ["区委宣传部", "区委网信办", S, JD, ZF],
        [LONG],
    ),
}


@pytest.fixture(scope="module")
def seed():
    return parse_notice(SEED.read_bytes(), filename=SEED.name)


def deadline_values(task):
    return [d.date.isoformat() if d.date else LONG for d in task.deadlines]


def test_exactly_24_tasks_17_numbered_and_7_sections(seed):
    numbers = [t.number for t in seed.tasks]
    assert numbers == list(EXPECTED)
    assert sum(n.isdigit() for n in numbers) == 17
    assert sum(n.startswith("(") for n in numbers) == 7


@pytest.mark.parametrize("number", list(EXPECTED))
def test_task(seed, number):
    task = next(t for t in seed.tasks if t.number == number)
    title, lead, units, deadlines = EXPECTED[number]
    assert task.title == title
    assert task.lead_units == lead
    assert task.units == units
    assert deadline_values(task) == deadlines
    assert task.text.startswith(title) or number.startswith("(")


def test_hierarchy(seed):
    first = seed.tasks[0]
    assert first.section == ["一、全面推进严格规范公正文明执法", "(一)加强行政执法人员教育管理"]
    twelve = next(t for t in seed.tasks if t.number == "12")
    assert twelve.section == ["二、加强行政执法监督工作体系建设", "(四)健全行政执法监督体制机制"]
    six = next(t for t in seed.tasks if t.number == "(六)")
    assert six.section == ["三、强化工作保障"]
    assert six.text.startswith("统筹使用司法行政系统现有编制资源")


def test_header(seed):
    assert (
        seed.title == "下陆区人民政府办公室关于分解落实行政执法协调监督及行政执法质量工作任务的通知"
    )
    assert seed.issuer == "下陆区人民政府办公室"
    assert seed.doc_number is None  # the cited 黄政办发〔2024〕20号 is another notice's number
    assert seed.date is None
    assert seed.addressees == ["各街办(园区)", "区直各部门"]
    assert seed.year == 2024


def test_body_duties(seed):
    three = next(t for t in seed.body_tasks if t.number == "三")
    dates = [(m.date, m.text) for m in three.milestones]
    assert dates == [
        (datetime.date(2024, 11, 30), "并于2024年11月前完成中期评估"),
        (datetime.date(2025, 10, 31), "2025年10月前完成终期评估"),
    ]
    assert three.units == ["区司法局"]
    two = next(t for t in seed.body_tasks if t.number == "二")
    assert "建立定期通报制度" in two.text
    assert two.is_standing


def test_milestones_in_task_text(seed):
    two = next(t for t in seed.tasks if t.number == "2")
    yearly = [m for m in two.milestones if m.recurrence == "yearly"]
    assert len(yearly) == 1 and yearly[0].month_day == "02-月末"
    assert "培训计划报区司法局备案" in yearly[0].text
    assert [m.date for m in two.milestones if not m.recurrence] == [datetime.date(2024, 11, 15)]
    five = next(t for t in seed.tasks if t.number == "5")
    assert [(m.date, m.text[:9]) for m in five.milestones] == [
        (datetime.date(2024, 8, 15), "并于2024年8月")
    ]
    eleven = next(t for t in seed.tasks if t.number == "(十一)")
    assert [m.date for m in eleven.milestones] == [
        datetime.date(2024, 12, 31),
        datetime.date(2025, 12, 31),
    ]


def test_every_field_points_at_its_source_line(seed):
    lines = seed.source_lines
    for task in seed.tasks:
        units_line = lines[task.lines["units"][0] - 1]
        assert units_line.startswith(task.units[0])
        deadline_lines = "".join(lines[n - 1] for n in task.lines["deadline"])
        assert deadline_lines.replace(" ", "") == task.deadline_text.replace("\n", "")
        text_line = lines[task.lines["text"][0] - 1]
        assert task.text[:10] in text_line


def test_broken_date_is_joined(seed):
    five = next(t for t in seed.tasks if t.number == "5")
    assert len(five.lines["deadline"]) == 2  # "2024年" and "8月15日" on separate lines
    assert five.deadline_text == "2024年\n8月15日"
