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
from .models import (
    Clue,
    ClueEvent,
    ContactPoint,
    Document,
    DocumentEvent,
    Matter,
    ProblemType,
    SpecialSupervisor,
)
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


def _demo_file(clue: Clue, name: str) -> None:
    """A one-page PDF standing for the material that came with a clue, shared with the unit."""
    body = f"演示材料:{clue.number}".encode()
    pdf = b"%PDF-1.4\n% " + body + b"\n%%EOF\n"
    services.clue_attach(clue=clue, name=name, data=pdf, shared=True)


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
    point, supervisor = _load_demo_people(firms, today)

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
    near = register(
        3, "contact_point", market, "企业反映同一事项一月内被重复检查三次。", contact_point=point
    )
    near = services.clue_accept(
        clue=near, unit=market, problem_types=_types("arbitrary_inspection")
    )
    near = services.clue_transfer(clue=near, due=today + datetime.timedelta(days=12))
    _demo_file(near, "企业反映材料(演示).pdf")
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
    _demo_file(overdue, "暂扣现场照片说明(演示).pdf")
    _shift(overdue, 16)
    made.append(overdue)
    # 5. From a special supervisor, answered by the market bureau, waiting for the bureau's review.
    answered = register(
        5,
        "special_supervisor",
        market,
        "发现罚款决定未在规定期限内公示。",
        special_supervisor=supervisor,
        complainant_name=supervisor.name,
    )
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
    _load_demo_matters(market, urban, closed)
    _load_demo_campaign(market, urban, today)
    return len(made)


def _load_demo_campaign(market: Unit, urban: Unit, today: datetime.date) -> None:
    """涉企行政执法突出问题专项整治 with problems at every stage of the ledger."""
    from decimal import Decimal

    start = today - datetime.timedelta(days=60)
    campaign = services.campaign_start(
        title="涉企行政执法突出问题专项整治(演示)", themes="乱收费、乱罚款、乱检查、乱查封和趋利性执法(演示)",
        units=[market, urban], started_on=start, is_demo=True,
        phases=[{"due": start + datetime.timedelta(days=d)} for d in (30, 90, 120, 150)],
    )  # fmt: skip
    rows = [
        (market, "arbitrary_inspection", "self_check", "同一企业一月内检查三次(演示)", 20),
        (market, "arbitrary_fine", "clue", "对同一违法行为两次罚款(演示)", -5),
        (urban, "arbitrary_seizure", "matter", "暂扣物品未出具清单(演示)", 40),
        (urban, "profit_driven", "finding", "罚没收入同比增长明显(演示)", 10),
    ]
    problems = [
        services.problem_add(
            campaign=campaign,
            data={"unit": unit, "problem_type": ProblemType.objects.filter(code=code).first(), "source": source,
                  "description": text, "deadline": today + datetime.timedelta(days=days), "is_demo": True},
        )
        for unit, code, source, text, days in rows
    ]  # fmt: skip
    services.problem_report(
        problem=problems[1], measures="撤销第二次处罚决定,退还罚款(演示)", responsible="张科长(演示)",
        evidence="撤销决定书、退款凭证(演示)", refund_amount=Decimal("5000"), accountability="对承办人员诫勉谈话(演示)",
    )  # fmt: skip
    services.problem_close(problem=problems[1], approve=True, comment="整改到位(演示)")
    services.problem_report(
        problem=problems[2], measures="补开暂扣物品清单,建立暂扣物品台账(演示)", responsible="李队长(演示)",
        evidence="暂扣物品清单、台账照片(演示)",
    )  # fmt: skip


def _load_demo_people(firms, today: datetime.date) -> tuple[ContactPoint, SpecialSupervisor]:
    """The district federation of industry and commerce as a contact point, and the demo special
    supervisor account (tejian) as an appointed supervisor with a year of activity."""
    from oversight.accounts.models import User

    point = services.contact_point_save(
        point=None,
        data={
            "name": "区工商联涉企行政执法监督联系点(演示)",
            "kind": "federation",
            "liaison": "周联络员(演示)",
            "phone": "13907140100",
            "address": "下陆区团城山街道(演示)",
            "established_on": today - datetime.timedelta(days=400),
            "enterprises": firms[:4],
            "is_demo": True,
        },
    )
    account = User.objects.filter(username="tejian").first()
    supervisor = services.special_supervisor_save(
        supervisor=None,
        data={
            "name": "刘监督员(演示)",
            "user": account,
            "organisation": "湖北某律师事务所(演示)",
            "identity": "律师",
            "expertise": "行政法、市场监管",
            "phone": "13907140200",
            "appointed_on": today - datetime.timedelta(days=500),
            "conflicts": "黄石某律师事务所的常年法律顾问单位(演示)",
            "is_demo": True,
        },
    )
    services.supervisor_activity_add(
        supervisor=supervisor,
        kind="inspection",
        date=today - datetime.timedelta(days=60),
        note="随区市场监管局参加双随机抽查(演示)",
    )
    services.supervisor_assess(
        supervisor=supervisor,
        year=today.year - 1,
        result="excellent",
        note="全年反映线索 6 条(演示)",
    )
    return point, supervisor


def _shift_document(document: Document, days: int) -> None:
    delta = datetime.timedelta(days=days)
    fields = ["issued_on", "explain_due", "reply_due", "replied_on"]
    changes = {f: getattr(document, f) - delta for f in fields if getattr(document, f)}
    Document.objects.filter(pk=document.pk).update(**changes)
    Matter.objects.filter(pk=document.matter_id, opened_on__gt=changes["issued_on"]).update(
        opened_on=changes["issued_on"]
    )
    for event in DocumentEvent.objects.filter(document=document):
        DocumentEvent.objects.filter(pk=event.pk).update(time=event.time - delta)


def _load_demo_matters(market: Unit, urban: Unit, clue: Clue) -> None:
    """A case supervision from the substantiated clue whose notice went unanswered (the platform
    proposes an opinion), and a key supervision of enterprise inspections: one notice answered and
    waiting for review, one just issued."""
    case = services.matter_open(
        data={
            "kind": "case",
            "title": "区城管执法局重复罚款问题个案监督(演示)",
            "findings": clue.matter,
            "is_demo": True,
        },
        units=[urban],
        clue=clue,
    )
    unanswered = services.document_issue(
        matter=case,
        kind="notice",
        unit=urban,
        facts="你单位对同一违法行为两次作出罚款决定,违反《中华人民共和国行政处罚法》第二十九条“一事不再罚”的规定。(演示)",
        basis="《中华人民共和国行政处罚法》第二十九条",
        requirement="撤销第二次罚款决定并退还罚款;对案件承办人员进行批评教育;全面排查同类案件。",
        is_demo=True,
    )
    _shift_document(unanswered, 35)
    key = services.matter_open(
        data={
            "kind": "key",
            "title": "涉企行政检查重点监督(演示)",
            "theme": "涉企行政检查",
            "findings": "部分单位对同一企业年度检查超过 2 次;检查前未在检查事项清单内列明。(演示)",
            "is_demo": True,
        },
        units=[market, urban],
        problem_types=_types("arbitrary_inspection"),
    )
    replied = services.document_issue(
        matter=key,
        kind="notice",
        unit=market,
        facts="你单位 2026 年对黄石团城山商贸有限公司开展日常检查 3 次,超过同一企业年度检查频次上限。(演示)",
        basis="《国务院办公厅关于严格规范涉企行政检查的意见》(国办发〔2024〕54号)",
        requirement="立即停止超频次检查,今后检查须先行统筹;书面说明超频次原因。",
        is_demo=True,
    )
    services.document_reply(
        document=replied,
        reply="经查,第三次检查系对投诉的核查,已补录为投诉举报检查类型;已建立检查计划统筹台账。(演示)",
    )
    _shift_document(replied, 12)
    fresh = services.document_issue(
        matter=key,
        kind="proposal",
        unit=urban,
        facts="你单位检查事项清单未公布行政检查的频次上限。(演示)",
        requirement="在门户网站公布检查事项清单,列明检查频次上限和检查方式。",
        is_demo=True,
    )
    _shift_document(fresh, 2)
    outside = services.matter_open(
        data={
            "kind": "case",
            "title": "落实区人民检察院行政检察建议(演示)",
            "origin": "manual",
            "origin_note": "下检行建〔2026〕3号(演示)",
            "is_demo": True,
        },
        units=[urban],
    )
    recommendation = services.document_issue(
        matter=outside,
        kind="procuratorial",
        unit=urban,
        source_organ="下陆区人民检察院(演示)",
        external_number="下检行建〔2026〕3号",
        facts="对辖区内长期占道经营行为未依法查处,存在怠于履职情形。(演示)",
        requirement="督促你单位依法查处并建立长效机制,按期书面回复区人民检察院并抄送区司法局。",
        is_demo=True,
    )
    _shift_document(recommendation, 20)
    referral = services.document_issue(
        matter=outside,
        kind="referral",
        unit=urban,
        recipient="下陆区纪委监委(演示)",
        facts="执法人员在查处占道经营中涉嫌违规收取“管理费”。(演示)",
        requirement="请依纪依法处理,并将处理结果反馈区司法局。",
        is_demo=True,
    )
    _shift_document(referral, 15)
