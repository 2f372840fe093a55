"""Building the task list from a notice's table, whatever format it came in.

Readers (plain text, .docx, .html) feed a `PlanBuilder` with headings, task starts, text, unit cells
and deadline cells; the builder keeps the hierarchy (一、 part → (一) section → 1. item) and turns a
section without numbered items into a task of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import is_deadline_cell, milestones_in_text, parse_deadline_cell
from .model import ParsedTask
from .text import canonical
from .units import looks_like_unit, split_units, units_text_for

PART = re.compile(r"^([一二三四五六七八九十]{1,3})\s*、\s*(\S.*)$")
SECTION = re.compile(r"^[((]\s*([一二三四五六七八九十]{1,3})\s*[))]\s*(\S.*)$")
ITEM = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(\S.*)$")
SUB = re.compile(r"^\(\s*(\d{1,2})\s*\)\s*(\S.*)$")
CIRCLED = "\u2460\u2461\u2462\u2463\u2464\u2465\u2466\u2467\u2468\u2469\u246a\u246b\u246c\u246d\u246e\u246f\u2470\u2471\u2472\u2473"
CIRCLE = re.compile(f"^([{CIRCLED}])\\s*(\\S.*)$")
# Depth of each numbering style: 一、 (一) 1. (1) ①.
LEVEL = {"part": 0, "section": 1, "item": 2, "sub": 3, "circle": 4}


def numbered(line: str) -> tuple[str, str, str] | None:
    """(style, number, text) of a numbered line below the section level: 1. (1) ①."""
    for style, pattern in (("item", ITEM), ("sub", SUB), ("circle", CIRCLE)):
        m = pattern.match(line.strip())
        if m:
            return style, m.group(1), m.group(2)
    return None


def label_of(style: str, number: str) -> str:
    return {"item": f"{number}.", "sub": f"({number})"}.get(style, number)


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
    level: int = LEVEL["item"]
    label: str = ""  # the number as written ("1.", "(1)", "①"), for a heading path
    unit_lines: int = 0
    remarks: list[str] = field(default_factory=list)
    doubts: dict[str, str] = field(default_factory=dict)

    def mark(self, key: str, line: int | None) -> None:
        if line is not None:
            self.lines.setdefault(key, [])
            if line not in self.lines[key]:
                self.lines[key].append(line)

    def carries_units(self) -> bool:
        return bool(self.units_text or self.deadline_text or labelled_fields(self.text))


class PlanBuilder:
    def __init__(self, year: int | None, *, lead_column_first: bool = False):
        self.year = year
        # A flattened table whose 牵头单位 column stands before 责任单位: a task's first unit line
        # is its lead.
        self.lead_column_first = lead_column_first
        self.part: str | None = None
        self.section: str | None = None
        self.section_line: int | None = None
        self.section_used = False
        # Numbered lines that turned out to be headings of deeper ones: (level, "1.学习培训").
        self.subheads: list[tuple[int, str]] = []
        self.current: _Draft | None = None
        self.tasks: list[ParsedTask] = []
        self.warnings: list[str] = []
        self.dropped: list[ParsedTask] = []
        self.pending_number: str | None = None

    # -- hierarchy -------------------------------------------------------------------------
    def heading(self, text: str, line: int | None = None) -> None:
        text = canonical(text.strip())
        kind = heading_kind(text)
        if kind == "part":
            if text == self.part:
                return
            self.finish_task()
            self.part, self.section, self.section_used = text, None, False
            self.subheads = []
        elif kind == "section":
            if text == self.section:
                return
            self.finish_task()
            self.section, self.section_line, self.section_used = text, line, False
            self.subheads = []

    def group(self, text: str, line: int | None = None) -> None:
        """A heading of unnumbered rows (a merged 重点任务 cell over several measures)."""
        self.finish_task()
        self.subheads = [(LEVEL["section"], text.strip())]

    def _path(self) -> list[str]:
        return [h for h in (self.part, self.section) if h] + [t for _, t in self.subheads]

    # -- tasks -----------------------------------------------------------------------------
    def start_item(
        self, number: str, text: str, line: int | None = None, *, style: str = "item"
    ) -> None:
        level = LEVEL[style]
        current = self.current
        if current is not None and not current.section_level and current.level < level:
            # A deeper number under an item: the item is a heading, or a task of its own when it
            # carries units or a deadline.
            self.subheads.append((current.level, f"{current.label}{current.title}"))
            if current.carries_units():
                self.finish_task()
            else:
                self.current = None
        else:
            self.finish_task()
        self.subheads = [(lv, t) for lv, t in self.subheads if lv < level]
        title, full = split_title(text)
        shown = f"({number})" if style == "sub" else number
        self.current = _Draft(
            number=shown,
            section=self._path(),
            title=title,
            text=full,
            level=level,
            label=label_of(style, number),
        )
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
            level=LEVEL["section"],
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
                self.current.doubts.setdefault(
                    "text", f"第 {line} 行在责任单位之后,是否属于本任务请核对"
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
        current = self.current
        if lead is None and self.lead_column_first and current.unit_lines == 0:
            lead = split_units(text)[1]
        current.unit_lines += 1
        joiner = (
            "" if current.units_text.endswith(("、", ",", ",")) or not current.units_text else ","
        )
        current.units_text += joiner + text.strip()
        if lead:
            current.explicit_lead = (current.explicit_lead or []) + lead
        current.mark("units", line)

    def add_deadline(self, text: str, line: int | None = None) -> None:
        if self.current is None:
            self.warnings.append(f"第 {line} 行的完成时限找不到所属任务:{text[:30]}")
            return
        self.current.deadline_text = f"{self.current.deadline_text}\n{text.strip()}".strip()
        self.current.mark("deadline", line)

    def add_remark(self, name: str, value: str) -> None:
        """A column that is neither units nor deadline (责任领导, 备注, 进展情况): kept as text."""
        if self.current is not None and value.strip():
            self.current.remarks.append(f"{name}:{value.strip()}")

    def finish_task(self) -> None:
        draft, self.current = self.current, None
        if draft is None:
            return
        text = draft.text
        last_line = (draft.lines.get("text") or [None])[-1]
        lead: list[str]
        units: list[str]
        # "…(牵头单位:…;责任单位:…)完成时限:…": units and deadline written with the task.
        labelled = labelled_fields(text) if not draft.units_text else None
        if labelled is not None:
            text = labelled.text
            draft.units_text = "、".join(labelled.units)
            draft.explicit_lead = labelled.lead
            if labelled.leaders:
                draft.remarks.append(f"责任领导:{labelled.leaders}")
            if labelled.deadline and not draft.deadline_text:
                draft.deadline_text = labelled.deadline
                draft.mark("deadline", last_line)
                if labelled.deadline_from_text:
                    draft.doubts["deadline"] = "完成时限取自任务内容末尾,请核对"
            draft.mark("units", last_line)
        lead, units = split_units(draft.units_text)
        if draft.explicit_lead is not None:
            lead = [u for u in draft.explicit_lead if u in units] or lead
        if not draft.deadline_text:
            # "…,2025年11月底前完成。" — a last clause that is only a date is the deadline.
            trailing = trailing_deadline(text)
            if trailing:
                text, draft.deadline_text = trailing
                draft.mark("deadline", last_line)
                draft.doubts["deadline"] = "完成时限取自任务内容末尾,请核对"
        if not draft.section_level:
            draft.title = split_title(text)[0]
        deadlines, event_milestones = parse_deadline_cell(draft.deadline_text, self.year)
        milestones = milestones_in_text(text, self.year) + event_milestones
        if draft.deadline_text and not deadlines and not event_milestones:
            draft.doubts["deadline"] = f"无法识别完成时限“{draft.deadline_text[:20]}”"
        if not deadlines and not draft.deadline_text:
            self.warnings.append(f"任务 {draft.number} 没有完成时限")
            if milestones:
                draft.doubts["deadline"] = "没有完成时限,任务内容中写有日期,请核对"
        if draft.units_text and split_units(draft.units_text) != (lead, units):
            # The field the reviewer edits must read back to the same units.
            draft.units_text = units_text_for(lead, units)
        if not units and draft.units_text:
            draft.doubts["units"] = "没有识别出责任单位"
        if units and any(not looks_like_unit(u) for u in units):
            odd = "、".join(u for u in units if not looks_like_unit(u))
            draft.doubts["units"] = f"“{odd[:30]}”不像单位名称,请核对"
        if draft.remarks:
            text = f"{text}({';'.join(draft.remarks)})"
        task = ParsedTask(
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
            doubts=draft.doubts,
        )
        self.tasks.append(task)

    def result(self) -> list[ParsedTask]:
        self.finish_task()
        if any(t.units for t in self.tasks):
            # Where tasks name their units, a numbered paragraph with neither units nor a
            # deadline is part of the plan's prose (总体要求, 实施步骤), not a task.
            kept = []
            for task in self.tasks:
                if task.units or task.deadlines or task.deadline_text:
                    kept.append(task)
                else:
                    self.dropped.append(task)
                    where = (task.lines.get("text") or ["?"])[0]
                    self.warnings.append(
                        f"第 {where} 行“{task.number}{task.title[:20]}”没有责任单位和完成时限,"
                        "未列为任务;如是任务,请在确认前补上。"
                    )
            self.tasks = kept
        return self.tasks


TRAILING_DONE = re.compile(r"(前)?\s*(?:全面|基本)?(?:完成|办结|到位|结束)$")


def trailing_deadline(text: str) -> tuple[str, str] | None:
    """(text without it, deadline) when the task's last clause is only a deadline."""
    body = text.rstrip(" 。;,")
    cut = max(body.rfind("。"), body.rfind(","), body.rfind(";"))
    if cut < 0:
        return None
    last = body[cut + 1 :].strip()
    candidate = TRAILING_DONE.sub(lambda m: m.group(1) or "", last)
    if candidate and is_deadline_cell(candidate):
        return body[: cut + 1].rstrip(" ,;"), candidate
    return None


# Labels written in the task's own text, on its line or the next ones (责任领导 names a person and is
# never read as a unit).
LABEL_NAMES = (
    "牵头责任单位|牵头单位|牵头部门|主责单位|主责部门|责任单位|责任部门|配合单位|配合部门|协办单位"
    "|协办部门|参与单位|参与部门|责任领导|分管领导|责任人|完成时限|时限要求|完成时间|时间要求"
    "|完成期限|时间节点|办结时限"
)
LABEL = re.compile(f"({LABEL_NAMES})\\s*[:\uff1a]")
# "(牵头单位:…;责任单位:…)" closing the task: the brackets go, the labels stay.
BRACKETED = re.compile(f"[(\\[【]\\s*(?=(?:{LABEL_NAMES})\\s*[:\uff1a])")
DEADLINE_LABELS = {
    "完成时限",
    "时限要求",
    "完成时间",
    "时间要求",
    "完成期限",
    "时间节点",
    "办结时限",
}
PERSON_LABELS = {"责任领导", "分管领导", "责任人"}
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
    deadline_from_text: bool = False  # the last clause of the text, not a label


def _unbracket(text: str) -> str:
    """ "…名单。(牵头单位:区司法局,责任单位:各镇(街道))" → "…名单。牵头单位:区司法局,责任单位:各镇(街道)"."""
    m = BRACKETED.search(text)
    if not m:
        return text
    depth = 1
    for index in range(m.end(), len(text)):
        char = text[index]
        if char in "([【":
            depth += 1
        elif char in ")]】":
            depth -= 1
            if depth == 0:
                head = text[: m.start()].rstrip(" ,;")
                joiner = "" if not head or head.endswith("。") else "。"
                return f"{head}{joiner}{text[m.end() : index]};{text[index + 1 :]}"
    return text


def labelled_fields(text: str) -> Labelled | None:
    """The units and deadline a task states with labels ("牵头单位:…;责任单位:…;完成时限:…") or in
    words ("X牵头,Y、Z配合"); None when it states neither."""
    text = _unbracket(text)
    pieces = LABEL.split(text)
    body = pieces[0].rstrip(" ;,\uff0c\uff1b")
    lead: list[str] = []
    units: list[str] = []
    deadline, leaders = "", ""
    for label, value in zip(pieces[1::2], pieces[2::2], strict=False):
        value = value.strip(" ;,。\n\uff0c\uff1b")
        if label in DEADLINE_LABELS:
            deadline = value
        elif label in PERSON_LABELS:
            leaders = value
        else:
            # A unit list ends at its sentence: "责任单位:区司法局。每季度通报。"
            value, _, rest = value.partition("。")
            if rest.strip():
                body = f"{body}。{rest.strip()}"
            marked, names = split_units(value.translate(_SEPARATORS), groups_lead=False)
            if label.startswith(("牵头", "主责")):
                marked = names
            lead += [n for n in marked if n not in lead]
            units += [n for n in names if n not in units]
    if not units:
        match = LEADS.search(body)
        if match:
            # "X牵头,Y、Z配合": the units in words.
            _, lead = split_units(match.group(1).split("由")[-1].translate(_SEPARATORS))
            _, others = split_units(match.group(2).translate(_SEPARATORS))
            units = lead + [n for n in others if n not in lead]
            body = (body[: match.start()] + body[match.end() :]).strip(" ;,\uff0c\uff1b") or body
            body = re.sub("。{2,}", "。", body).lstrip("。")
            from_text = False
            if not deadline:
                trailing = trailing_deadline(body)
                if trailing:
                    body, deadline = trailing
                    from_text = True
            return Labelled(body, lead, units, deadline, leaders, from_text)
    if lead or units or deadline:
        return Labelled(body, lead, units, deadline, leaders)
    return None


def _heading_number(heading: str) -> str:
    heading = heading.strip()
    for pattern, form in (
        (PART, "{}"),
        (SECTION, "({})"),
        (ITEM, "{}"),
        (SUB, "({})"),
        (CIRCLE, "{}"),
    ):
        m = pattern.match(heading)
        if m:
            return form.format(m.group(1))
    return ""


MAX_REF = 10  # the plan's task number field


def assign_refs(tasks: list[ParsedTask]) -> None:
    """Give every task a reference unique within the notice: its number, qualified by its
    parents' numbers where the same number occurs again (numbering that restarts per section)."""
    counts: dict[str, int] = {}
    for task in tasks:
        counts[task.number] = counts.get(task.number, 0) + 1
    taken: set[str] = {t.number for t in tasks if counts[t.number] == 1}
    for task in tasks:
        if counts[task.number] == 1:
            task.ref = task.number
            continue
        parents = [n for n in (_heading_number(h) for h in task.section) if n]
        ref = task.number
        for depth in range(1, len(parents) + 1):
            ref = "".join(parents[-depth:]) + task.number
            if ref not in taken:
                break
        if ref in taken or len(ref) > MAX_REF:
            base = task.number[: MAX_REF - 3]
            suffix = 2
            while f"{base}-{suffix}" in taken:
                suffix += 1
            ref = f"{base}-{suffix}"
        task.ref = ref
        taken.add(ref)
