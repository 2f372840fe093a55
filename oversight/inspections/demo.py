"""Demo data for enterprises, inspections, a declared conflict and two draws (all marked 演示).

Built through the services: one enterprise is inspected three times this year by the same
department (over the cap), another by two departments within a week (多头检查); last quarter's
draw is published and this month's awaits its results, relative to today's date.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from oversight.core.identifiers import credit_code_complete
from oversight.enforcement.models import Certificate, Officer
from oversight.organisations.models import Unit

from . import services
from .models import Enterprise, InspectionItem, OfficerConflict

TRADES = [
    ("商贸有限公司", "批发零售"), ("餐饮管理有限公司", "餐饮"), ("建材有限公司", "建材"), ("物业服务有限公司", "物业"),
    ("机械制造有限公司", "制造业"), ("药房连锁有限公司", "药品零售"), ("建筑工程有限公司", "建筑"), ("汽车维修有限公司", "机动车维修"),
]  # fmt: skip
PLACES = [
    "团城山",
    "新下陆",
    "东方山",
    "老下陆",
    "肖铺",
    "长乐山",
    "陆家铺",
    "铜鼓地",
    "大冶湖",
    "沈家营",
]


def _valid_officers(unit, day: datetime.date) -> list[Officer]:
    ids = Certificate.objects.filter(
        officer__unit=unit,
        kind="enforcement",
        status="valid",
        issue_date__lte=day,
        expiry_date__gte=day,
    ).values_list("officer_id", flat=True)
    return list(Officer.objects.filter(pk__in=ids).order_by("pk"))


def _month(day: datetime.date) -> str:
    # The two demo draws are 57 days apart: always in different months, whatever today is.
    return f"{day.year}年{day.month}月"


@transaction.atomic
def load_demo_inspections(today: datetime.date | None = None) -> bool:
    if Enterprise.objects.filter(is_demo=True).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(20241)

    enterprises = []
    for n in range(40):
        suffix, industry = TRADES[n % len(TRADES)]
        body = f"91420200MA{rng.randint(100000, 999999):06d}{n % 10}"
        enterprises.append(
            services.enterprise_save(
                enterprise=None,
                data={
                    "name": f"黄石{PLACES[n % len(PLACES)]}{suffix}(演示{n + 1:02d})",
                    "credit_code": credit_code_complete(body),
                    "risk": ("high", "medium", "medium", "low", "low")[n % 5],
                    "address": f"下陆区{PLACES[n % len(PLACES)]}路{n + 1}号",
                    "industry": industry,
                    "is_demo": True,
                },
            )
        )

    units = list(
        Unit.objects.filter(is_enforcement=True, kind="department", short_name__in=["区市场监管局", "区城管执法局"])
        .order_by("sort_order")
    )  # fmt: skip
    market = next((u for u in units if u.short_name == "区市场监管局"), None)
    if market:
        for name, basis in [("食品经营许可事项检查", "《食品经营许可和备案管理办法》"), ("价格行为检查", "《中华人民共和国价格法》"),
                            ("计量器具检查", "《中华人民共和国计量法》")]:  # fmt: skip
            InspectionItem.objects.create(unit=market, name=name, legal_basis=basis)

    # Inspections: one enterprise inspected three times routinely, another by two departments in a week.
    if market:
        officers = _valid_officers(market, today)[:2]
        # Three routine inspections of the same enterprise inside this calendar year (the cap
        # counts per year), whatever today's date: spread between 1 January and today.
        year_start = datetime.date(today.year, 1, 1)
        span = (today - year_start).days
        for share in (0.1, 0.55, 1.0):
            day = year_start + datetime.timedelta(days=int(span * share))
            if len(_valid_officers(market, day)) >= 2:
                services.inspection_record(
                    data={"enterprise": enterprises[0], "unit": market, "kind": "routine", "date": day, "result": "未发现问题(演示)"},
                    officers=_valid_officers(market, day)[:2], items=InspectionItem.objects.filter(unit=market)[:2],
                )  # fmt: skip
        urban = next((u for u in units if u.short_name == "区城管执法局"), None)
        if urban and len(_valid_officers(urban, today)) >= 2 and len(officers) >= 2:
            services.inspection_record(
                data={"enterprise": enterprises[1], "unit": market, "kind": "special", "date": today - datetime.timedelta(days=12), "result": "责令整改(演示)"},
                officers=officers,
            )  # fmt: skip
            services.inspection_record(
                data={"enterprise": enterprises[1], "unit": urban, "kind": "special", "date": today - datetime.timedelta(days=6), "result": "未发现问题(演示)"},
                officers=_valid_officers(urban, today)[:2],
            )  # fmt: skip
        # A declared conflict, a published draw from last quarter and this month's draw awaiting results.
        pool = _valid_officers(market, today)
        if len(pool) >= 4:
            OfficerConflict.objects.create(
                officer=pool[0], enterprise=enterprises[0], reason="配偶在该企业任职(演示)"
            )
            quotas = {"high": {"ratio": 0.25}, "medium": {"count": 2}, "low": {"count": 1}}
            earlier_day = today - datetime.timedelta(days=60)
            earlier = services.draw_perform(
                unit=market,
                title=f"{_month(earlier_day)}双随机抽查(演示)",
                quotas=quotas,
                day=earlier_day,
            )
            for target in earlier.targets.all():
                services.draw_result(
                    target=target,
                    result=rng.choice(["未发现问题", "发现问题已责令整改", "未发现问题"]),
                )
            services.draw_publish(draw=earlier)
            services.draw_perform(
                unit=market,
                title=f"{_month(today - datetime.timedelta(days=3))}双随机抽查(演示)",
                quotas=quotas,
                day=today - datetime.timedelta(days=3),
            )
    return True
