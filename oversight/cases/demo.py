"""Demo data for enforcement cases and the leniency lists (all marked 演示).

Built through the services, so every case is checked as a real one would be: some are green, some
yellow (a limit is close) and some red (a rule is breached), relative to today's date.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core.calendar import add_workdays
from oversight.enforcement.models import Certificate, EnforcementSubject, Officer
from oversight.inspections.models import Enterprise
from oversight.organisations.models import Unit

from . import services
from .models import Case, LeniencyItem

FACTS = {
    "区市场监管局": [("销售超过保质期的食品", "《中华人民共和国食品安全法》第124条"),
                     ("未按规定明码标价", "《价格违法行为行政处罚规定》第13条"),
                     ("使用未经检验的计量器具", "《中华人民共和国计量法》第26条")],
    "区城管执法局": [("未经许可占用城市道路堆放物料", "《城市道路管理条例》第42条"),
                     ("餐饮油烟直排", "《中华人民共和国大气污染防治法》第118条"),
                     ("擅自设置户外广告", "《城市市容和环境卫生管理条例》第36条")],
}  # fmt: skip
DEFAULT_FACTS = [("未按规定履行安全生产管理职责", "《中华人民共和国安全生产法》第97条")]
PEOPLE = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨磊", "黄勇", "赵敏", "吴强", "周军"]


def _valid_officers(unit, day: datetime.date) -> list[Officer]:
    ids = Certificate.objects.filter(
        officer__unit=unit,
        kind="enforcement",
        status="valid",
        issue_date__lte=day,
        expiry_date__gte=day,
    ).values_list("officer_id", flat=True)
    return list(Officer.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def load_demo_cases(today: datetime.date | None = None) -> bool:
    if Case.objects.filter(is_demo=True).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(20241)

    # The enterprises of the inspections demo are the parties of organisation cases.
    enterprises = list(Enterprise.objects.filter(is_demo=True).order_by("pk"))
    if not enterprises:
        return False
    for _ in enterprises:
        rng.randint(100000, 999999)  # the draws that made their codes: the same cases every time

    units = list(
        Unit.objects.filter(is_enforcement=True, kind="department", short_name__in=["区市场监管局", "区城管执法局", "区人社局", "区发改局"])
        .order_by("sort_order")
    )  # fmt: skip
    market = next((u for u in units if u.short_name == "区市场监管局"), None)
    if market:
        for kind, title, conditions, basis in [
            ("no_penalty", "首次销售标签瑕疵预包装食品", "标签瑕疵不影响食品安全且不会对消费者造成误导,首次被发现并及时改正", "《中华人民共和国食品安全法》第125条第2款;《行政处罚法》第33条"),
            ("lighter", "主动消除或减轻违法行为危害后果", "当事人主动消除或者减轻违法行为危害后果", "《中华人民共和国行政处罚法》第32条"),
            ("reduced", "受他人胁迫或诱骗实施违法行为", "受他人胁迫或者诱骗实施违法行为", "《中华人民共和国行政处罚法》第32条"),
            ("no_coercion", "轻微违法且已改正的不予查封扣押", "违法行为情节显著轻微,已经改正,不会造成危害", "《中华人民共和国行政强制法》第16条第2款"),
        ]:  # fmt: skip
            services.leniency_item_save(
                item=None, data={"unit": market, "kind": kind, "title": title, "conditions": conditions, "legal_basis": basis}
            )  # fmt: skip

    number = 0
    for unit in units:
        subject = EnforcementSubject.objects.filter(unit=unit, status="active").first()
        if subject is None:
            continue
        facts = FACTS.get(unit.short_name, DEFAULT_FACTS)
        abbreviation = unit.short_name.removeprefix("区").removesuffix("局")[:3]
        for i in range(14 if unit.short_name in FACTS else 5):
            number += 1
            filed = today - datetime.timedelta(days=rng.randint(3, 150))
            officers = _valid_officers(unit, filed)
            if len(officers) < 2:
                continue
            fact, basis = facts[i % len(facts)]
            organisation = i % 3 != 0
            enterprise = enterprises[(number * 7) % len(enterprises)]
            data = {
                "unit": unit, "subject": subject, "number": f"下{abbreviation}罚〔{filed.year}〕{100 + i}号(演示)",
                "act_type": "penalty" if i % 5 else "coercion", "procedure": "ordinary" if i % 4 else "simple",
                "party_kind": "organisation" if organisation else "person",
                "party_name": enterprise.name if organisation else PEOPLE[i % len(PEOPLE)] + "(演示)",
                "party_credit_code": enterprise.credit_code if organisation else "",
                "facts": f"{fact}(演示数据)", "legal_basis": basis, "filed_on": filed, "involves_enterprise": organisation,
                "is_demo": True,
            }  # fmt: skip
            age = (today - filed).days
            if age > 20 and i % 6 != 5:
                decided = filed + datetime.timedelta(days=rng.randint(16, min(age - 1, 80)))
                # 告知 eight working days before the decision: the 5-working-day hearing window
                # has passed whatever holidays fall in between (行政处罚法 第44条、第64条).
                data |= {"investigated_on": filed + datetime.timedelta(days=2), "notified_on": add_workdays(decided, -8),
                         "decided_on": decided, "decision": "责令改正,并处罚款", "fine_amount": Decimal(rng.choice([2000, 5000, 8000, 30000, 60000]))}  # fmt: skip
                if (
                    data["procedure"] == "simple"
                ):  # 第51条、第52条: small fines, handed over on the spot
                    data |= {
                        "fine_amount": Decimal(200 if not organisation else 2000),
                        "decision": "当场处罚:罚款",
                    }
                if i % 7:  # most are published, served and carry both letters in time
                    data |= {
                        "published_on": decided + datetime.timedelta(days=2),
                        "served_on": decided
                        if data["procedure"] == "simple"
                        else decided + datetime.timedelta(days=1),
                    }
                    if organisation:
                        data["credit_repair_notice_on"] = data["served_on"]
                if data["fine_amount"] >= 50000:
                    data |= {
                        "is_major": True,
                        "legal_review_on": decided - datetime.timedelta(days=3),
                    }
                    if i % 2:
                        data["impact_assessed_on"] = decided - datetime.timedelta(days=4)
            if (
                i == 7
                and unit == market
                and LeniencyItem.objects.filter(unit=unit, kind="no_penalty").exists()
            ):
                data |= {"first_offence_exempt": True, "leniency_item": LeniencyItem.objects.get(unit=unit, kind="no_penalty"),
                         "decision": "首违不罚,责令改正", "fine_amount": None, "fast_track": False}  # fmt: skip
            if i == 11:  # decided six working days ago, not yet published or served: yellow
                decided = add_workdays(today, -6)
                data |= {"filed_on": decided - datetime.timedelta(days=20), "decided_on": decided, "notified_on": add_workdays(decided, -8),
                         "investigated_on": None, "decision": "警告", "fine_amount": None, "published_on": None, "served_on": None,
                         "credit_repair_notice_on": None, "is_major": False, "legal_review_on": None}  # fmt: skip
            if i == 12:  # filed 84 days ago and still open: the 90-day limit is close
                data |= {
                    "filed_on": today - datetime.timedelta(days=84),
                    "procedure": "ordinary",
                    "act_type": "penalty",
                }
                for key in (
                    "investigated_on",
                    "notified_on",
                    "decided_on",
                    "published_on",
                    "served_on",
                    "credit_repair_notice_on",
                ):
                    data.pop(key, None)  # fmt: skip
            if i == 9:
                data["fast_track"] = True
            try:
                case = services.case_save(
                    case=None, data=data, officers=officers[i % 2 : i % 2 + 2]
                )
            except ValidationError:
                continue
            if data.get("decided_on") and i % 7 != 3:
                services.record_add(
                    case=case,
                    kind="document",
                    title="行政处罚决定书及调查笔录",
                    reference=f"卷宗 {case.number}",
                )
                if case.act_type == "coercion":
                    services.record_add(
                        case=case,
                        kind="audio_video",
                        title="现场执法记录仪视频",
                        reference=f"AV-{today.year}-{number:04d}",
                    )

    return True
