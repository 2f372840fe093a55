"""Excel in and out: workbooks for exports, and reading uploaded sheets row by row for imports.

Imports are all-or-nothing: a service validates every row, collects the errors with their row
numbers and writes nothing unless every row is valid (`ImportFailed`).
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass
class RowError:
    row: int
    message: str
    column: str = ""  # the Excel header of the cell at fault, when one is

    def __str__(self) -> str:
        where = f"第 {self.row} 行“{self.column}”" if self.column else f"第 {self.row} 行"
        return f"{where}:{self.message}"


class ImportFailed(ValidationError):
    """Raised by an import service: nothing was written; `row_errors` says what to fix, by row."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        super().__init__([str(e) for e in row_errors])

    def by_row(self) -> dict[int, str]:
        """Every row's problems in one line (column and message each)."""
        rows: dict[int, list[str]] = {}
        for e in self.row_errors:
            rows.setdefault(e.row, []).append(str(e))
        return {row: ";".join(problems) for row, problems in rows.items()}


def _width(value: Any) -> int:
    if hasattr(value, "value"):  # a WriteOnlyCell
        value = value.value
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 255 else 1 for c in text) + 2


def workbook_bytes(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> bytes:
    """Build an .xlsx from (title, headers, rows) triples; headers bold, columns sized to fit.

    Written in openpyxl's streaming mode: a ledger of tens of thousands of rows stays fast and
    small in memory. Column widths are sized from the header and the first rows.
    """
    wb = Workbook(write_only=True)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7F3")
    centre = Alignment(horizontal="center", vertical="center")
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        rows = [[_cell(ws, v) for v in row] for row in rows]
        widths = [max(6, _width(h) + 2) for h in headers]
        for row in rows[:500]:
            for i, value in enumerate(row[: len(widths)]):
                widths[i] = min(60, max(widths[i], _width(value)))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        header_cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, centre
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Characters a worksheet cannot hold (openpyxl raises on them): C0 controls but tab and newlines.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A text starting with one of these is read as a formula by spreadsheet programs (CSV/formula
# injection, OWASP): such cells are written as text with Excel's quote prefix.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: Any) -> Any:
    """Any Python value as something a worksheet cell holds: text, number, date or empty.

    Booleans read 是/否; aware datetimes are shown in Beijing time; model objects, choices and
    everything else become their text; characters a worksheet cannot hold are dropped.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | decimal.Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value
    if isinstance(value, dict | list | tuple | set | frozenset):
        if isinstance(value, set | frozenset):
            value = sorted(value, key=str)
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    return _ILLEGAL.sub("", text)


def _cell(ws, value: Any) -> Any:
    value = cell_value(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula
        cell.quotePrefix = True  # and stays text when the user edits the cell
        return cell
    return value


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def read_sheet(
    upload, *, headers: Sequence[str], required: Sequence[str] = ()
) -> list[tuple[int, dict[str, Any]]]:
    """Rows of the first sheet as (Excel row number, {header: value}); blank rows are skipped.

    The header row must carry every name in `headers` that is `required`; other columns are read
    when present. Raises ValidationError with a Chinese message when the file is not a workbook.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise ValidationError(f"文件超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB,请拆分后分批导入。")
    try:
        data = upload.read()
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(
            "无法读取该文件:请上传 Excel 工作簿(.xlsx),可先下载导入模板。"
        ) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        header_row = next(rows)
    except StopIteration as exc:
        raise ValidationError("工作簿是空的:第 1 行应为表头。") from exc
    names = [str(h).strip() if h is not None else "" for h in header_row]
    missing = [h for h in required if h not in names]
    if missing:
        raise ValidationError(f"表头缺少列:{'、'.join(missing)}。请使用导入模板。")
    index = {h: names.index(h) for h in headers if h in names}
    result = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        values = {}
        for h, i in index.items():
            v = row[i] if i < len(row) else None
            values[h] = v.strip() if isinstance(v, str) else v
        result.append((number, values))
    wb.close()
    return result


def yes_no(value: Any, *, default: bool = False) -> bool:
    """Excel cells write booleans as 是/否, Y/N, 1/0 or TRUE/FALSE."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"是", "y", "yes", "true", "1", "√"}:
        return True
    if text in {"否", "n", "no", "false", "0", "×"}:
        return False
    raise ValueError(f"“{value}”应为“是”或“否”")


def cell_date(value: Any) -> datetime.date | None:
    """A date from a spreadsheet cell: a date value, or text such as 2024-06-01, 2024/6/1,
    2024.6.1 or 2024年6月1日. None for an empty cell; ValueError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" == value[7]:
        return datetime.date.fromisoformat(value)  # 2024-06-01, the common case of a CSV
    text = (
        str(value)
        .strip()
        .replace("/", "-")
        .replace(".", "-")
        .replace("年", "-")
        .replace("月", "-")
        .replace("日", "")
    )
    return datetime.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
