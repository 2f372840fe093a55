"""Each format and phrase the parser must read, with fixtures built in code."""

import datetime as dt

import pytest

from oversight.notices.parsing import NoticeError, parse_notice
from oversight.notices.parsing.dates import parse_deadline_cell
from oversight.notices.parsing.units import split_units

from .fixtures import INLINE_TEXT, build_docx, build_html


def d(*args):
    return dt.date(*args)


class TestDocx:
    @pytest.fixture(scope="class")
    @classmethod
    def notice(cls):
        return parse_notice(build_docx(), filename="要点.docx")

    def test_header(self, notice):
        assert notice.source_format == "docx"
        assert notice.title == "下陆区人民政府办公室关于印发下陆区2025年法治政府建设工作要点的通知"
        assert notice.doc_number == "陆政办发〔2025〕7号"
        assert notice.date == d(2025, 2, 18)  # from the signature after the table
        assert notice.year == 2025

    def test_merged_category_cells_give_every_row_its_section(self, notice):
        assert [t.number for t in notice.tasks] == ["1", "2", "3", "4", "5"]
        assert notice.tasks[1].section == ["一、健全依法行政制度体系", "(一)加强重点领域立法"]
        assert notice.tasks[2].section == ["一、健全依法行政制度体系", "(二)强化执法监督"]
        assert notice.tasks[4].section == ["二、加强队伍建设"]

    def test_relative_deadlines_use_the_notice_year(self, notice):
        assert [t.deadlines[0].date for t in notice.tasks if not t.is_standing] == [
            d(2025, 3, 31),  # 3月底前
            d(2025, 4, 10),  # 4月上旬
            d(2025, 5, 20),  # 5月中旬前
            d(2025, 12, 31),  # 年底前
        ]

    def test_period_from_an_event_is_an_undated_milestone(self, notice):
        four = notice.tasks[3]
        assert four.is_standing
        assert [(m.date, m.period) for m in four.milestones] == [(None, "变化之日起30日内")]

    def test_yearly_milestone(self, notice):
        one = notice.tasks[0]
        assert [(m.date, m.recurrence, m.month_day) for m in one.milestones] == [
            (d(2025, 1, 31), "yearly", "01-月末")
        ]

    def test_body_duty_with_a_relative_date(self, notice):
        assert [(t.number, t.milestones[0].date) for t in notice.body_tasks] == [
            ("一", d(2025, 3, 31))
        ]

    def test_trace_points_at_table_rows(self, notice):
        row = notice.source_lines[notice.tasks[0].lines["units"][0] - 1]
        assert "区司法局,区直各行政执法部门" in row


class TestHtml:
    @pytest.fixture(scope="class")
    @classmethod
    def notice(cls):
        return parse_notice(build_html().encode("utf-8"), filename="notice.html")

    def test_header_from_the_page(self, notice):
        assert notice.source_format == "html"
        assert notice.title == "下陆区人民政府办公室关于开展行政执法“三项制度”专项检查的通知"
        assert notice.date == d(2025, 3, 5)
        assert notice.addressees == ["各街办(园区)", "区直各部门"]

    def test_rowspan_and_spanning_heading_rows(self, notice):
        assert [(t.number, t.section) for t in notice.tasks] == [
            ("1", ["一、自查自纠", "(一)公示制度"]),
            ("2", ["一、自查自纠", "(一)公示制度"]),
            ("3", ["一、自查自纠", "(二)全过程记录"]),
            ("4", ["二、重点检查", "(三)法制审核"]),
        ]

    def test_lead_and_cooperating_columns(self, notice):
        first = notice.tasks[0]
        assert first.lead_units == ["区司法局"]
        assert first.units == ["区司法局", "区市场监管局", "区城管执法局"]
        assert notice.tasks[3].lead_units == ["区司法局"]

    def test_br_in_cells(self, notice):
        assert notice.tasks[0].text == "全面梳理公示事项。对照清单逐项核查。"
        assert notice.tasks[1].deadlines[0].date == d(2025, 5, 15)  # "2025年<br>5月15日"
        assert [x.date for x in notice.tasks[3].deadlines] == [d(2025, 9, 30), d(2025, 12, 31)]

    def test_script_text_is_ignored(self, notice):
        assert all("var x" not in line for line in notice.source_lines)


class TestInlineUnits:
    @pytest.fixture(scope="class")
    @classmethod
    def notice(cls):
        return parse_notice(INLINE_TEXT.encode("gbk"), filename="inline.txt")

    def test_gbk_is_decoded(self, notice):
        assert notice.title == "黄石市人民政府办公室关于推进行政执法监督工作的通知"
        assert notice.doc_number == "黄政办发〔2024〕33号"

    def test_round_brackets(self, notice):
        one = notice.tasks[0]
        assert one.lead_units == ["市司法局"]
        assert one.units == ["市司法局", "各县(市、区)政府"]
        assert one.text == "建立行政执法监督员制度。各地要选聘特邀行政执法监督员。"
        assert one.deadlines[0].date == d(2024, 10, 31)

    def test_square_brackets_with_cooperating_units(self, notice):
        two = notice.tasks[1]
        assert two.lead_units == ["市政数局"]
        assert two.units == ["市政数局", "市司法局", "各行政执法主体"]
        assert two.is_standing

    def test_addressee_with_brackets_is_one_unit(self, notice):
        assert notice.addressees == ["各县(市、区)人民政府", "市政府各部门"]


class TestUnitCells:
    def test_brackets_protect_the_enumeration_comma(self):
        assert split_units("各县(市、区)政府") == ([], ["各县(市、区)政府"])

    def test_first_comma_group_leads(self):
        assert split_units("区委编办,区司法局、区政数局,各街办") == (
            ["区委编办"],
            ["区委编办", "区司法局", "区政数局", "各街办"],
        )

    def test_half_width_commas(self):
        assert split_units("区司法局,各街办、区直各行政执法部门")[0] == ["区司法局"]

    def test_single_group_has_no_lead(self):
        assert split_units("各街办(园区)、区直各行政执法部门")[0] == []


class TestDeadlinePhrases:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("2024年11月15日", [d(2024, 11, 15)]),
            ("2024年\n\n8月15日", [d(2024, 8, 15)]),
            ("2024年10月底", [d(2024, 10, 31)]),
            ("2024年2月底", [d(2024, 2, 29)]),
            ("2024年10月底\n2025年9月底", [d(2024, 10, 31), d(2025, 9, 30)]),
            ("2024年底前", [d(2024, 12, 31)]),
            ("年底前", [d(2026, 12, 31)]),
            ("年内", [d(2026, 12, 31)]),
            ("3月底前", [d(2026, 3, 31)]),
            ("4月上旬", [d(2026, 4, 10)]),
            ("5月中旬前", [d(2026, 5, 20)]),
            ("6月下旬", [d(2026, 6, 30)]),
            ("7月15日前", [d(2026, 7, 15)]),
            ("2024年11月前", [d(2024, 11, 30)]),
        ],
    )
    def test_dates(self, cell, expected):
        deadlines, _ = parse_deadline_cell(cell, 2026)
        assert [x.date for x in deadlines] == expected

    @pytest.mark.parametrize("cell", ["长期坚持", "持续推进", "常态化推进"])
    def test_standing(self, cell):
        deadlines, _ = parse_deadline_cell(cell, 2026)
        assert [x.standing for x in deadlines] == [True]

    def test_relative_phrase_without_a_year_has_no_date(self):
        deadlines, _ = parse_deadline_cell("3月底前", None)
        assert deadlines == []

    def test_period_from_an_event(self):
        deadlines, milestones = parse_deadline_cell("于变化之日起30日内", 2026)
        assert deadlines == []
        assert [(m.date, m.period) for m in milestones] == [(None, "变化之日起30日内")]

    def test_impossible_date_is_not_invented(self):
        deadlines, _ = parse_deadline_cell("2024年2月30日", 2026)
        assert deadlines == []


class TestYear:
    def test_year_option_for_relative_phrases(self):
        text = "关于做好培训工作的通知\n分类\n工作任务\n责任单位\n完成时限\n一、培训\n1.组织培训。按计划组织。\n区司法局\n3月底前\n"
        assert parse_notice(text.encode(), year=2027).tasks[0].deadlines[0].date == d(2027, 3, 31)

    def test_without_year_relative_phrases_stay_open(self):
        text = "关于做好培训工作的通知\n分类\n工作任务\n责任单位\n完成时限\n一、培训\n1.组织培训。按计划组织。\n区司法局\n3月底前\n"
        notice = parse_notice(text.encode())
        assert notice.year is None
        assert notice.tasks[0].deadlines == []
        assert notice.tasks[0].deadline_text == "3月底前"


class TestBadInput:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "文件是空的"),
            (b"   \n\n ", "文件是空的"),
            ("今天天气很好,我们去公园散步。".encode(), "不像是一份通知"),
            ("关于做好某项工作的通知\n各单位:\n请认真落实。".encode(), "没有找到可识别的任务清单"),
            (bytes(range(128, 256)) * 40, "无法识别文件编码"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Word"),
            (b"%PDF-1.7 ...", "PDF"),
        ],
    )
    def test_clear_chinese_errors(self, data, message):
        with pytest.raises(NoticeError, match=message):
            parse_notice(data, filename="upload.bin")

    def test_too_large(self):
        with pytest.raises(NoticeError, match="文件过大"):
            parse_notice(b"x" * 2048, max_bytes=1024)

    def test_broken_docx(self):
        with pytest.raises(NoticeError, match="无法打开该 Word 文件"):
            parse_notice(b"PK\x03\x04 not really a zip", filename="a.docx")
