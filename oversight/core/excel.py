"""Excel in and out: workbooks for exports, and reading uploaded sheets row by row for imports.

Imports are all-or-nothing: a service validates every row, collects the errors with their row
numbers and writes nothing unless every row is valid (`ImportFailed`).
"""

from __future__ import annotations

import datetime
import decimal
import io
import itertools
import json
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import load_workbook

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


def _width(text: str) -> int:
    return sum(2 if ord(c) > 255 else 1 for c in text) + 2


def workbook_bytes(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> bytes:
    """Build an .xlsx from (title, headers, rows) triples; headers bold, columns sized to fit.

    Rows are written as they are read (an iterator of a million rows is never held in memory):
    each sheet's XML goes straight into the zip entry, texts kept in their cells. Column widths
    are sized from the header and the first 500 rows. Values go through `cell_value`.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        book = _Book(package)
        for title, headers, rows in sheets:
            book.sheet(title, headers, rows)
        book.close()
    return out.getvalue()


# Characters a worksheet cannot hold (XML 1.0 forbids them): C0 controls but tab and newlines,
# lone surrogates and the two non-characters.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A text starting with one of these is read as a formula by spreadsheet programs (CSV/formula
# injection, OWASP): such cells are written as text with Excel's quote prefix.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit: a longer text makes Excel "repair" the file


def cell_value(value: Any) -> Any:
    """Any Python value as something a worksheet cell holds: text, number, date or empty.

    Booleans read 是/否; aware datetimes are shown in Beijing time; model objects, choices and
    everything else become their text; characters a worksheet cannot hold are dropped.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal):
        return value if value.is_finite() else str(value)
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
    text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


# The package around the sheets (ECMA-376 SpreadsheetML, the parts every reader requires).
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell formats (the `s` of a cell): 0 plain, 1 header, 2 date, 3 date and time, 4 time (the
# built-in h:mm:ss), 5 text that must stay text (quote prefix).
_STYLES = (
    _XML + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F3"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"'
    ' applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EPOCH = datetime.datetime(1899, 12, 30)
_CHUNK_ROWS = 1000


def _column(index: int) -> str:
    """The letters of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(text: str) -> str:
    """A text kept in its cell (no shared-string table: memory stays flat over a million rows)."""
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{_escape(text)}</t></is>"


class _Book:
    """Writes the sheets of one workbook into a zip as they come, then the parts naming them."""

    def __init__(self, package: zipfile.ZipFile):
        self.package = package
        self.titles: list[str] = []
        # A ledger repeats its unit names, task titles and states thousands of times: each text's
        # cell body is made once (bounded: cleared when it grows large).
        self.texts: dict[str, str] = {}

    def _text(self, text: str) -> str:
        body = self.texts.get(text)
        if body is None:
            clean = cell_value(text)
            style = ' s="5"' if clean.startswith(_FORMULA_START) else ""
            body = f'{style} t="inlineStr">{_inline(clean)}</c>'
            if len(self.texts) > 20_000:
                self.texts.clear()
            self.texts[text] = body
        return body

    def _cell(self, ref: str, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return f'<c r="{ref}"{self._text(value)}'
        if kind is int:
            return f'<c r="{ref}"><v>{value}</v></c>'
        value = cell_value(value)
        if value is None:
            return ""
        if isinstance(value, str):
            return f'<c r="{ref}"{self._text(value)}'
        if isinstance(value, int | float | decimal.Decimal):
            return f'<c r="{ref}"><v>{value}</v></c>'
        if isinstance(value, datetime.datetime):
            delta = value - _EPOCH
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
            return f'<c r="{ref}" s="3"><v>{serial!r}</v></c>'
        if isinstance(value, datetime.date):
            return f'<c r="{ref}" s="2"><v>{(value - _EPOCH.date()).days}</v></c>'
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'<c r="{ref}" s="4"><v>{seconds / 86400!r}</v></c>'

    def _row(self, number: int, letters: list[str], values: Sequence[Any]) -> str:
        while len(letters) < len(values):
            letters.append(_column(len(letters)))
        cells = "".join(
            self._cell(f"{letters[i]}{number}", v) for i, v in enumerate(values) if v is not None
        )
        return f'<row r="{number}">{cells}</row>'

    def sheet(self, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        title = re.sub(r"[\\/?*\[\]:]", "_", title)[:31] or f"Sheet{len(self.titles) + 1}"
        while title in self.titles:  # Excel refuses two sheets of one name
            title = f"{title[:28]}_{len(self.titles) + 1}"
        self.titles.append(title)
        rows = iter(rows)
        first = [list(row) for row in itertools.islice(rows, 500)]
        widths = [max(6, _width(str(h)) + 2) for h in headers]
        for row in first:
            for i, value in enumerate(row[: len(widths)]):
                value = cell_value(value)
                if value is not None:
                    widths[i] = min(60, max(widths[i], _width(str(value))))
        letters: list[str] = []
        name = f"xl/worksheets/sheet{len(self.titles)}.xml"
        with self.package.open(name, "w") as part:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            )
            header = "".join(
                f'<c r="{_column(i)}1" s="1" t="inlineStr">{_inline(cell_value(h) or "")}</c>'
                for i, h in enumerate(headers)
            )
            part.write(
                (
                    _XML + f'<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}">'
                    '<sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                    "</sheetView></sheetViews>"
                    '<sheetFormatPr defaultRowHeight="15"/>'
                    f"{'<cols>' + cols + '</cols>' if cols else ''}"
                    f'<sheetData><row r="1">{header}</row>'
                ).encode()
            )
            number = 1
            for chunk in itertools.chain(
                [first], iter(lambda: list(itertools.islice(rows, _CHUNK_ROWS)), [])
            ):
                lines = []
                for values in chunk:
                    number += 1
                    lines.append(self._row(number, letters, values))
                part.write("".join(lines).encode("utf-8"))
            part.write(b"</sheetData></worksheet>")

    def close(self) -> None:
        if not self.titles:  # a workbook holds at least one sheet
            self.sheet("Sheet1", [], [])
        write = self.package.writestr
        count = len(self.titles)
        sheets = "".join(
            f'<sheet name="{_escape(t).replace(chr(34), "&quot;")}" sheetId="{i}" r:id="rId{i}"/>'
            for i, t in enumerate(self.titles, start=1)
        )
        write(
            "[Content_Types].xml",
            _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, count + 1)
            )
            + '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>",
        )
        write(
            "_rels/.rels",
            _XML + f'<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        write(
            "xl/workbook.xml",
            _XML + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
            f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>",
        )
        write(
            "xl/_rels/workbook.xml.rels",
            _XML
            + f'<Relationships xmlns="{_PKG_REL_NS}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, count + 1)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        write("xl/styles.xml", _STYLES)


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
