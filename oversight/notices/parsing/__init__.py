"""Reading a notice (plain text, .docx, .html) into a plan: header, tasks, units, deadlines.

Pure Python with no database: `resolver` (a name → bool function) decides which unit names are
known; the platform passes one backed by the unit registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import NoticeError
from .header import body_tasks, infer_year, parse_header, year_in_words
from .model import Deadline, Milestone, ParsedNotice, ParsedTask
from .readers import read_docx, read_html, read_text, refeed
from .structure import PlanBuilder, assign_refs
from .text import decode

__all__ = ["Deadline", "Milestone", "NoticeError", "ParsedNotice", "ParsedTask", "parse_notice"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def detect_format(data: bytes, filename: str = "") -> str:
    name = filename.lower()
    if data.startswith(b"PK\x03\x04") or name.endswith(".docx"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".doc"):
        raise NoticeError("暂不支持旧版 Word(.doc)文件:请在 Word 中另存为 .docx 后上传。")
    if data.startswith(b"%PDF") or name.endswith(".pdf"):
        raise NoticeError(
            "暂不支持 PDF:请上传 Word(.docx)、网页(.html)或文本文件,或直接粘贴通知全文。"
        )
    head = data[:4096].lstrip().lower()
    if (
        name.endswith((".html", ".htm"))
        or head.startswith((b"<!doctype html", b"<html"))
        or b"<table" in data[:200000].lower()
    ):
        return "html"
    return "text"


def parse_notice(
    data: bytes | str,
    *,
    filename: str = "",
    year: int | None = None,
    resolver: Callable[[str], bool] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedNotice:
    """Parse a notice; raises NoticeError with a Chinese message when it cannot be read."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise NoticeError(
            f"文件过大({len(raw) / 1024 / 1024:.1f} MB),上限为 {max_bytes // 1024 // 1024} MB。"
        )
    fmt = detect_format(raw, filename)
    if fmt == "docx":
        probe = PlanBuilder(year)
        source = read_docx(raw, probe)
    else:
        text = data if isinstance(data, str) else decode(raw)
        if not text.strip():
            raise NoticeError("文件是空的:请上传或粘贴通知全文。")
        probe = PlanBuilder(year)
        source = read_html(text, probe) if fmt == "html" else read_text(text, probe)
    header = parse_header(source.header_lines, trailer=source.trailer_lines)
    # The year for relative phrases: given, else the notice's date or number, else the table's.
    notice_year = year
    warnings: list[str] = []
    if notice_year is None and header["date"]:
        notice_year = header["date"].year
    if notice_year is None and header["doc_number"]:
        digits = "".join(c for c in header["doc_number"] if c.isdigit())
        notice_year = int(digits[:4]) if len(digits) >= 4 else None
    if notice_year is None:
        notice_year = infer_year([t.deadline_text + t.text for t in probe.tasks])
        if notice_year is None:
            # The document's own year words: "2023年法治政府建设工作要点".
            notice_year = year_in_words([header["title"], *source.header_lines[:12]])
        if notice_year is not None:
            warnings.append(f"通知未写成文日期,相对日期按 {notice_year} 年换算;如不对请指定年份。")
    if notice_year != year:
        # Parse again with the year now known, so relative phrases get their dates.
        builder = PlanBuilder(notice_year)
        refeed(source, builder)
    else:
        builder = probe
    tasks = builder.result()
    assign_refs(tasks)
    if any(FIRST_LEADS.search(line) for line in [*source.header_lines, *source.source_lines]):
        # "(第一责任单位为牵头单位,下同)": a rule for the rest of the document.
        for task in tasks:
            if not task.lead_units and task.units:
                task.lead_units = [task.units[0]]
    if not header["title"] and not tasks:
        raise NoticeError("这不像是一份通知:没有找到通知标题,也没有找到任务清单。")
    if not tasks:
        raise NoticeError(
            "没有找到可识别的任务清单:任务应按“一、”“(一)”“1.”分级编号,并写明责任单位和完成时限。"
        )
    notice = ParsedNotice(
        title=header["title"] or tasks[0].title,
        issuer=header["issuer"],
        doc_number=header["doc_number"],
        date=header["date"],
        addressees=header["addressees"],
        tasks=tasks,
        body_tasks=body_tasks(source.header_lines, notice_year),
        year=notice_year,
        source_format=fmt,
        source_lines=source.source_lines,
        warnings=warnings + builder.warnings,
    )
    if not header["title"]:
        caption = _table_caption(source.header_lines)
        if caption:
            notice.title = caption
            notice.warnings.insert(
                0, f"通知没有标题,已用任务表的表名“{caption}”作标题,请在确认前核对。"
            )
        else:
            notice.warnings.insert(0, "没有找到通知标题,已用第一项任务代替,请在确认前修改。")
    if resolver is not None:
        notice.unknown_units = [n for n in notice.all_unit_names() if not resolver(n)]
    return notice


FIRST_LEADS = re.compile(r"(第一|排在首位的|排名第一的|列第一位的)责任单位为牵头(责任)?单位")
_CAPTION = re.compile(
    r"(分工表|任务表|分解表|责任表|分工|分解|清单|方案|计划|要点|台账|一览表|计划表|任务书|安排)$"
)


def _table_caption(lines: list[str]) -> str | None:
    """A bare attachment's table name ("2025年法治政府建设重点任务分工表"), the nearest above the table."""
    for line in reversed([ln.strip() for ln in lines if ln.strip()]):
        if 4 <= len(line) <= 60 and "。" not in line and _CAPTION.search(line):
            return line
    return None
