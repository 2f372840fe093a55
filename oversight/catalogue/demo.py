"""Demo catalogues (marked 演示) for two departments: items in force since the start of the year,
one changed and one abolished since, and a pending adjustment awaiting the bureau's review."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from oversight.organisations.models import Unit

from . import services
from .models import Adjustment

ITEMS = {
    "区市场监管局": [
        ("3302170010", "对销售超过保质期食品的行政处罚", "penalty", "《中华人民共和国食品安全法》第一百二十四条"),
        ("3302170011", "对未取得食品经营许可从事食品经营的行政处罚", "penalty", "《中华人民共和国食品安全法》第一百二十二条"),
        ("3302170020", "食品经营许可", "permit", "《中华人民共和国食品安全法》第三十五条"),
        ("3302170030", "对食品经营者的监督检查", "inspection", "《中华人民共和国食品安全法》第一百一十条"),
    ],
    "区城管执法局": [
        ("3302180010", "对擅自占用城市道路的行政处罚", "penalty", "《城市道路管理条例》第四十二条"),
        ("3302180011", "对违反规定倾倒建筑垃圾的行政处罚", "penalty", "《城市市容和环境卫生管理条例》第三十六条"),
        ("3302180020", "对占道经营物品的暂扣", "coercion", "《中华人民共和国行政强制法》第九条"),
    ],
}  # fmt: skip


@transaction.atomic
def load_demo_catalogue() -> bool:
    if Adjustment.objects.exists():
        return False
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    for short_name, items in ITEMS.items():
        unit = Unit.objects.filter(short_name=short_name).first()
        if unit is None:
            continue
        for code, name, item_class, basis in items:
            adjustment = services.adjustment_propose(
                unit=unit, kind="add", code=code,
                data={"name": f"{name}(演示)", "item_class": item_class, "legal_basis": basis, "subject": unit.name, "level": "区级"},
                reason="年度清单梳理(演示)", document=f"下政办发〔{today.year - 1}〕12号(演示)", effective_on=start,
            )  # fmt: skip
            services.adjustment_review(
                adjustment=adjustment, approve=True, comment="审核通过(演示)"
            )
        if start < today:
            changed = services.adjustment_propose(
                unit=unit, kind="change", code=items[0][0], data={"benchmark": "本市行政处罚裁量基准(演示)"},
                reason="裁量基准发布(演示)", document=f"黄市监规〔{today.year}〕1号(演示)", effective_on=today,
            )  # fmt: skip
            services.adjustment_review(adjustment=changed, approve=True)
        services.adjustment_propose(
            unit=unit, kind="abolish", code=items[1][0], data={}, reason="上位法修改,该事项取消(演示)",
            document=f"国务院令第{800 + len(items)}号(演示)", effective_on=today + datetime.timedelta(days=30),
        )  # fmt: skip
    _load_demo_delegation(today, start)
    return True


def _load_demo_delegation(today: datetime.date, start: datetime.date) -> None:
    """The urban management bureau's roadside-occupation penalty delegated to 团城山街办, with
    the 街办's own catalogue item, and an evaluation round waiting for the 街办's form."""
    from . import delegations

    urban = Unit.objects.filter(short_name="区城管执法局").first()
    street = Unit.objects.filter(short_name="团城山街办").first()
    if urban is None or street is None:
        return
    code, name, item_class, basis = ITEMS["区城管执法局"][0]
    own = services.adjustment_propose(
        unit=street, kind="add", code=code,
        data={"name": f"{name}(赋权,演示)", "item_class": item_class, "legal_basis": basis, "subject": street.name, "level": "街道"},
        reason="区政府赋权(演示)", document=f"下政发〔{today.year - 1}〕3号(演示)", effective_on=start,
    )  # fmt: skip
    services.adjustment_review(adjustment=own, approve=True)
    item = services.catalogue_as_of(start, [urban]).get(item__code=code).item
    delegations.delegation_create(
        item=item,
        subdistrict=street,
        document=f"下政发〔{today.year - 1}〕3号(演示)",
        delegated_on=start,
    )
    delegations.review_start(
        title=f"{today.year}年赋权事项评估(演示)", period_from=start, period_to=today,
        due=today + datetime.timedelta(days=30),
    )  # fmt: skip
