"""The units and groups the seed notice (下陆区人民政府办公室, 2024) names, and the demo units.

`load_initial_units()` is idempotent: it adds what is missing and leaves what administrators have
changed. Demo units (sub-districts, a park, further enforcement departments) are marked `is_demo`.
"""

from __future__ import annotations

from django.db import transaction

from .models import Unit, UnitGroup, UnitKind
from .seed import DEMO_UNITS, ROOT, SEED_GROUPS, SEED_UNITS
from .services import group_save, unit_create


def _ensure(
    entries: list[tuple[str, str, str, bool, list[str]]], parent: Unit, *, demo: bool, start: int
) -> int:
    added = 0
    for order, (name, short, kind, enforcement, aliases) in enumerate(entries, start=start):
        if (
            Unit.objects.filter(name=name).exists()
            or Unit.objects.filter(short_name=short).exists()
        ):
            continue
        unit_create(
            data={
                "parent": parent,
                "kind": kind,
                "name": name,
                "short_name": short,
                "is_enforcement": enforcement,
                "sort_order": order * 10,
                "is_demo": demo,
            },
            aliases=aliases,
        )
        added += 1
    return added


@transaction.atomic
def load_initial_units() -> int:
    """The district government, every unit the seed notice names, and its unit groups."""
    root = Unit.objects.filter(parent__isnull=True, kind=UnitKind.GOVERNMENT).first()
    added = 0
    if root is None:
        name, short, kind, _enforcement, aliases = ROOT
        root = unit_create(
            data={"parent": None, "kind": kind, "name": name, "short_name": short, "sort_order": 0},
            aliases=aliases,
        )
        added += 1
    added += _ensure(SEED_UNITS, root, demo=False, start=1)
    for spec in SEED_GROUPS:
        if not UnitGroup.objects.filter(name=spec["name"]).exists():
            group_save(group=None, data=spec, members=[])
            added += 1
    return added


# Demo: a 司法所 under the bureau, assisting the supervision of one 街办 (条例 第6条).
DEMO_JUSTICE_OFFICES = [("下陆区司法局团城山司法所", "团城山司法所", "团城山街办")]


@transaction.atomic
def load_demo_units() -> int:
    root = Unit.objects.get(parent__isnull=True, kind=UnitKind.GOVERNMENT)
    added = _ensure(DEMO_UNITS, root, demo=True, start=50)
    bureau = Unit.objects.filter(short_name="区司法局").first()
    for name, short, subdistrict in DEMO_JUSTICE_OFFICES:
        watched = Unit.objects.filter(short_name=subdistrict).first()
        if bureau is None or watched is None or Unit.objects.filter(short_name=short).exists():
            continue
        unit_create(
            data={
                "parent": bureau,
                "kind": UnitKind.JUSTICE_OFFICE,
                "supervised_unit": watched,
                "name": name,
                "short_name": short,
                "sort_order": 900,
                "is_demo": True,
            }
        )
        added += 1
    return added
