"""Unit cells: "区司法局,各街办(园区)、区直各行政执法部门" → lead units and responsible units."""

from __future__ import annotations

import re

from .text import split_outside_brackets, to_fullwidth_brackets

UNIT_SUFFIX = re.compile(
    r"(局|办|院|部|部门|联|中心|机关|委|会|政府|分局|街办|街道|园区|园区\)|所|队|站|单位|主体|法院|检察院)$"
)
UNIT_PREFIX = re.compile(r"^(区|市|县|省|各|全区|镇|乡|中共|下陆|黄石)")
MAX_UNIT_NAME = 30


def looks_like_unit(name: str) -> bool:
    name = to_fullwidth_brackets(name.strip())
    return (
        0 < len(name) <= MAX_UNIT_NAME
        and "。" not in name
        and bool(UNIT_SUFFIX.search(name))
        and bool(UNIT_PREFIX.search(name))
    )


def split_units(cell: str) -> tuple[list[str], list[str]]:
    """(lead units, all units in order). With several comma groups, the first group leads."""
    cell = to_fullwidth_brackets(" ".join(cell.split()))
    groups = [split_outside_brackets(g, "、") for g in split_outside_brackets(cell, ",;")]
    groups = [g for g in groups if g]
    units: list[str] = []
    for group in groups:
        for name in group:
            name = name.strip(" :。")
            if (
                name.endswith("等") and len(name) > 3
            ):  # "县城管局等": the list is open, the unit is not
                name = name[:-1]
            if name and name not in units:
                units.append(name)
    lead = [n.strip(" :。") for n in groups[0]] if len(groups) > 1 else []
    return lead, units


def is_unit_cell(line: str) -> bool:
    """A line made only of unit names and separators (the 责任单位 column of a flattened table)."""
    line = to_fullwidth_brackets(line.strip())
    if not line or "。" in line or len(line) > 200:
        return False
    _, units = split_units(line)
    if not units or any(len(u) > MAX_UNIT_NAME or "的" in u or ":" in u for u in units):
        return False
    # Every name must look like a unit by its ending or its beginning (工商联, 区委办), and at least
    # one by both, so that a short line of prose is not taken for a unit cell.
    partly = all(UNIT_SUFFIX.search(u) or UNIT_PREFIX.search(u) for u in units)
    return partly and any(looks_like_unit(u) for u in units)


INLINE = re.compile(
    r"[(\[【]\s*(牵头单位\s*[::].*?)[)\]】]\s*$",
)
INLINE_LABEL = re.compile(r"(牵头单位|责任单位|配合单位|协办单位|参与单位)\s*[::]")


def split_inline_units(text: str) -> tuple[str, list[str], list[str]] | None:
    """Units written after the task: "…(牵头单位:市司法局,责任单位:各行政执法主体)".

    Returns (text without the bracket, lead units, all units), or None when there is none.
    """
    match = INLINE.search(to_fullwidth_brackets(text.strip()))
    if not match:
        return None
    inner = match.group(1)
    pieces = INLINE_LABEL.split(inner)
    # pieces: ["", label, names, label, names, …]
    lead: list[str] = []
    units: list[str] = []
    for label, names in zip(pieces[1::2], pieces[2::2], strict=False):
        names = names.strip(" ,;;。")
        found = [
            n for g in split_outside_brackets(names, ",;") for n in split_outside_brackets(g, "、")
        ]
        if label == "牵头单位":
            lead.extend(found)
        for name in found:
            if name not in units:
                units.append(name)
    stripped = to_fullwidth_brackets(text.strip())[: match.start()].rstrip()
    return stripped, lead, units
