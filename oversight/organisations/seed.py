"""The units and groups the seed notice (下陆区人民政府办公室, 2024) names, and the demo units, as plain
data: the unit registry loads them (`initial.py`), and `oversight parse-notice` reads unit names from
them when it runs without a database."""

from __future__ import annotations

ROOT = ("下陆区人民政府", "区政府", "government", False, [])

# (full name, short name as the notice writes it, kind, enforcement department, aliases)
SEED_UNITS: list[tuple[str, str, str, bool, list[str]]] = [
    ("下陆区人民政府办公室", "区政府办", "department", False, ["区政府办公室"]),
    ("中共下陆区委组织部", "区委组织部", "party", False, []),
    ("中共下陆区委宣传部", "区委宣传部", "party", False, []),
    ("中共下陆区委网络安全和信息化委员会办公室", "区委网信办", "party", False, []),
    ("中共下陆区委机构编制委员会办公室", "区委编办", "party", False, []),
    ("中共下陆区委精神文明建设委员会办公室", "区委文明办", "party", False, []),
    ("中共下陆区委巡察工作领导小组办公室", "区委巡察办", "party", False, []),
    (
        "中共下陆区纪律检查委员会 下陆区监察委员会机关",
        "区纪委监委机关",
        "party",
        False,
        ["区纪委监委"],
    ),
    ("下陆区司法局", "区司法局", "department", True, []),
    ("下陆区发展和改革局", "区发改局", "department", True, []),
    ("下陆区财政局", "区财政局", "department", True, []),
    ("下陆区人力资源和社会保障局", "区人社局", "department", True, []),
    ("下陆区审计局", "区审计局", "department", True, []),
    ("下陆区市场监督管理局", "区市场监管局", "department", True, []),
    ("下陆区政务服务和大数据管理局", "区政数局", "department", False, []),
    ("下陆区城市管理执法局", "区城管执法局", "department", True, ["区城管局"]),
    ("下陆区机关事务服务中心", "区机关事务服务中心", "department", False, []),
    ("黄石市公安局下陆区分局", "区公安分局", "department", True, []),
    ("下陆区人民法院", "区法院", "judicial", False, []),
    ("下陆区人民检察院", "区检察院", "judicial", False, []),
    ("下陆区工商业联合会", "区工商联", "mass", False, []),
]

# Groups the notice addresses; each resolves to its current members.
SEED_GROUPS: list[dict] = [
    {
        "name": "各街办(园区)",
        "aliases": ["各街道(园区)", "各街办、园区"],
        "rule": "kinds",
        "kinds": ["subdistrict", "park"],
        "description": "全部街道办事处和园区",
        "sort_order": 10,
    },
    {
        "name": "各街办",
        "aliases": ["各街道", "各街道办事处"],
        "rule": "kinds",
        "kinds": ["subdistrict"],
        "description": "全部街道办事处",
        "sort_order": 20,
    },
    {
        "name": "区直各行政执法部门",
        "aliases": ["各行政执法部门", "区直相关行政执法部门", "各行政执法主体"],
        "rule": "kinds",
        "kinds": ["department"],
        "enforcement_only": True,
        "description": "区直部门中的行政执法部门",
        "sort_order": 30,
    },
    {
        "name": "区直各部门",
        "aliases": ["全区各部门", "各部门"],
        "rule": "kinds",
        "kinds": ["department"],
        "description": "区政府工作部门",
        "sort_order": 40,
    },
]

# Demo data: the district's sub-districts, a park and further enforcement departments.
DEMO_UNITS: list[tuple[str, str, str, bool, list[str]]] = [
    ("下陆区团城山街道办事处", "团城山街办", "subdistrict", True, ["团城山街道"]),
    ("下陆区新下陆街道办事处", "新下陆街办", "subdistrict", True, ["新下陆街道"]),
    ("下陆区老下陆街道办事处", "老下陆街办", "subdistrict", True, ["老下陆街道"]),
    ("下陆区东方山街道办事处", "东方山街办", "subdistrict", True, ["东方山街道"]),
    ("下陆区长乐山街道办事处", "长乐山街办", "subdistrict", True, ["长乐山街道"]),
    ("下陆区长乐山工业园", "长乐山工业园", "park", True, ["长乐山园区"]),
    ("下陆区应急管理局", "区应急管理局", "department", True, ["区应急局"]),
    ("下陆区卫生健康局", "区卫健局", "department", True, []),
    ("下陆区交通运输局", "区交通运输局", "department", True, ["区交通局"]),
    ("下陆区住房和城乡建设局", "区住建局", "department", True, []),
    ("黄石市生态环境局下陆分局", "区生态环境分局", "department", True, []),
]
