"""Special rectification: the problem list, the ledger and the rules of 销号."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.supervision import services
from oversight.supervision.models import ProblemType
from oversight.supervision.setup_data import ensure_problem_types

D = dt.date


@pytest.fixture(autouse=True)
def pinned(db):
    ensure_problem_types()
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def campaign(actors):
    return services.campaign_start(
        title="涉企行政执法突出问题专项整治", themes="乱罚款、乱检查、趋利性执法", units=[actors.unit_a, actors.unit_b],
        phases=[{"due": D(2026, 4, 30)}, {"due": D(2026, 6, 30)}, {"due": D(2026, 8, 31)}, {"due": D(2026, 9, 30)}],
        started_on=D(2026, 4, 1), user=actors.supervisor,
    )  # fmt: skip


def test_phases_are_dated_in_order(actors):
    with pytest.raises(ValidationError, match="按先后排列"):
        services.campaign_start(
            title="专项", themes="趋利性执法问题", units=[actors.unit_a], started_on=D(2026, 4, 1),
            phases=[{"due": D(2026, 6, 30)}, {"due": D(2026, 4, 30)}, {"due": D(2026, 8, 31)}, {"due": D(2026, 9, 30)}],
            user=actors.supervisor,
        )  # fmt: skip


def test_a_fine_problem_is_closed_only_with_the_refund_and_is_called_back(actors, campaign):
    fine = ProblemType.objects.get(code="arbitrary_fine")
    problem = services.problem_add(
        campaign=campaign, data={"unit": actors.unit_a, "problem_type": fine, "source": "clue", "source_note": "陆司线〔2026〕3号",
                                 "description": "对同一违法行为两次罚款", "deadline": D(2026, 6, 30)},
        user=actors.supervisor,
    )  # fmt: skip
    assert problem.light(D(2026, 4, 1)) == "green" and problem.light(D(2026, 7, 1)) == "red"
    with pytest.raises(PermissionDenied):
        services.problem_report(
            problem=problem,
            measures="撤销第二次处罚",
            responsible="张某",
            evidence="撤销决定书",
            user=actors.reporter_b,
        )
    services.problem_report(
        problem=problem,
        measures="撤销第二次处罚决定",
        responsible="张科长",
        evidence="撤销决定书及退款凭证",
        user=actors.reporter_a,
    )
    with pytest.raises(ValidationError, match="须退还违规款项"):
        services.problem_close(problem=problem, approve=True, user=actors.supervisor)
    services.problem_close(
        problem=problem, approve=False, comment="请补充退还罚款的凭证", user=actors.supervisor
    )
    services.problem_report(problem=problem, measures="撤销第二次处罚决定", responsible="张科长", evidence="撤销决定书及退款凭证",
                            refund_amount=Decimal("5000"), accountability="对承办人员诫勉谈话", user=actors.reporter_a)  # fmt: skip
    closed = services.problem_close(problem=problem, approve=True, user=actors.supervisor)
    assert closed.status == "closed" and closed.refund_amount == Decimal("5000")
    followed = services.problem_follow_up(
        problem=closed, note="回访企业,未再发生重复罚款", user=actors.supervisor
    )
    assert followed.follow_up_on == D(2026, 4, 1)
    services.campaign_close(
        campaign=campaign, summary="整治问题全部整改销号。", user=actors.supervisor
    )


def test_a_unit_adds_only_its_own_self_check_problems(actors, campaign):
    with pytest.raises(ValidationError, match="单位自查"):
        services.problem_add(
            campaign=campaign,
            data={
                "unit": actors.unit_a,
                "source": "clue",
                "description": "问题描述",
                "deadline": D(2026, 6, 30),
            },
            user=actors.reporter_a,
        )
    with pytest.raises(PermissionDenied):
        services.problem_add(
            campaign=campaign,
            data={
                "unit": actors.unit_b,
                "source": "self_check",
                "description": "问题描述",
                "deadline": D(2026, 6, 30),
            },
            user=actors.reporter_a,
        )
    services.problem_add(
        campaign=campaign,
        data={
            "unit": actors.unit_a,
            "source": "self_check",
            "description": "检查未出示证件",
            "deadline": D(2026, 6, 30),
        },
        user=actors.reporter_a,
    )
    with pytest.raises(ValidationError, match="未销号"):
        services.campaign_close(campaign=campaign, summary="总结内容", user=actors.supervisor)


def test_profit_driven_enforcement_is_flagged_from_the_cases(
    actors, case_data, certified, calendar_2025
):
    from oversight.cases import services as cases
    from oversight.supervision.selectors import profit_warnings

    officers = certified(actors.unit_a, 3)
    from oversight.core.identifiers import credit_code_complete

    firm = credit_code_complete("91420200MA4K3C8P0")
    for n, (year, amount, org) in enumerate(
        [(2024, 10000, False), (2025, 9000, True), (2025, 4000, False)]
    ):
        data = case_data(number=f"A-{n}", filed_on=D(year, 3, 1), notified_on=D(year, 3, 10), decided_on=D(year, 3, 20),
                         fine_amount=Decimal(amount), decision="罚款")  # fmt: skip
        if org:
            data |= {
                "party_kind": "organisation",
                "party_name": "黄石某商贸有限公司",
                "party_credit_code": firm,
            }
        cases.case_save(
            case=None,
            data=data,
            officers=officers[:2] if n else officers[1:],
            user=actors.reporter_a,
        )
    messages = [w.message for w in profit_warnings(2025)]
    assert any("同比增长 30%" in m for m in messages)  # 13,000 against 10,000
    assert any("对黄石某商贸有限公司的罚款占全年罚款 69%" in m for m in messages)
    assert not profit_warnings(2024) or all(w.year == 2024 for w in profit_warnings(2024))


def test_the_ledger_through_the_pages_and_the_report(client, actors, campaign):
    import io
    import re

    from docx import Document as Docx
    from openpyxl import load_workbook

    problem = services.problem_add(
        campaign=campaign, data={"unit": actors.unit_a, "source": "self_check", "description": "检查未出示证件", "deadline": D(2026, 6, 30)},
        user=actors.reporter_a,
    )  # fmt: skip
    client.force_login(actors.reporter_a)
    response = client.post(
        problem.get_absolute_url(),
        {
            "op": "report",
            "measures": "组织亮证执法培训",
            "responsible": "王科长",
            "evidence": "培训签到表和照片",
        },
        follow=True,
    )
    assert "等待区司法局审核销号" in response.content.decode()
    client.force_login(actors.reporter_b)
    assert client.get(problem.get_absolute_url()).status_code == 404
    client.force_login(actors.supervisor)
    client.post(problem.get_absolute_url(), {"op": "close", "approve": "1"})
    problem.refresh_from_db()
    assert problem.status == "closed"
    ledger = client.get(campaign.get_absolute_url(), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    assert rows[1][4] == "检查未出示证件" and rows[1][11] == "已销号"
    report = client.get(campaign.get_absolute_url(), {"format": "docx"})
    texts = [p.text for p in Docx(io.BytesIO(report.content)).paragraphs if p.text]
    assert any("共排查问题1个，已整改销号1个" in t for t in texts)
    half = re.compile(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]")
    assert not [t for t in texts if half.search(t)]


def test_rectification_reminders(actors, campaign):
    from oversight.core.models import Notification
    from oversight.supervision.jobs import remind

    problem = services.problem_add(
        campaign=campaign, data={"unit": actors.unit_a, "source": "self_check", "description": "检查未出示证件", "deadline": D(2026, 4, 3)},
        user=actors.supervisor,
    )  # fmt: skip
    remind(D(2026, 4, 1))
    assert Notification.objects.filter(
        user=actors.reporter_a, title__contains="整改临近时限 2026-04-03"
    ).exists()
    services.problem_report(
        problem=problem,
        measures="组织亮证执法培训",
        responsible="王科长",
        evidence="培训签到表",
        user=actors.reporter_a,
    )
    remind(D(2026, 4, 2))
    assert Notification.objects.filter(user=actors.supervisor, title__contains="待销号").exists()
