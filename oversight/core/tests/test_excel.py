"""The one export helper: every value a cell can hold, no formula injection, no illegal characters."""

import datetime
import decimal
import io

from openpyxl import load_workbook

from oversight.core.excel import workbook_bytes


class Thing:
    def __str__(self) -> str:
        return "某单位"


def _rows(content: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(ws.iter_rows(values_only=True))


def test_objects_and_odd_values_become_text_numbers_or_dates():
    aware = datetime.datetime(2024, 6, 1, 2, 0, tzinfo=datetime.UTC)
    content = workbook_bytes(
        [
            (
                "表",
                ["对象", "布尔", "金额", "时间", "集合", "无穷"],
                [[Thing(), True, decimal.Decimal("1.50"), aware, {"b", "a"}, float("inf")]],
            )
        ]
    )
    _header, row = _rows(content)
    assert row[0] == "某单位"
    assert row[1] == "是"
    assert row[2] == 1.5
    # Shown in Beijing time, without a zone (Excel has none).
    assert row[3] == datetime.datetime(2024, 6, 1, 10, 0)
    assert row[4] == '["a", "b"]'
    assert row[5] == "inf"


def test_control_characters_are_dropped_not_fatal():
    content = workbook_bytes([("表", ["名称"], [["x\x01y\x1f"], ["换\n行\t制表"]])])
    assert [r[0] for r in _rows(content)[1:]] == ["xy", "换\n行\t制表"]


def test_formula_like_text_stays_text():
    values = ['=HYPERLINK("http://x","点击")', "+1+1", "-2+3", "@SUM(A1)", "普通"]
    content = workbook_bytes([("表", ["值"], [[v] for v in values])])
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == values
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False]
    # Numbers are still numbers, negative ones included.
    content = workbook_bytes([("表", ["值"], [[-5]])])
    assert _rows(content)[1][0] == -5


def test_a_workbook_of_several_sheets_reads_back_with_its_layout():
    day = datetime.date(2026, 10, 15)
    moment = datetime.datetime(2026, 10, 15, 9, 30, 5)
    wide = [f"列{i}" for i in range(30)]  # past Z: AA, AB, …
    content = workbook_bytes(
        [
            ("各单位情况", ["单位", "日期", "时间", "钟点", "小数"],
             [["区市场监管局", day, moment, datetime.time(8, 15), 0.25]]),
            ("各单位情况", wide, [list(range(30))]),  # the same title twice
            ("逾期:事项/明细?", ["说明"], [["  前后有空格 "], ["a & b < c > d"]]),
        ]
    )  # fmt: skip
    wb = load_workbook(io.BytesIO(content))
    first, second, third = wb.worksheets
    assert [ws.title for ws in wb.worksheets] == ["各单位情况", "各单位情况_2", "逾期_事项_明细_"]
    header = first[1]
    assert [c.value for c in header] == ["单位", "日期", "时间", "钟点", "小数"]
    assert all(c.font.b for c in header) and header[0].fill.fgColor.rgb == "FFDDE7F3"
    assert first.freeze_panes == "A2"
    assert first.column_dimensions["A"].width > first.column_dimensions["E"].width
    unit, on, at, clock, share = (c.value for c in first[2])
    assert (unit, on.date(), at, clock, share) == (
        "区市场监管局", day, moment, datetime.time(8, 15), 0.25,
    )  # fmt: skip
    assert first["B2"].number_format == "yyyy-mm-dd"
    assert [c.value for c in second[2]] == list(range(30))
    assert second["AD1"].value == "列29"
    assert [r[0] for r in third.iter_rows(min_row=2, values_only=True)] == [
        "  前后有空格 ",
        "a & b < c > d",
    ]


def test_a_text_longer_than_a_cell_holds_is_cut_with_an_ellipsis():
    content = workbook_bytes([("表", ["长文"], [["字" * 40000]])])
    value = _rows(content)[1][0]
    assert len(value) == 32767 and value.endswith("…")


def test_a_generator_of_thousands_of_rows_is_written_whole():
    taken = []

    def rows():
        for i in range(3000):
            taken.append(i)
            yield [i, f"第{i}行"]

    content = workbook_bytes([("表", ["序号", "名称"], rows())])
    read = _rows(content)
    assert len(read) == 3001 and read[-1] == (2999, "第2999行")
    assert taken == list(range(3000))


def test_a_workbook_without_sheets_still_opens():
    assert load_workbook(io.BytesIO(workbook_bytes([]))).worksheets[0].title == "Sheet1"
