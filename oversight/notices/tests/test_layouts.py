"""Notices written the way other offices write them: full-width punctuation, a text that starts at
"一、" with no header, labels inside the text on the same line or the next, "X牵头,Y、Z配合", and
headings that are tasks themselves."""

import pytest

from oversight.notices.parsing import parse_notice

FRAGMENT = """一、深化行政执法体制改革
（一）推进综合行政执法改革。整合执法队伍，减少执法层级。牵头单位：县司法局；责任单位：县市场监管局、县城管局、各镇（街道）。完成时限：2025年6月底前。
（二）规范涉企行政检查。严格落实检查频次上限。县市场监管局牵头，县应急管理局、县生态环境分局配合。时限要求：长期坚持。
二、提升行政执法质量
１．开展行政执法案卷评查。每年组织一次。
责任单位：县司法局
２．加强执法人员培训。
责任领导：张三
牵头单位：县司法局
责任单位：各县直执法部门
完成时间：2025年11月
"""


@pytest.fixture
def tasks():
    notice = parse_notice(
        FRAGMENT.encode("utf-8"), filename="片段.txt", year=2025, resolver=lambda name: False
    )
    return {t.number: t for t in notice.tasks}


def test_a_fragment_without_a_header_is_read(tasks):
    assert list(tasks) == ["(一)", "(二)", "1", "2"]


def test_labels_in_the_text_give_lead_units_and_deadline(tasks):
    first = tasks["(一)"]
    assert first.title == "推进综合行政执法改革"
    assert first.lead_units == ["县司法局"]
    assert first.units == [
        "县司法局",
        "县市场监管局",
        "县城管局",
        "各镇(街道)",
    ]  # brackets kept whole
    assert [d.date.isoformat() for d in first.deadlines] == ["2025-06-30"]


def test_x_leads_y_and_z_assist(tasks):
    second = tasks["(二)"]
    assert second.lead_units == ["县市场监管局"]
    assert second.units == ["县市场监管局", "县应急管理局", "县生态环境分局"]
    assert second.deadlines[0].standing


def test_labels_on_the_following_lines_and_a_leader_who_is_not_a_unit(tasks):
    last = tasks["2"]
    assert last.lead_units == ["县司法局"]
    assert last.units == ["县司法局", "各县直执法部门"]
    assert "张三" not in last.units and "张三" not in last.units_text
    assert "责任领导:张三" in last.text  # kept as text
    assert [d.date.isoformat() for d in last.deadlines] == ["2025-11-30"]
    assert tasks["1"].units == ["县司法局"]


def test_utf16_and_gb18030_read_alike():
    by_utf16 = parse_notice(
        FRAGMENT.encode("utf-16"), filename="a.txt", year=2025, resolver=lambda n: False
    )
    by_gb = parse_notice(
        FRAGMENT.encode("gb18030"), filename="a.txt", year=2025, resolver=lambda n: False
    )
    assert [t.units for t in by_utf16.tasks] == [t.units for t in by_gb.tasks]


ATTACHMENT = """<html><body><p>附件</p><p>2025年法治政府建设重点任务分工表</p><table>
<tr><td>序号</td><td>责任领导</td><td>工作任务</td><td>具体措施</td><td>配合单位</td><td>牵头单位</td><td>完成时限</td><td>备注</td></tr>
<tr><td>1</td><td>李四</td><td>推行行政执法三项制度</td><td>全面落实公示、全过程记录、法制审核制度</td><td>各县直执法部门</td><td>县司法局</td><td>2025年12月底前</td><td>每季度报送进展</td></tr>
<tr><td>3</td><td>王五</td><td>规范涉企检查</td><td>推行“综合查一次”</td><td>县应急管理局、县生态环境分局</td><td>县市场监管局</td><td>长期坚持</td><td></td></tr>
</table></body></html>"""


def test_a_bare_attachment_table_with_columns_in_any_order():
    notice = parse_notice(
        ATTACHMENT.encode("utf-8"), filename="附件.html", year=2025, resolver=lambda name: False
    )
    assert notice.title == "2025年法治政府建设重点任务分工表"
    assert any("表名" in w for w in notice.warnings)  # marked for the supervisor to check
    first, second = notice.tasks
    assert (first.number, second.number) == ("1", "3")  # numbers as written, gaps and all
    assert first.title == "推行行政执法三项制度" and "法制审核制度" in first.text
    assert first.lead_units == ["县司法局"] and first.units == ["县司法局", "各县直执法部门"]
    assert "李四" not in first.units and "李四" not in first.units_text  # a leader, not a unit
    assert second.deadlines[0].standing


def test_deadline_words_and_unit_lists_as_offices_write_them():
    from oversight.notices.parsing.dates import parse_deadline_cell
    from oversight.notices.parsing.units import split_units

    assert [d.date.isoformat() for d in parse_deadline_cell("全年", 2025)[0]] == ["2025-12-31"]
    assert [d.standing for d in parse_deadline_cell("每季度报送进展", 2025)[0]] == [True]
    assert split_units("县市场监管局、县城管局等")[1] == ["县市场监管局", "县城管局"]
    assert split_units("各县(市、区)政府(管委会)、各镇(街道)")[1] == [
        "各县(市、区)政府(管委会)",
        "各镇(街道)",
    ]
    assert split_units("区城管局;区司法局、区市场监管局") == (
        ["区城管局"],
        ["区城管局", "区司法局", "区市场监管局"],
    )


def test_first_responsible_unit_leads_when_the_notice_says_so():
    text = (
        "各镇(街道),县直各部门:\n现将任务分解如下(第一责任单位为牵头单位,下同):\n"
        "1.开展执法人员培训。\n责任单位:县司法局、县人社局\n完成时限:2025年10月底前\n"
        "2.规范执法文书。\n责任单位:县市场监管局、县城管局\n完成时限:2025年12月底前\n"
    )
    notice = parse_notice(
        text.encode("utf-8"), filename="a.txt", year=2025, resolver=lambda name: False
    )
    assert [t.lead_units for t in notice.tasks] == [["县司法局"], ["县市场监管局"]]
    plain = parse_notice(
        text.replace("(第一责任单位为牵头单位,下同)", "").encode("utf-8"),
        filename="b.txt",
        year=2025,
        resolver=lambda name: False,
    )
    assert [t.lead_units for t in plain.tasks] == [[], []]


DEEP = """2023年法治政府建设重点任务
一、学习培训
(一)抓好学习
1.将法治思想纳入理论学习中心组学习内容。
(1)区政府常务会议每年至少安排2次会前学法。责任单位:区政府办公室、区司法局。完成时限:6月底前。
(2)组织执法人员专题轮训。责任单位:区司法局。完成时限:10月底前。
2.开展领导干部法律知识考试。责任单位:区委组织部。完成时限:2023年11月。
①制定应知应会法律清单。责任单位:区司法局。完成时限:5月底前。
二、执法监督
(一)加强案卷评查
1.组织案卷集中评查。责任单位:区司法局。完成时限:第三季度。
"""


def test_numbering_at_any_depth_and_restarting_numbers_get_unique_references():
    notice = parse_notice(DEEP.encode("utf-8"), filename="a.txt", resolver=lambda n: False)
    rows = [(t.number, t.title) for t in notice.tasks]
    # 1. has children (1)(2) and no units of its own: a heading. 2. has units and a child ①:
    # a task, and the heading of ①.
    assert rows == [
        ("(1)", "区政府常务会议每年至少安排2次会前学法"),
        ("(2)", "组织执法人员专题轮训"),
        ("2", "开展领导干部法律知识考试"),
        ("①", "制定应知应会法律清单"),
        ("1", "组织案卷集中评查"),
    ]
    assert notice.tasks[3].section[-1] == "2.开展领导干部法律知识考试"
    assert notice.tasks[0].section[-1] == "1.将法治思想纳入理论学习中心组学习内容"
    assert len({t.ref for t in notice.tasks}) == len(notice.tasks)  # the plan's numbers are unique
    # The year from the plan's own title, for "6月底前" and "第三季度".
    assert notice.year == 2023
    assert notice.tasks[0].deadlines[0].date.isoformat() == "2023-06-30"
    assert notice.tasks[-1].deadlines[0].date.isoformat() == "2023-09-30"


def test_numbers_that_restart_per_section_are_qualified_by_their_parents():
    text = (
        "一、甲\n(一)乙\n1.任务一。责任单位:区司法局。完成时限:2024年6月底前。\n"
        "(二)丙\n1.任务二。责任单位:区财政局。完成时限:2024年7月底前。\n"
        "(1)任务三。责任单位:区财政局。完成时限:2024年8月底前。\n"
        "二、丁\n(一)戊\n1.任务四。责任单位:区审计局。完成时限:2024年9月底前。\n"
    )
    notice = parse_notice(text.encode("utf-8"), filename="a.txt", resolver=lambda n: False)
    assert [t.number for t in notice.tasks] == ["1", "1", "(1)", "1"]  # as written
    assert [t.ref for t in notice.tasks] == ["(一)1", "(二)1", "(1)", "二(一)1"]


def test_a_signature_after_the_list_is_not_part_of_the_last_task():
    text = (
        "关于印发2018年重点任务的通知\n1.新建社区日间照料中心6个。区民政局牵头,各街道办事处配合。"
        "10月底前完成。\n银川市兴庆区人民政府办公室\n2018年8月16日\n(此件公开发布)\n"
    )
    notice = parse_notice(text.encode("utf-8"), filename="a.txt", resolver=lambda n: False)
    (task,) = notice.tasks
    assert task.text == "新建社区日间照料中心6个。"
    assert task.units == ["区民政局", "各街道办事处"] and task.lead_units == ["区民政局"]
    assert task.deadlines[0].date.isoformat() == "2018-10-31"
    assert task.doubts["deadline"]  # taken from the end of the text: marked for the reviewer
    assert notice.date.isoformat() == "2018-08-16"


def test_units_marked_as_leading_and_roles_after_a_name():
    from oversight.notices.parsing.units import split_units, units_text_for

    assert split_units("区司法局(牵头)、区政府办公室") == (
        ["区司法局"],
        ["区司法局", "区政府办公室"],
    )
    assert split_units("区直各行政执法单位,区司法局负责督促指导")[1] == [
        "区直各行政执法单位",
        "区司法局",
    ]
    assert split_units("区市场监管局〔区知识产权局〕、区商务局")[1] == [
        "区市场监管局〔区知识产权局〕",
        "区商务局",
    ]
    # The review form's field reads back to the same units, a lone lead included.
    for lead, units in ((["区司法局"], ["区司法局"]), (["甲局"], ["甲局", "乙局", "丙局"])):
        assert split_units(units_text_for(lead, units)) == (lead, units)


def test_columns_that_are_not_units_are_kept_as_text_and_a_merged_key_task_groups_its_measures():
    html = """<table>
<tr><th>序号</th><th>重点工作</th><th>工作措施</th><th>牵头领导</th><th>牵头责任单位</th><th>配合单位</th><th>协办单位</th><th>时间要求</th><th>进展情况</th></tr>
<tr><td>1</td><td rowspan="2">提升执法规范化水平</td><td>推行三项制度。</td><td>郑华</td><td>区司法局</td><td>区直各执法部门</td><td>区财政局</td><td>2020年12月底前</td><td>已部署</td></tr>
<tr><td>2</td><td>开展资格清理。</td><td>郑华</td><td>区司法局</td><td>区人社局</td><td></td><td>2020年3月至11月</td><td></td></tr>
</table>"""
    notice = parse_notice(html.encode("utf-8"), filename="a.html", resolver=lambda n: False)
    first, second = notice.tasks
    assert first.title == "推行三项制度" and first.section == ["提升执法规范化水平"]
    assert first.lead_units == ["区司法局"]
    assert first.units == ["区司法局", "区直各执法部门", "区财政局"]
    assert "郑华" not in first.units and "郑华" in first.text and "已部署" in first.text
    assert second.deadlines[0].date.isoformat() == "2020-11-30"  # a period ends at its end


def test_a_header_row_repeated_on_the_next_page_is_not_a_task():
    html = """<table>
<tr><td>序号</td><td>工作任务</td><td>责任单位</td><td>完成时限</td></tr>
<tr><td>1</td><td>甲任务。</td><td>区司法局</td><td>2024年6月底前</td></tr>
<tr><td>序号</td><td>工作任务</td><td>责任单位</td><td>完成时限</td></tr>
<tr><td>2</td><td>乙任务。</td><td>区财政局</td><td>长期坚持</td></tr>
</table>"""
    notice = parse_notice(html.encode("utf-8"), filename="a.html", resolver=lambda n: False)
    assert [t.number for t in notice.tasks] == ["1", "2"]


def test_prose_sections_without_units_are_not_tasks_where_tasks_name_units():
    text = (
        "一、主要任务\n(一)健全执法体系。开展案卷评查。(牵头单位:市司法局;责任单位:各县区政府)\n"
        "二、实施步骤\n(一)动员部署阶段(2025年6月底前)。召开动员会议。\n"
    )
    notice = parse_notice(text.encode("utf-8"), filename="a.txt", resolver=lambda n: False)
    assert [t.title for t in notice.tasks] == ["健全执法体系"]
    assert any("未列为任务" in w for w in notice.warnings)
