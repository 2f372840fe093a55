"""Demo clues (all marked 演示): one at every stage and light, relative to today, built through the
services as the bureau and the units would handle them.

A clue's past (received, accepted, transferred some days ago) is the same walk through the services
followed by moving its dates back, so the lights show what a district would see mid-month.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from oversight.inspections.models import Enterprise
from oversight.organisations.models import Unit

from . import services
from .models import Clue, ClueEvent, ProblemType
from .setup_data import ensure_problem_types

MARKET = "区市场监管局"
URBAN = "区城管执法局"


def _shift(clue: Clue, days: int) -> None:
    """Move every date of the clue `days` into the past (the demo's history)."""
    delta = datetime.timedelta(days=days)
    fields = ["received_on", "accept_due", "accepted_on", "conclude_due", "reply_due", "closed_on"]
    changes = {f: getattr(clue, f) - delta for f in fields if getattr(clue, f)}
    Clue.objects.filter(pk=clue.pk).update(**changes)
    for event in ClueEvent.objects.filter(clue=clue):
        ClueEvent.objects.filter(pk=event.pk).update(time=event.time - delta)


def _types(*codes: str) -> list[ProblemType]:
    return list(ProblemType.objects.filter(code__in=codes))


@transaction.atomic
def load_demo_clues() -> int:
    """Create the demo clues unless there are some; returns how many were made."""
    if Clue.objects.filter(is_demo=True).exists():
        return 0
    ensure_problem_types()
    market = Unit.objects.get(short_name=MARKET)
    urban = Unit.objects.get(short_name=URBAN)
    firms = list(Enterprise.objects.filter(is_demo=True).order_by("pk")[:6])
    today = timezone.localdate()

    def register(n: int, source: str, unit: Unit | None, matter: str, **extra) -> Clue:
        firm = firms[n % len(firms)] if firms else None
        data = {
            "source": source,
            "received_on": today,
            "complainant_name": f"演示投诉人{n}",
            "contact": f"1390714{n:04d}",
            "party_name": firm.name if firm else "",
            "party_credit_code": firm.credit_code if firm else "",
            "unit": unit,
            "matter": f"{matter}(演示)",
            "is_demo": True,
        } | extra
        return services.clue_register(data=data)

    made = []
    # 1. Just registered: the bureau has five working days to judge it.
    made.append(
        register(
            1, "hotline", market, "反映执法人员检查时未出示执法证件。", external_ref="演示GD0001"
        )
    )
    # 2. Registered nine days ago and still not judged: red.
    late = register(2, "portal", urban, "反映占道经营处罚未告知陈述申辩权利。")
    _shift(late, 9)
    made.append(late)
    # 3. From the enterprise contact point, transferred to the market bureau, reply due soon: yellow.
    near = register(3, "contact_point", market, "企业反映同一事项一月内被重复检查三次。")
    near = services.clue_accept(
        clue=near, unit=market, problem_types=_types("arbitrary_inspection")
    )
    near = services.clue_transfer(clue=near, due=today + datetime.timedelta(days=12))
    _shift(near, 10)
    made.append(near)
    # 4. Transferred to the urban management bureau and overdue: red.
    overdue = register(
        4, "hotline", urban, "反映暂扣物品未出具清单且逾期未返还。", external_ref="演示GD0002"
    )
    overdue = services.clue_accept(
        clue=overdue, unit=urban, problem_types=_types("arbitrary_seizure")
    )
    overdue = services.clue_transfer(clue=overdue, due=today + datetime.timedelta(days=10))
    _shift(overdue, 16)
    made.append(overdue)
    # 5. From a special supervisor, answered by the market bureau, waiting for the bureau's review.
    answered = register(5, "special_supervisor", market, "发现罚款决定未在规定期限内公示。")
    answered = services.clue_accept(clue=answered, unit=market, problem_types=_types("procedure"))
    answered = services.clue_transfer(clue=answered)
    answered = services.clue_answer(
        clue=answered,
        reply="经核查,该处罚决定因系统故障延迟公示,已于核查当日补充公示并对经办人提醒谈话。(演示)",
    )
    _shift(answered, 6)
    made.append(answered)
    # 6. Concluded as substantiated after a call back.
    closed = register(6, "letter", urban, "反映执法人员对同一违法行为两次罚款。")
    closed = services.clue_accept(clue=closed, unit=urban, problem_types=_types("arbitrary_fine"))
    closed = services.clue_transfer(clue=closed)
    closed = services.clue_answer(
        clue=closed, reply="经核查属实,已撤销第二次处罚决定并退还罚款,对相关人员批评教育。(演示)"
    )
    closed = services.clue_review(
        clue=closed, outcome="substantiated", comment="单位已纠正。(演示)"
    )
    closed = services.clue_close(
        clue=closed, visit_note="电话回访,投诉人对处理结果表示满意。(演示)"
    )
    _shift(closed, 25)
    made.append(closed)
    # 7. Refused: already before an administrative review.
    refused = register(7, "portal", market, "对行政处罚决定不服,要求撤销。")
    services.clue_refuse(
        clue=refused, reason="投诉人已就该处罚决定申请行政复议,依法通过复议程序处理。(演示)"
    )
    _shift(refused, 4)
    made.append(refused)
    return len(made)
