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
