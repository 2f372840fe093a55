"""Format readers: plain text (a table flattened into lines), .docx tables, .html tables.

Each reader returns the header lines, the source lines shown to the user, and feeds the task table
into a PlanBuilder. Line numbers in the result point into `source_lines`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .dates import is_deadline_cell
from .errors import NoticeError
from .structure import ITEM, PART, SECTION, PlanBuilder, heading_kind
from .text import clean_line, to_fullwidth_brackets
from .units import is_unit_cell, split_units

TABLE_HEADER_CELLS = {
    "分类", "类别", "序号", "工作任务", "主要任务", "任务内容", "工作内容", "具体措施", "重点任务",
    "责任单位", "牵头单位", "配合单位", "完成时限", "完成时间", "时间节点", "时限要求", "备注",
}  # fmt: skip
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[::]?\s*$|^附件\s*\d*$")


@dataclass
class Source:
    header_lines: list[str]
    source_lines: list[str]
    format: str
    # Paragraphs after the task table: the issuer's signature and the date often stand there.
    trailer_lines: list[str] = field(default_factory=list)


# -- plain text ------------------------------------------------------------------------------
def read_text(text: str, builder: PlanBuilder) -> Source:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [clean_line(line) for line in raw_lines]
    start = _table_start(lines)
    header_lines = lines[:start] if start is not None else lines
    if start is not None:
        for number, line in enumerate(lines[start:], start=start + 1):
            if not line:
                continue
            _feed_line(builder, line, number)
    return Source(header_lines=header_lines, source_lines=lines, format="text")


def _table_start(lines: list[str]) -> int | None:
    """Index of the first line of the task table: after its column headings, or the first heading."""
    header_hits = [i for i, line in enumerate(lines) if line in TABLE_HEADER_CELLS]
    if header_hits:
        # The column headings stand together; the table starts after the last of the first cluster.
        last = header_hits[0]
        for i in header_hits[1:]:
            if i - last > 4:
                break
            last = i
        return last + 1
    for i, line in enumerate(lines):
        if heading_kind(line) or (ITEM.match(line) and "。" in line):
            return i
    return None


def _feed_line(builder: PlanBuilder, line: str, number: int) -> None:
    kind = heading_kind(line)
    if kind:
        builder.heading(line, number)
        return
    section = SECTION.match(to_fullwidth_brackets(line))
    if section and "。" in line and heading_kind(line.partition("。")[0]) == "section":
        # "(一)推进综合行政执法改革。整合执法队伍……牵头单位:…": a heading that is itself a task.
        builder.heading(line.partition("。")[0], number)
        builder.start_section_task(section.group(2), number)
        return
    item = ITEM.match(line)
    if item and not is_deadline_cell(line):
        builder.start_item(item.group(1), item.group(2), number)
        return
    current = builder.current
    if is_unit_cell(line) and (current is None or not current.deadline_text):
        builder.add_units(line, number)
        return
    if (
        is_deadline_cell(line)
        and current is not None
        and (current.units_text or current.deadline_text)
    ):
        builder.add_deadline(line, number)
        return
    builder.add_text(line, number)


# -- tables (docx, html) ---------------------------------------------------------------------
@dataclass
class Columns:
    category: int | None = None
    number: int | None = None
    task: int | None = None
    measures: int | None = None  # 具体措施 beside 工作任务: the task's text
    lead: int | None = None
    units: int | None = None
    deadline: int | None = None


def _columns(header: list[str]) -> Columns | None:
    cols = Columns()
    for i, cell in enumerate(header):
        name = cell.replace(" ", "")
        if name in {"分类", "类别", "项目", "领域"} and cols.category is None:
            cols.category = i
        elif name in {"序号", "编号"}:
            cols.number = i
        elif "牵头单位" in name:
            cols.lead = i
        elif "责任单位" in name or "配合单位" in name or "协办单位" in name:
            if cols.units is None:
                cols.units = i
        elif "时限" in name or "时间" in name or "节点" in name:
            cols.deadline = i
        elif "措施" in name:
            if cols.measures is None:
                cols.measures = i
        elif ("任务" in name or "内容" in name) and cols.task is None:
            cols.task = i
    if cols.task is None:
        cols.task, cols.measures = cols.measures, None
    if cols.task is None or (cols.units is None and cols.lead is None and cols.deadline is None):
        return None
    return cols


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def feed_table(builder: PlanBuilder, rows: list[tuple[int, list[str]]]) -> bool:
    """Feed table rows (source line number, cells) into the builder; False if no task table."""
    cols = None
    for position, (_, cells) in enumerate(rows):
        cols = _columns(cells)
        if cols:
            rows = rows[position + 1 :]
            break
    if cols is None:
        return False
    for line, cells in rows:
        filled = [c for c in cells if c.strip()]
        if filled and len(set(filled)) == 1 and heading_kind(filled[0].split("\n")[0]):
            # A row spanning the table: a part or section heading.
            for text in filled[0].split("\n"):
                builder.heading(text, line)
            continue
        for text in _cell(cells, cols.category).split("\n"):
            if heading_kind(text):
                builder.heading(text, line)
        task_lines = [t.strip() for t in _cell(cells, cols.task).split("\n") if t.strip()]
        measures = _cell(cells, cols.measures).replace("\n", "")
        if measures and task_lines:
            # The task names the work, the measures say how: "任务。措施".
            last = task_lines[-1].rstrip("。")
            task_lines = [*task_lines[:-1], f"{last}。{measures}"]
        number = _cell(cells, cols.number)
        if task_lines:
            first = task_lines[0]
            if (PART.match(first) and heading_kind(first)) or (
                SECTION.match(first) and heading_kind(first)
            ):
                builder.heading(first, line)
                task_lines = task_lines[1:]
        if task_lines:
            item = ITEM.match(task_lines[0])
            if item:
                builder.start_item(item.group(1), "".join([item.group(2), *task_lines[1:]]), line)
            elif number and number.rstrip(".、").isdigit():
                builder.start_item(number.rstrip(".、"), "".join(task_lines), line)
            elif builder.section and not builder.section_used:
                builder.start_section_task("".join(task_lines), line)
            else:
                builder.add_text("".join(task_lines), line)
        lead = _cell(cells, cols.lead)
        units = _cell(cells, cols.units)
        if lead or units:
            text = ",".join(x for x in (lead.replace("\n", "、"), units.replace("\n", "、")) if x)
            lead_names = split_units(lead.replace("\n", "、"))[1] if cols.lead is not None else None
            builder.add_units(text, line, lead=lead_names)
        deadline = _cell(cells, cols.deadline)
        if deadline:
            builder.add_deadline(deadline, line)
    return True


def read_docx(data: bytes, builder: PlanBuilder) -> Source:
    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = Document(io.BytesIO(data))
    except Exception as exc:
        raise NoticeError(
            "无法打开该 Word 文件:请确认是 .docx 格式(旧版 .doc 请先另存为 .docx)。"
        ) from exc
    header_lines: list[str] = []
    trailer_lines: list[str] = []
    source_lines: list[str] = []
    tables: list[list[tuple[int, list[str]]]] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_line(Paragraph(child, document).text)
            source_lines.append(text)
            (trailer_lines if tables else header_lines).append(text)
        elif tag == "tbl":
            table = Table(child, document)
            rows = []
            for row in table.rows:
                cells = []
                seen = set()
                for cell in row.cells:
                    # A horizontally merged cell appears once per grid column: keep it once.
                    if id(cell._tc) in seen:
                        cells.append("")
                        continue
                    seen.add(id(cell._tc))
                    cells.append(
                        "\n".join(clean_line(p.text) for p in cell.paragraphs if clean_line(p.text))
                    )
                source_lines.append(" | ".join(c.replace("\n", " ") for c in cells))
                rows.append((len(source_lines), cells))
            tables.append(rows)
    for rows in tables:
        if feed_table(builder, rows):
            break
    else:
        # No task table: the tasks may be paragraphs with their units written inline.
        _feed_paragraphs(builder, source_lines)
    return Source(
        header_lines=header_lines,
        source_lines=source_lines,
        format="docx",
        trailer_lines=trailer_lines,
    )


def _feed_paragraphs(builder: PlanBuilder, lines: list[str]) -> None:
    start = _table_start(lines)
    if start is None:
        return
    for number, line in enumerate(lines[start:], start=start + 1):
        if line:
            _feed_line(builder, line, number)


_BLOCK = {
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "section",
    "article",
    "table",
    "title",
}


def read_html(text: str, builder: PlanBuilder) -> Source:
    try:
        import lxml.html

        root = lxml.html.document_fromstring(text)
    except Exception as exc:
        raise NoticeError("无法解析该网页文件:请确认是完整的 .html 页面。") from exc
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.getparent().remove(bad)
    source_lines: list[str] = []
    header_lines: list[str] = []
    trailer_lines: list[str] = []
    table_rows: list[list[tuple[int, list[str]]]] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            rows = _html_table(element)
            block = []
            for cells in rows:
                source_lines.append(" | ".join(c.replace("\n", " ") for c in cells))
                block.append((len(source_lines), cells))
            table_rows.append(block)
            _tail(element)
            return
        if tag in _BLOCK:
            _newline()
        if element.text:
            _append(element.text)
        for child in element:
            walk(child)
        if tag in _BLOCK:
            _newline()
        _tail(element)

    buffer: list[str] = []

    def _append(value: str) -> None:
        buffer.append(value)

    def _newline() -> None:
        line = clean_line("".join(buffer))
        buffer.clear()
        if line:
            source_lines.append(line)
            (trailer_lines if table_rows else header_lines).append(line)

    def _tail(element) -> None:
        if element.tail:
            _append(element.tail)

    walk(root)
    _newline()
    for rows in table_rows:
        if feed_table(builder, rows):
            break
    else:
        _feed_paragraphs(builder, source_lines)
    return Source(
        header_lines=header_lines,
        source_lines=source_lines,
        format="html",
        trailer_lines=trailer_lines,
    )


def _html_table(table) -> list[list[str]]:
    """Rows of an HTML table with rowspan and colspan expanded into a grid."""
    grid: list[list[str | None]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows left, text)
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[str] = []
        col = 0
        cells = tr.xpath("./td|./th")
        queue = list(cells)
        while queue or col in pending:
            if col in pending:
                left, text = pending[col]
                row.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (left - 1, text)
                col += 1
                continue
            cell = queue.pop(0)
            text = _cell_text(cell)
            try:
                rowspan = max(1, int(cell.get("rowspan", "1")))
                colspan = max(1, int(cell.get("colspan", "1")))
            except ValueError:
                rowspan = colspan = 1
            for offset in range(colspan):
                row.append(text if offset == 0 else "")
                if rowspan > 1:
                    pending[col] = (rowspan - 1, text)
                col += 1
        grid.append(row)
    return [[c or "" for c in row] for row in grid]


def _cell_text(cell) -> str:
    parts: list[str] = []
    for block in cell.xpath(".//p|.//div|.//li") or [cell]:
        text = clean_line(block.text_content())
        if text:
            parts.append(text)
    if not parts:
        return ""
    # Nested blocks repeat their parents' text; keep the innermost distinct lines.
    unique: list[str] = []
    for p in parts:
        if p not in unique and not any(p in u and p != u for u in unique):
            unique = [u for u in unique if u not in p or u == p]
            unique.append(p)
    return "\n".join(unique)
