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
from .structure import ITEM, PART, SECTION, PlanBuilder, heading_kind, numbered
from .text import canonical, clean_line
from .units import is_unit_cell, split_units

TABLE_HEADER_CELLS = {
    "分类", "类别", "序号", "工作任务", "主要任务", "任务内容", "工作内容", "具体措施", "重点任务",
    "责任单位", "牵头单位", "配合单位", "完成时限", "完成时间", "时间节点", "时限要求", "备注",
    "牵头责任单位", "协办单位", "责任部门", "牵头部门", "配合部门", "责任领导", "分管领导",
    "工作措施", "时间要求", "完成期限", "进展情况", "编号",
}  # fmt: skip
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[::]?\s*$|^附件\s*\d*$")
BARE_NUMBER = re.compile(r"^\d{1,3}[.、]?$")


@dataclass
class Source:
    header_lines: list[str]
    source_lines: list[str]
    format: str
    # Paragraphs after the task table: the issuer's signature and the date often stand there.
    trailer_lines: list[str] = field(default_factory=list)
    # What the reader extracted, kept so the plan can be read again (with the year now known)
    # without opening the file again: tables as (line, cells) rows, paragraphs as (line, text).
    tables: list[list[tuple[int, list[str]]]] = field(default_factory=list)
    paragraphs: list[tuple[int, str]] = field(default_factory=list)


def refeed(source: Source, builder: PlanBuilder) -> None:
    """Feed an extracted document into a (new) builder."""
    if source.format == "text":
        _feed_text(source.source_lines, builder)
    else:
        _feed_blocks(builder, source.tables, source.paragraphs, source.source_lines)


# -- plain text ------------------------------------------------------------------------------
def read_text(text: str, builder: PlanBuilder) -> Source:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [clean_line(line) for line in raw_lines]
    header_lines, trailer_lines = _feed_text(lines, builder)
    return Source(
        header_lines=header_lines, source_lines=lines, format="text", trailer_lines=trailer_lines
    )


def _feed_text(lines: list[str], builder: PlanBuilder) -> tuple[list[str], list[str]]:
    start = _table_start(lines)
    if start is None:
        return lines, []
    end = _signature_start(lines, start)
    builder.lead_column_first = _lead_column_first(lines[max(0, start - 8) : start])
    for number, line in enumerate(lines[start:end], start=start + 1):
        if line:
            _feed_line(builder, line, number)
    return lines[:start], lines[end:]


SIGNATURE_DATE = re.compile(
    r"^(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日$"
)
AFTER_SIGNATURE = re.compile(r"^\(此件.{0,8}\)$|^抄送|^印发|^主办|^(联系人|联系电话)")


def _signature_start(lines: list[str], start: int) -> int:
    """Where the issuer's signature and date close the document after the task list."""
    index = len(lines)
    while index > start and (not lines[index - 1] or AFTER_SIGNATURE.match(lines[index - 1])):
        index -= 1
    if index > start and SIGNATURE_DATE.match(lines[index - 1].replace(" ", "")):
        date_line = index - 1
        index = date_line
        while index > start and not lines[index - 1]:
            index -= 1
        signers = index
        while signers > start and ISSUER.match(lines[signers - 1].replace(" ", "")):
            signers -= 1
        if signers < index:
            return signers
    return len(lines)


# The issuer's name alone on its line, as it signs: no list, no sentence.
ISSUER = re.compile(r"^[\u4e00-\u9fa5()]{4,40}(政府|办公室|办公厅|委员会|局|办|委|院|中心|厅)$")


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


def _lead_column_first(cells: list[str]) -> bool:
    """Column headings of a flattened table with 牵头单位 before 责任单位/配合单位."""
    names = [c.replace(" ", "") for c in cells]
    lead = next((i for i, n in enumerate(names) if "牵头" in n), None)
    others = next(
        (i for i, n in enumerate(names) if "牵头" not in n and ("单位" in n or "部门" in n)), None
    )
    return lead is not None and others is not None and lead < others


def _feed_line(builder: PlanBuilder, line: str, number: int) -> None:
    kind = heading_kind(line)
    if kind:
        builder.heading(line, number)
        return
    section = SECTION.match(canonical(line))
    if section and "。" in line and heading_kind(line.partition("。")[0]) == "section":
        # "(一)推进综合行政执法改革。整合执法队伍……牵头单位:…": a heading that is itself a task.
        builder.heading(line.partition("。")[0], number)
        builder.start_section_task(section.group(2), number)
        return
    found = numbered(line)
    if found and not is_deadline_cell(line):
        style, digits, text = found
        builder.start_item(digits, text, number, style=style)
        return
    if BARE_NUMBER.match(line) and builder.pending_number is None:
        # A flattened table's 序号 cell on its own line: the next line is the task.
        builder.finish_task()
        builder.pending_number = line.rstrip(".、")
        return
    if builder.pending_number is not None:
        builder.start_item(builder.pending_number, line, number)
        builder.pending_number = None
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
    units: list[int] = field(default_factory=list)  # 责任单位, 配合单位, 协办单位…
    deadline: int | None = None
    # Columns kept as text with the task, never read as units: 责任领导, 备注, 进展情况…
    remarks: list[tuple[int, str]] = field(default_factory=list)


UNIT_COLUMN = re.compile(r"(责任|配合|协办|参与|协同|主责|实施)(单位|部门)|^单位$")
DEADLINE_COLUMN = re.compile(
    r"时限|^完成时间|^时间节点|^时间要求|^完成期限|^截止时间|^完成日期|^进度安排|^时间安排"
)
PERSON_COLUMN = re.compile(r"领导|责任人|联系人|负责人")
TASK_COLUMN = re.compile(r"任务|内容|事项|工作$|要点|目标")


def _columns(header: list[str]) -> Columns | None:
    cols = Columns()
    for i, cell in enumerate(header):
        name = cell.replace(" ", "").replace("\n", "")
        if not name:
            continue
        if (
            name in {"项目", "领域", "板块"} or re.search(r"分类|类别", name)
        ) and cols.category is None:
            cols.category = i
        elif name in {"序号", "编号"}:
            cols.number = i
        elif PERSON_COLUMN.search(name):
            cols.remarks.append((i, name))
        elif "牵头" in name and cols.lead is None:
            cols.lead = i
        elif UNIT_COLUMN.search(name):
            cols.units.append(i)
        elif DEADLINE_COLUMN.search(name) and cols.deadline is None:
            cols.deadline = i
        elif "措施" in name:
            if cols.measures is None:
                cols.measures = i
        elif TASK_COLUMN.search(name) and cols.task is None:
            cols.task = i
        else:
            cols.remarks.append((i, name))
    if cols.task is None:
        cols.task, cols.measures = cols.measures, None
    if cols.task is None or (not cols.units and cols.lead is None and cols.deadline is None):
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
            header = cells
            rows = rows[position + 1 :]
            break
    if cols is None:
        return False
    previous_task = ""
    for index, (line, cells) in enumerate(rows):
        if cells == header:
            continue  # the header row repeated on the next page
        filled = [c for c in cells if c.strip()]
        if filled and len(set(filled)) == 1 and heading_kind(filled[0].split("\n")[0]):
            # A row spanning the table: a part or section heading.
            for text in filled[0].split("\n"):
                builder.heading(text, line)
            previous_task = ""
            continue
        for text in _cell(cells, cols.category).split("\n"):
            if heading_kind(text):
                builder.heading(text, line)
        task_cell = _cell(cells, cols.task)
        measures = _cell(cells, cols.measures).replace("\n", "")
        next_task = _cell(rows[index + 1][1], cols.task) if index + 1 < len(rows) else ""
        grouped = bool(measures and task_cell and task_cell in (previous_task, next_task))
        previous_task = task_cell
        if grouped:
            # One 重点任务 merged over several rows of 具体措施: the measures are the tasks.
            if not builder.subheads or builder.subheads[-1][1] != task_cell.replace("\n", ""):
                builder.group(task_cell.replace("\n", ""), line)
            task_lines = [measures]
        else:
            task_lines = [t.strip() for t in task_cell.split("\n") if t.strip()]
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
        lead = _cell(cells, cols.lead).replace("\n", "、")
        others = "、".join(
            _cell(cells, i).replace("\n", "、") for i in cols.units if _cell(cells, i)
        )
        if lead or others:
            text = ",".join(x for x in (lead, others) if x)
            lead_names = split_units(lead)[1] if cols.lead is not None and lead else None
            builder.add_units(text, line, lead=lead_names)
        deadline = _cell(cells, cols.deadline)
        if deadline:
            builder.add_deadline(deadline, line)
        for i, name in cols.remarks:
            builder.add_remark(name, _cell(cells, i).replace("\n", " "))
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
    paragraphs: list[tuple[int, str]] = []
    source_lines: list[str] = []
    tables: list[list[tuple[int, list[str]]]] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_line(Paragraph(child, document).text)
            source_lines.append(text)
            paragraphs.append((len(source_lines), text))
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
    header_lines, trailer_lines = _feed_blocks(builder, tables, paragraphs, source_lines)
    return Source(
        header_lines=header_lines,
        source_lines=source_lines,
        format="docx",
        trailer_lines=trailer_lines,
        tables=tables,
        paragraphs=paragraphs,
    )


def _feed_blocks(
    builder: PlanBuilder,
    tables: list[list[tuple[int, list[str]]]],
    paragraphs: list[tuple[int, str]],
    source_lines: list[str],
) -> tuple[list[str], list[str]]:
    """Feed the task table (the first table with task columns), else the paragraphs; returns the
    header lines (before the task list) and the trailer lines (after it)."""
    for rows in tables:
        if rows and feed_table(builder, rows):
            first, last = rows[0][0], rows[-1][0]
            return (
                [text for number, text in paragraphs if number < first],
                [text for number, text in paragraphs if number > last],
            )
    # No task table: the tasks may be paragraphs with their units written inline.
    start = _table_start(source_lines)
    if start is None:
        return [text for _, text in paragraphs], []
    end = _signature_start(source_lines, start)
    for number, line in enumerate(source_lines[start:end], start=start + 1):
        if line:
            _feed_line(builder, line, number)
    return source_lines[:start], source_lines[end:]


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
    paragraphs: list[tuple[int, str]] = []
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
            paragraphs.append((len(source_lines), line))

    def _tail(element) -> None:
        if element.tail:
            _append(element.tail)

    walk(root)
    _newline()
    header_lines, trailer_lines = _feed_blocks(builder, table_rows, paragraphs, source_lines)
    return Source(
        header_lines=header_lines,
        source_lines=source_lines,
        format="html",
        trailer_lines=trailer_lines,
        tables=table_rows,
        paragraphs=paragraphs,
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
    for br in cell.xpath(".//br"):
        # A line break inside a cell separates lines (units listed one per line).
        br.tail = "\u2029" + (br.tail or "")
    parts: list[str] = []
    for block in cell.xpath(".//p|.//div|.//li") or [cell]:
        for piece in block.text_content().split("\u2029"):
            text = clean_line(piece)
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
