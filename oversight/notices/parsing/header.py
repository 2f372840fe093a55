"""The notice's header: title, issuer, 文号, date, addressees, and duties written in the body."""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter

from .dates import find_dates, milestones_in_text
from .model import Deadline, ParsedTask
from .structure import heading_kind
from .text import canonical, split_outside_brackets
from .units import looks_like_unit

TITLE = re.compile(r"关于.+的?(通知|意见|方案|决定|办法|规定|函|通报|报告|计划|清单)$")
DOC_NUMBER = re.compile(
    r"^[\u4e00-\u9fa5]{1,12}\s*[〔\[【((]\s*(\d{4})\s*[〕\]】))]\s*\d{1,4}\s*号$"
)
DOC_NUMBER_INLINE = re.compile(
    r"(?:文号|发文字号)\s*[::]\s*([\u4e00-\u9fa5]{1,12}\s*[〔\[【((]\s*\d{4}\s*[〕\]】))]\s*\d{1,4}\s*号)"
)
DATE_LINE = re.compile(
    r"^(?:成文日期|发布日期|发文日期|日期|时间)?\s*[::]?\s*(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?$"
)
DATE_LABELLED = re.compile(
    r"(?:成文日期|发布日期|发文日期|发布时间)\s*[::]\s*(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})"
)
BODY_PARAGRAPH = re.compile(r"^([一二三四五六七八九十]{1,3})\s*、\s*(.+)$")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[::]?")
LEADING_UNITS = re.compile(r"^(.{2,60}?)(?:要|负责|应当|应|须|必须|牵头)")


ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fa5()]{4,40}(政府|办公室|办公厅|委员会|局|办|委|院|中心|厅|部)$"
)


def find_title(lines: list[str]) -> tuple[int, str] | None:
    for index, line in enumerate(lines[:40]):
        compact = line.replace(" ", "")
        if TITLE.search(compact) and len(compact) <= 120 and "《" not in compact[:2]:
            # The issuer on its own line above "关于…的通知", as a red-headed document sets it.
            above = lines[index - 1].replace(" ", "") if index else ""
            if compact.startswith("关于") and ISSUER_LINE.match(above):
                return index, above + compact
            # A long title broken over lines: "…关于印发2020年区政府" / "工作报告…的通知".
            if index and not compact.startswith("关于") and "关于" not in compact:
                joined = above + compact
                if "关于" in above and TITLE.search(joined) and len(joined) <= 120:
                    return index, joined
            return index, compact
    for index, line in enumerate(lines[:40]):
        if "通知" in line and len(line) <= 120 and not line.startswith(("为", "根据")):
            return index, line.replace(" ", "")
    return None


def parse_header(lines: list[str], trailer: list[str] | None = None) -> dict:
    """Header fields from the lines before the task table (and the date from after it)."""
    found = find_title(lines)
    title, title_index = (found[1], found[0]) if found else ("", -1)
    issuer = None
    if title and "关于" in title:
        prefix = title.split("关于", 1)[0].strip()
        issuer = prefix or None
    doc_number = None
    date = None
    addressees: list[str] = []
    for index, line in enumerate(lines):
        compact = line.replace(" ", "")
        if doc_number is None:
            m = DOC_NUMBER.match(compact) or DOC_NUMBER_INLINE.search(compact)
            if m and (m.re is DOC_NUMBER_INLINE or index <= title_index + 3 or title_index < 0):
                doc_number = canonical(m.group(1) if m.re is DOC_NUMBER_INLINE else compact)
                doc_number = (
                    doc_number.replace("[", "〔")
                    .replace("]", "〕")
                    .replace("(", "〔")
                    .replace(")", "〕")
                )
        if date is None:
            m = DATE_LINE.match(compact) or DATE_LABELLED.search(compact)
            if m:
                try:
                    date = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    date = None
        if not addressees and index > title_index >= 0 and index <= title_index + 4:
            stripped = canonical(compact)
            if stripped.endswith(":") and len(stripped) <= 80:
                names = [
                    n
                    for g in split_outside_brackets(stripped[:-1], ",")
                    for n in split_outside_brackets(g, "、")
                ]
                addressees = [n for n in names if n]
    if issuer is None:
        # The issuer signs above the date: "银川市兴庆区人民政府办公室 / 2018年8月16日".
        for lines_ in (trailer or [], lines):
            compact = [ln.replace(" ", "") for ln in lines_ if ln.strip()]
            for above, below in itertools.pairwise(compact):
                if ISSUER_LINE.match(above) and DATE_LINE.match(below):
                    issuer = above
                    break
            if issuer:
                break
    if date is None:
        for line in reversed(trailer or []):
            m = DATE_LINE.match(line.replace(" ", ""))
            if m:
                try:
                    date = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    continue
                break
    return {
        "title": title,
        "issuer": issuer,
        "doc_number": doc_number,
        "date": date,
        "addressees": addressees,
        "title_index": title_index,
    }


def body_tasks(lines: list[str], year: int | None) -> list[ParsedTask]:
    """Numbered paragraphs of the notice body (一、…。) become body duties with their dates."""
    tasks = []
    for index, line in enumerate(lines, start=1):
        line = line.strip()
        if ATTACHMENT.match(line):
            break
        m = BODY_PARAGRAPH.match(line)
        if not m or heading_kind(line):
            continue
        text = m.group(2).strip()
        first_clause = re.split(r"[,,。;;]", text, maxsplit=1)[0]
        lead: list[str] = []
        lm = LEADING_UNITS.match(text)
        if lm:
            names = split_outside_brackets(canonical(lm.group(1)), "、,")
            if names and all(looks_like_unit(n) for n in names):
                lead = names
        milestones = milestones_in_text(text, year)
        deadlines = [
            Deadline(date=ms.date, text=ms.text)
            for ms in milestones
            if ms.date and not ms.recurrence
        ]
        if not deadlines:
            deadlines = [Deadline(standing=True, text="长期坚持")]
        tasks.append(
            ParsedTask(
                number=m.group(1),
                section=[],
                title=first_clause,
                text=text,
                lead_units=[],
                units=lead,
                units_text="、".join(lead),
                deadlines=deadlines,
                milestones=milestones,
                lines={"text": [index]},
            )
        )
    return tasks


def infer_year(texts: list[str]) -> int | None:
    """The year most absolute dates of the notice fall in, for relative phrases."""
    years: Counter[int] = Counter()
    for text in texts:
        for date, *_ in find_dates(text, None):
            if date is not None:
                years[date.year] += 1
    return years.most_common(1)[0][0] if years else None


YEAR_WORDS = re.compile(r"(?<!\d)(20\d{2})\s*年(?:度)?(?!\d{1,2}月)")


def year_in_words(lines: list[str]) -> int | None:
    """The year a plan names for itself ("2023年法治政府建设工作要点"), in its title or first lines."""
    for line in lines:
        match = YEAR_WORDS.search(line or "")
        if match:
            return int(match.group(1))
    return None
