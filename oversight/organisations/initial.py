"""The units and groups the seed notice (下陆区人民政府办公室, 2024) names, and the demo units.

`load_initial_units()` is idempotent: it adds what is missing and leaves what administrators have
changed. Demo units (sub-districts, a park, further enforcement departments) are marked `is_demo`.
"""

from __future__ import annotations

from django.db import transaction

from .models import Unit, UnitGroup, UnitKind
from .services import group_save, unit_create

ROOT = ("下陆区人民政府", "区政府", UnitKind.GOVERNMENT, False, [])

# (full name, short name as the notice writes it, kind, enforcement department, aliases)
SEED_UNITS: list[tuple[str, str, str, bool, list[str]]] = [
    ("下陆区人民政府办公室", "区政府办", UnitKind.DEPARTMENT, False, ["区政府办公室"]),
    ("中共下陆区委组织部", "区委组织部", UnitKind.PARTY, False, []),
    ("中共下陆区委宣传部", "区委宣传部", UnitKind.PARTY, False, []),
    ("中共下陆区委网络安全和信息化委员会办公室", "区委网信办", UnitKind.PARTY, False, []),
    ("中共下陆区委机构编制委员会办公室", "区委编办", UnitKind.PARTY, False, []),
    ("中共下陆区委精神文明建设委员会办公室", "区委文明办", UnitKind.PARTY, False, []),
    ("中共下陆区委巡察工作领导小组办公室", "区委巡察办", UnitKind.PARTY, False, []),
    (
        "中共下陆区纪律检查委员会 下陆区监察委员会机关",
        "区纪委监委机关",
        UnitKind.PARTY,
        False,
        ["区纪委监委"],
    ),
    ("下陆区司法局", "区司法局", UnitKind.DEPARTMENT, True, []),
    ("下陆区发展和改革局", "区发改局", UnitKind.DEPARTMENT, True, []),
    ("下陆区财政局", "区财政局", UnitKind.DEPARTMENT, True, []),
    ("下陆区人力资源和社会保障局", "区人社局", UnitKind.DEPARTMENT, True, []),
    ("下陆区审计局", "区审计局", UnitKind.DEPARTMENT, True, []),
    ("下陆区市场监督管理局", "区市场监管局", UnitKind.DEPARTMENT, True, []),
    ("下陆区政务服务和大数据管理局", "区政数局", UnitKind.DEPARTMENT, False, []),
    ("下陆区城市管理执法局", "区城管执法局", UnitKind.DEPARTMENT, True, ["区城管局"]),
    ("下陆区机关事务服务中心", "区机关事务服务中心", UnitKind.DEPARTMENT, False, []),
    ("黄石市公安局下陆区分局", "区公安分局", UnitKind.DEPARTMENT, True, []),
    ("下陆区人民法院", "区法院", UnitKind.JUDICIAL, False, []),
    ("下陆区人民检察院", "区检察院", UnitKind.JUDICIAL, False, []),
    ("下陆区工商业联合会", "区工商联", UnitKind.MASS, False, []),
]

# Groups the notice addresses; each resolves to its current members.
SEED_GROUPS: list[dict] = [
    {
        "name": "各街办(园区)",
        "aliases": ["各街道(园区)", "各街办、园区"],
        "rule": UnitGroup.RuleKind.KINDS,
        "kinds": [UnitKind.SUBDISTRICT, UnitKind.PARK],
        "description": "全部街道办事处和园区",
        "sort_order": 10,
    },
    {
        "name": "各街办",
        "aliases": ["各街道", "各街道办事处"],
        "rule": UnitGroup.RuleKind.KINDS,
        "kinds": [UnitKind.SUBDISTRICT],
        "description": "全部街道办事处",
        "sort_order": 20,
    },
    {
        "name": "区直各行政执法部门",
        "aliases": ["各行政执法部门", "区直相关行政执法部门", "各行政执法主体"],
        "rule": UnitGroup.RuleKind.KINDS,
        "kinds": [UnitKind.DEPARTMENT],
        "enforcement_only": True,
        "description": "区直部门中的行政执法部门",
        "sort_order": 30,
    },
    {
        "name": "区直各部门",
        "aliases": ["全区各部门", "各部门"],
        "rule": UnitGroup.RuleKind.KINDS,
        "kinds": [UnitKind.DEPARTMENT],
        "description": "区政府工作部门",
        "sort_order": 40,
    },
]

# Demo data: the district's sub-districts, a park and further enforcement departments.
DEMO_UNITS: list[tuple[str, str, str, bool, list[str]]] = [
    ("下陆区团城山街道办事处", "团城山街办", UnitKind.SUBDISTRICT, True, ["团城山街道"]),
    ("下陆区新下陆街道办事处", "新下陆街办", UnitKind.SUBDISTRICT, True, ["新下陆街道"]),
    ("下陆区老下陆街道办事处", "老下陆街办", UnitKind.SUBDISTRICT, True, ["老下陆街道"]),
    ("下陆区东方山街道办事处", "东方山街办", UnitKind.SUBDISTRICT, True, ["东方山街道"]),
    ("下陆区长乐山街道办事处", "长乐山街办", UnitKind.SUBDISTRICT, True, ["长乐山街道"]),
    ("下陆区长乐山工业园", "长乐山工业园", UnitKind.PARK, True, ["长乐山园区"]),
    ("下陆区应急管理局", "区应急管理局", UnitKind.DEPARTMENT, True, ["区应急局"]),
    ("下陆区卫生健康局", "区卫健局", UnitKind.DEPARTMENT, True, []),
    ("下陆区交通运输局", "区交通运输局", UnitKind.DEPARTMENT, True, ["区交通局"]),
    ("下陆区住房和城乡建设局", "区住建局", UnitKind.DEPARTMENT, True, []),
    ("黄石市生态环境局下陆分局", "区生态环境分局", UnitKind.DEPARTMENT, True, []),
]


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
