"""Building the task list from a notice's table, whatever format it came in.

Readers (plain text, .docx, .html) feed a `PlanBuilder` with headings, task starts, text, unit cells
and deadline cells; the builder keeps the hierarchy (一、 part → (一) section → 1. item) and turns a
section without numbered items into a task of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import milestones_in_text, parse_deadline_cell
from .model import ParsedTask
from .text import to_fullwidth_brackets
from .units import split_inline_units, split_units

PART = re.compile(r"^([一二三四五六七八九十]{1,3})\s*、\s*(\S.*)$")
SECTION = re.compile(r"^[((]\s*([一二三四五六七八九十]{1,3})\s*[))]\s*(\S.*)$")
ITEM = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(\S.*)$")
DEADLINE_SUFFIX = re.compile(
    r"[,,;;。]?\s*(?:完成时限|完成时间|时间节点|时限要求)\s*[::]\s*([^。]{2,40}?)\s*[。]?$"
)


def heading_kind(line: str) -> str | None:
    line = line.strip()
    if PART.match(line) and "。" not in line and len(line) <= 60:
        return "part"
    if SECTION.match(line) and "。" not in line and len(line) <= 60:
        return "section"
    return None


def split_title(text: str) -> tuple[str, str]:
    """The heading before the first 。, and the full text."""
    text = text.strip()
    head, sep, _ = text.partition("。")
    return (head.strip() if sep else text[:60].strip()), text


@dataclass
class _Draft:
    number: str
    section: list[str]
    title: str
    text: str
    lines: dict[str, list[int]] = field(default_factory=dict)
    units_text: str = ""
    deadline_text: str = ""
    section_level: bool = False
    explicit_lead: list[str] | None = None  # from a 牵头单位 column

    def mark(self, key: str, line: int | None) -> None:
        if line is not None:
            self.lines.setdefault(key, [])
            if line not in self.lines[key]:
                self.lines[key].append(line)


class PlanBuilder:
    def __init__(self, year: int | None):
        self.year = year
        self.part: str | None = None
        self.section: str | None = None
        self.section_line: int | None = None
        self.section_used = False
        self.current: _Draft | None = None
        self.tasks: list[ParsedTask] = []
        self.warnings: list[str] = []

    # -- hierarchy -------------------------------------------------------------------------
    def heading(self, text: str, line: int | None = None) -> None:
        text = to_fullwidth_brackets(text.strip())
        kind = heading_kind(text)
        if kind == "part":
            if text == self.part:
                return
            self.finish_task()
            self.part, self.section, self.section_used = text, None, False
        elif kind == "section":
            if text == self.section:
                return
            self.finish_task()
            self.section, self.section_line, self.section_used = text, line, False

    def _path(self) -> list[str]:
        return [h for h in (self.part, self.section) if h]

    # -- tasks -----------------------------------------------------------------------------
    def start_item(self, number: str, text: str, line: int | None = None) -> None:
        self.finish_task()
        title, full = split_title(text)
        self.current = _Draft(number=number, section=self._path(), title=title, text=full)
        self.current.mark("text", line)
        if self.section:
            self.section_used = True

    def start_section_task(self, text: str, line: int | None = None) -> None:
        """A section whose body is a paragraph, not numbered items: (六) to (十二) in the seed."""
        self.finish_task()
        match = SECTION.match(self.section or "")
        number = f"({match.group(1)})" if match else ""
        title = match.group(2).strip() if match else split_title(text)[0]
        self.current = _Draft(
            number=number,
            section=[self.part] if self.part else [],
            title=title,
            text=text.strip(),
            section_level=True,
        )
        self.current.mark("title", self.section_line)
        self.current.mark("text", line)
        self.section_used = True

    def add_text(self, text: str, line: int | None = None) -> None:
        text = text.strip()
        if not text:
            return
        if self.current is None or self.current.units_text or self.current.deadline_text:
            if self.section and not self.section_used:
                self.start_section_task(text, line)
                return
            if self.current is None:
                self.warnings.append(f"第 {line} 行不属于任何任务,已忽略:{text[:30]}")
                return
            if self.current.units_text or self.current.deadline_text:
                self.warnings.append(
                    f"第 {line} 行出现在责任单位或完成时限之后,已并入任务 {self.current.number} 的内容"
                )
        self.current.text = f"{self.current.text}{text}" if self.current.text else text
        if not self.current.title:
            self.current.title = split_title(text)[0]
        self.current.mark("text", line)

    def add_units(self, text: str, line: int | None = None, lead: list[str] | None = None) -> None:
        if self.current is None:
            if self.section and not self.section_used:
                self.start_section_task("", line)
            else:
                self.warnings.append(f"第 {line} 行的责任单位找不到所属任务:{text[:30]}")
                return
        joiner = (
            ""
            if self.current.units_text.endswith(("、", ",", ",")) or not self.current.units_text
            else ","
        )
        self.current.units_text += joiner + text.strip()
        if lead:
            self.current.explicit_lead = (self.current.explicit_lead or []) + lead
        self.current.mark("units", line)

    def add_deadline(self, text: str, line: int | None = None) -> None:
        if self.current is None:
            self.warnings.append(f"第 {line} 行的完成时限找不到所属任务:{text[:30]}")
            return
        self.current.deadline_text = f"{self.current.deadline_text}\n{text.strip()}".strip()
        self.current.mark("deadline", line)

    def finish_task(self) -> None:
        draft, self.current = self.current, None
        if draft is None:
            return
        text = draft.text
        if not draft.deadline_text:
            # "…(牵头单位:…)完成时限:2024年10月底" — the deadline written after the task.
            suffix = DEADLINE_SUFFIX.search(text)
            if suffix:
                draft.deadline_text = suffix.group(1)
                text = text[: suffix.start()].rstrip()
                draft.mark("deadline", (draft.lines.get("text") or [None])[-1])
        lead: list[str]
        units: list[str]
        inline = split_inline_units(text) if not draft.units_text else None
        labelled = labelled_fields(text) if not draft.units_text and inline is None else None
        if labelled is not None:
            text = labelled.text
            # The labels say which units lead: joined with 、 so no comma group is taken for a lead.
            draft.units_text = "、".join(labelled.units)
            draft.explicit_lead = labelled.lead
            if labelled.deadline and not draft.deadline_text:
                draft.deadline_text = labelled.deadline
                draft.mark("deadline", (draft.lines.get("text") or [None])[-1])
            draft.mark("units", (draft.lines.get("text") or [None])[-1])
        if inline:
            text, lead, units = inline
            draft.units_text = ",".join(units)
        else:
            lead, units = split_units(draft.units_text)
            if draft.explicit_lead is not None:
                lead = [u for u in draft.explicit_lead if u in units]
        if not draft.section_level:
            draft.title = split_title(text)[0]
        deadlines, event_milestones = parse_deadline_cell(draft.deadline_text, self.year)
        milestones = milestones_in_text(text, self.year) + event_milestones
        if not deadlines and not draft.deadline_text and inline is None:
            self.warnings.append(f"任务 {draft.number} 没有完成时限")
        self.tasks.append(
            ParsedTask(
                number=draft.number,
                section=draft.section,
                title=draft.title,
                text=text,
                units_text=draft.units_text,
                deadline_text=draft.deadline_text,
                lead_units=lead,
                units=units,
                deadlines=deadlines,
                milestones=milestones,
                lines=draft.lines,
            )
        )

    def result(self) -> list[ParsedTask]:
        self.finish_task()
        return self.tasks


# Labels written in the task's own text, on its line or the next ones (责任领导 names a person and is
# never read as a unit).
LABEL = re.compile(
    "(牵头责任单位|牵头单位|责任单位|配合单位|协办单位|参与单位|责任领导|分管领导|完成时限|时限要求|完成时间)"
    "\\s*[:\uff1a]"
)
# "X牵头,Y、Z配合" (commas half- or full-width).
LEADS = re.compile(
    "([^,\uff0c。;\uff1b:\uff1a]{2,60}?)牵头[,\uff0c、]\\s*([^。;\uff1b]{2,120}?)(?:配合|参与|协助|协同)"
)
_SEPARATORS = str.maketrans({"\uff0c": ",", "\uff1b": ",", ";": ","})


@dataclass
class Labelled:
    text: str
    lead: list[str]
    units: list[str]
    deadline: str
    leaders: str


def labelled_fields(text: str) -> Labelled | None:
    """The units and deadline a task states with labels ("牵头单位:…;责任单位:…;完成时限:…") or in
    words ("X牵头,Y、Z配合"); None when it states neither."""
    pieces = LABEL.split(text)
    if len(pieces) > 1:
        body = pieces[0].rstrip(" ;,。\uff0c\uff1b")
        lead: list[str] = []
        units: list[str] = []
        deadline, leaders = "", ""
        for label, value in zip(pieces[1::2], pieces[2::2], strict=False):
            value = value.strip(" ;,。\n\uff0c\uff1b")
            if label in {"完成时限", "时限要求", "完成时间"}:
                deadline = value
            elif label in {"责任领导", "分管领导"}:
                leaders = value
            else:
                _, names = split_units(value.translate(_SEPARATORS))
                if label.startswith("牵头"):
                    lead += [n for n in names if n not in lead]
                units += [n for n in names if n not in units]
        if leaders:
            # A leader is a person, never a unit: kept with the task's text for the reviewer.
            body = f"{body}(责任领导:{leaders})"
        if lead or units or deadline:
            return Labelled(body, lead, units, deadline, leaders)
        return None
    match = LEADS.search(text)
    if match:
        _, lead = split_units(match.group(1).split("由")[-1].translate(_SEPARATORS))
        _, others = split_units(match.group(2).translate(_SEPARATORS))
        units = lead + [n for n in others if n not in lead]
        body = (text[: match.start()] + text[match.end() :]).strip(" ;,。\uff0c\uff1b") or text
        return Labelled(body, lead, units, "", "")
    return None
