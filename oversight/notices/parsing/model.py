"""What the parser produces: a notice's header and its tasks, each field traceable to source lines.

`to_json()` gives the documented, stable JSON of `oversight parse-notice` (docs/notice-json.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Deadline:
    date: datetime.date | None = None
    standing: bool = False
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        if self.standing:
            return {"standing": True, "text": self.text}
        return {"date": self.date.isoformat() if self.date else None, "text": self.text}


@dataclass
class Milestone:
    date: datetime.date | None
    text: str
    recurrence: str | None = None  # "yearly"
    # For recurring duties: the month and day each year ("02-28" means the end of February).
    month_day: str | None = None
    # For periods counted from an event: "变化之日起30日内".
    period: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "date": self.date.isoformat() if self.date else None,
            "recurrence": self.recurrence,
            "text": self.text,
        }
        if self.month_day:
            data["month_day"] = self.month_day
        if self.period:
            data["period"] = self.period
        return data


@dataclass
class ParsedTask:
    number: str
    section: list[str]
    title: str
    text: str
    units_text: str = ""
    deadline_text: str = ""
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    # 1-based line numbers of the source (text formats) or table rows (docx, html), per field.
    lines: dict[str, list[int]] = field(default_factory=dict)
    # Fields the reader is unsure of, with the reason, for the review page: {"units": "…"}.
    doubts: dict[str, str] = field(default_factory=dict)
    # Unique within the notice: the number as written, qualified by its parents' numbers where
    # numbering restarts ("(一)1", "1(2)"); the plan's task number.
    ref: str = ""

    @property
    def is_standing(self) -> bool:
        return any(d.standing for d in self.deadlines)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "ref": self.ref or self.number,
            "section": self.section,
            "title": self.title,
            "text": self.text,
            "lead_units": self.lead_units,
            "units": self.units,
            "deadlines": [d.to_json() for d in self.deadlines],
            "milestones": [m.to_json() for m in self.milestones],
            "units_text": self.units_text,
            "deadline_text": self.deadline_text,
            "lines": self.lines,
            "doubts": self.doubts,
        }


@dataclass
class ParsedNotice:
    title: str
    issuer: str | None = None
    doc_number: str | None = None
    date: datetime.date | None = None
    addressees: list[str] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    body_tasks: list[ParsedTask] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)
    year: int | None = None
    source_format: str = "text"
    source_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def all_unit_names(self) -> list[str]:
        seen: list[str] = []
        for task in [*self.tasks, *self.body_tasks]:
            for name in task.units:
                if name not in seen:
                    seen.append(name)
        return seen

    def to_json(self, *, include_source: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date.isoformat() if self.date else None,
            "addressees": self.addressees,
            "year": self.year,
            "format": self.source_format,
            "tasks": [t.to_json() for t in self.tasks],
            "body_tasks": [t.to_json() for t in self.body_tasks],
            "unknown_units": self.unknown_units,
            "warnings": self.warnings,
        }
        if include_source:
            data["source_lines"] = self.source_lines
        return data
