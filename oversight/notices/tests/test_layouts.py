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
