"""Unit cells: "区司法局,各街办(园区)、区直各行政执法部门" → lead units and responsible units."""

from __future__ import annotations

import re

from .text import canonical, split_outside_brackets

UNIT_SUFFIX = re.compile(
    r"(局|办|院|部|部门|联|中心|机关|委|会|政府|分局|街办|街道|园区|园区\)|所|队|站|单位|主体|法院|检察院|室|厅|处|组|团|社|馆|公司|集团)$"
)
UNIT_PREFIX = re.compile(r"^(区|市|县|省|各|全区|镇|乡|中共|下陆|黄石)")
MAX_UNIT_NAME = 30


def looks_like_unit(name: str) -> bool:
    name = canonical(name.strip())
    return (
        0 < len(name) <= MAX_UNIT_NAME
        and "。" not in name
        and bool(UNIT_SUFFIX.search(name))
        and bool(UNIT_PREFIX.search(name))
    )


# "区司法局(牵头)": the unit leads; "区司法局负责督促指导": what follows the name is a role, not a name.
LEAD_MARK = re.compile(r"\((牵头|牵头单位|牵头部门|主责)\)$")
ROLE_TAIL = re.compile(r"(负责|牵头|配合|参与|协助|协同|指导|督促).*$")


def _name(raw: str) -> tuple[str, bool]:
    """A unit name from a list item, and whether the item marks it as leading."""
    name = raw.strip(" :。")
    marked = bool(LEAD_MARK.search(name))
    if marked:
        name = LEAD_MARK.sub("", name)
    cut = ROLE_TAIL.search(name)
    if cut and cut.start() >= 2 and UNIT_SUFFIX.search(name[: cut.start()]):
        name = name[: cut.start()]
    if name.endswith("等") and len(name) > 3:  # "县城管局等": the list is open, the unit is not
        name = name[:-1]
    return name, marked


def split_units(cell: str, *, groups_lead: bool = True) -> tuple[list[str], list[str]]:
    """(lead units, all units in order).

    A unit marked "(牵头)" leads; otherwise, with several comma groups, the first group leads
    (unless `groups_lead` is False: a labelled 责任单位 list implies no lead).
    """
    cell = canonical(" ".join(cell.split()))
    groups = [split_outside_brackets(g, "、") for g in split_outside_brackets(cell, ",;")]
    groups = [g for g in groups if g]
    units: list[str] = []
    marked: list[str] = []
    first_group: list[str] = []
    for index, group in enumerate(groups):
        for raw in group:
            name, is_lead = _name(raw)
            if not name:
                continue
            if is_lead and name not in marked:
                marked.append(name)
            if index == 0 and name not in first_group:
                first_group.append(name)
            if name not in units:
                units.append(name)
    if marked:
        return marked, units
    lead = first_group if groups_lead and len(groups) > 1 else []
    return lead, units


def units_text_for(lead: list[str], units: list[str]) -> str:
    """The 责任单位 field as the review form writes it: leads before the first comma."""
    rest = [u for u in units if u not in lead]
    if lead and rest:
        return "、".join(lead) + "," + "、".join(rest)
    if lead:
        return "、".join(f"{u}(牵头)" for u in lead)
    return "、".join(units)


def is_unit_cell(line: str) -> bool:
    """A line made only of unit names and separators (the 责任单位 column of a flattened table)."""
    line = canonical(line.strip())
    if not line or "。" in line or len(line) > 200:
        return False
    _, units = split_units(line)
    if not units or any(len(u) > MAX_UNIT_NAME or "的" in u or ":" in u for u in units):
        return False
    # Every name must look like a unit by its ending or its beginning (工商联, 区委办), and at least
    # one by both, so that a short line of prose is not taken for a unit cell.
    partly = all(UNIT_SUFFIX.search(u) or UNIT_PREFIX.search(u) for u in units)
    return partly and any(looks_like_unit(u) for u in units)
