"""Reading units and groups."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet

from .models import Unit, UnitAlias, UnitGroup, UnitKind
from .names import normalise_name


# Official documents write full-width brackets; pasted text often has half-width ones.
def unit_descendant_ids(unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them, in one query."""
    roots = sorted(set(unit_ids))
    if not roots:
        return set()
    marks = ", ".join(["%s"] * len(roots))
    return units_below(f"SELECT id FROM {Unit._meta.db_table} WHERE id IN ({marks})", roots)


def units_below(seed_sql: str, params: Sequence[object] = ()) -> set[int]:
    """The units whose ids `seed_sql` selects and every unit below them: one recursive query
    that reads only that part of the tree (UNION, not UNION ALL, ends a cycle)."""
    table = Unit._meta.db_table
    sql = (
        f"WITH RECURSIVE below(id) AS ({seed_sql} UNION "
        f"SELECT u.id FROM {table} u INNER JOIN below b ON u.parent_id = b.id) "
        "SELECT id FROM below"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return {row[0] for row in cursor.fetchall()}


def unit_list(*, user, filters: dict | None = None) -> QuerySet[Unit]:
    qs = Unit.objects.restrict(user, "view").select_related("parent").prefetch_related("aliases")
    return qs.filter(**(filters or {}))


def group_q(group: UnitGroup) -> Q:
    """The units that are the group's current members: active units matching its rule."""
    q = Q(is_active=True)
    if group.rule == UnitGroup.RuleKind.EXPLICIT:
        q &= Q(pk__in=group.members.values("pk"))
    elif group.rule == UnitGroup.RuleKind.ENFORCEMENT:
        q &= Q(is_enforcement=True)
    else:
        q &= Q(kind__in=group.kinds or [])
    if group.enforcement_only:
        q &= Q(is_enforcement=True)
    return q


def group_members(group: UnitGroup) -> QuerySet[Unit]:
    """The group's current members: active units matching its rule."""
    return Unit.objects.filter(group_q(group)).order_by("sort_order", "id")


def group_list(*, user) -> QuerySet[UnitGroup]:
    return UnitGroup.objects.restrict(user, "view").prefetch_related("members")


def resolve_name(name: str) -> Unit | UnitGroup | None:
    """Find the unit or group a notice means by `name`: short name, full name, alias or group."""
    key = normalise_name(name)
    if not key:
        return None
    # Notices write "区审计局" for 下陆区审计局: try the district's name in front of a 区… name too.
    district = settings.DISTRICT_NAME
    candidates = [key]
    if key.startswith("区") and district.endswith("区"):
        candidates.append(district[:-1] + key)
    for unit in Unit.objects.filter(Q(short_name__in=candidates) | Q(name__in=candidates)):
        return unit
    alias = UnitAlias.objects.select_related("unit").filter(name=key).first()
    if alias:
        return alias.unit
    for group in UnitGroup.objects.all():
        if key == normalise_name(group.name) or key in {normalise_name(a) for a in group.aliases}:
            return group
    return None


def name_owner(name: str) -> str | None:
    """Which unit or group already uses `name`, as a phrase for an error message."""
    found = resolve_name(name)
    if found is None:
        return None
    kind = "单位组" if isinstance(found, UnitGroup) else "单位"
    return f"{kind}“{found}”"


def unit_figures(groups: Iterable[UnitGroup] = ()) -> dict:
    """Active units in total, enforcement departments, subdistricts and parks, by kind and the
    members of each group: one aggregation."""
    groups = list(groups)
    counts = {
        "active": Count("pk"),
        "enforcement": Count("pk", filter=Q(is_enforcement=True)),
        **{f"kind_{value}": Count("pk", filter=Q(kind=value)) for value, _ in UnitKind.choices},
        **{f"group_{g.pk}": Count("pk", filter=group_q(g)) for g in groups},
    }
    found = Unit.objects.filter(is_active=True).aggregate(**counts)
    return {
        "active": found["active"],
        "enforcement": found["enforcement"],
        "towns": found[f"kind_{UnitKind.SUBDISTRICT.value}"] + found[f"kind_{UnitKind.PARK.value}"],
        "by_kind": [
            (label, found[f"kind_{value}"])
            for value, label in UnitKind.choices
            if found[f"kind_{value}"]
        ],
        "groups": [(g, found[f"group_{g.pk}"]) for g in groups],
    }


def groups_containing(unit_ids: Iterable[int]) -> list[int]:
    """Ids of the groups that currently include any of the units."""
    groups = list(UnitGroup.objects.all())
    if not groups:
        return []
    found = Unit.objects.filter(pk__in=set(unit_ids)).aggregate(
        **{f"group_{g.pk}": Count("pk", filter=group_q(g)) for g in groups}
    )
    return [g.pk for g in groups if found[f"group_{g.pk}"]]
