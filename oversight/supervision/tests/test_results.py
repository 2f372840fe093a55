"""A unit's supervision record: counted over a period, deducted in evaluations, a bulletin section."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from oversight.bulletins.documents import bulletin_blocks
from oversight.bulletins.evaluations import _supervision_deduction
from oversight.bulletins.figures import Figures
from oversight.bulletins.models import Bulletin, EvaluationScheme
from oversight.core.calendar import calendar_seed_from_package
from oversight.core.context import acting_as_system
from oversight.supervision import services
from oversight.supervision.selectors import unit_records


def at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture(autouse=True)
def calendar(db):
    with acting_as_system("test"):
        calendar_seed_from_package()


@pytest.fixture
def history(actors):
    """Unit A: a substantiated clue, a notice answered late and returned, then an interview;
    unit B: nothing."""
    s, r = actors.supervisor, actors.reporter_a
    with at(datetime.date(2026, 3, 2)):
        clue = services.clue_register(
            data={"source": "letter", "received_on": datetime.date(2026, 3, 2), "matter": "重复罚款。", "unit": actors.unit_a},
            user=s,
        )  # fmt: skip
        services.clue_accept(clue=clue, unit=actors.unit_a, user=s)
        services.clue_transfer(clue=clue, user=s)
        services.clue_answer(clue=clue, reply="经核查属实,已撤销第二次处罚。", user=r)
        services.clue_review(clue=clue, outcome="substantiated", user=s)
        matter = services.matter_open(
            data={"kind": "case", "title": "个案监督"}, units=[actors.unit_a], clue=clue, user=s
        )
        notice = services.document_issue(
            matter=matter, kind="notice", unit=actors.unit_a, facts="重复罚款问题。", requirement="立即纠正。", user=s
        )  # fmt: skip
    with at(datetime.date(2026, 4, 20)):  # past the 30 days
        services.document_reply(document=notice, reply="已纠正,退还罚款并批评教育。", user=r)
        services.document_verdict(document=notice, accept=False, comment="未附退款凭证。", user=s)
        services.document_issue(
            matter=matter, kind="interview", unit=actors.unit_a, recipient="区市场监管局分管负责人",
            facts="整改不到位问题。", requirement="限期整改到位。", user=s,
        )  # fmt: skip


def test_the_record_is_counted_per_unit_and_period(actors, history):
    records = unit_records(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    a, b = records[actors.unit_a.pk], records[actors.unit_b.pk]
    assert (a.clues, a.substantiated, a.documents, a.late_replies, a.failed, a.sanctions) == (
        1,
        1,
        1,
        1,
        1,
        1,
    )
    assert b.empty
    later = unit_records(datetime.date(2026, 5, 1), datetime.date(2026, 6, 30))
    assert later[actors.unit_a.pk].empty


def test_the_evaluation_deducts_the_record(actors, history):
    records = unit_records(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    scheme = EvaluationScheme(
        points_per_substantiated_clue=2, points_per_late_document_reply=2,
        points_per_failed_rectification=3, points_per_sanction=5,
    )  # fmt: skip
    points, notes = _supervision_deduction(records[actors.unit_a.pk], scheme)
    assert points == Decimal(12) and len(notes) == 4
    assert "投诉线索经审核属实 1 次:-2.00" in notes
    assert _supervision_deduction(records[actors.unit_b.pk], scheme) == (Decimal(0), [])


def test_the_bulletin_has_a_supervision_section(actors, history):
    from dataclasses import asdict

    records = unit_records(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    figures = Figures(1, "计划", "2026-01-01", "2026-06-30", "2026-06-30T23:59:59")
    figures.supervision = [asdict(r) for r in records.values() if not r.empty]
    blocks = bulletin_blocks(Bulletin(intro="", highlights="", requirements="按时整改。"), figures)
    headings = [b.text for b in blocks if b.kind == "h1"]
    assert headings[-2:] == ["四、行政执法监督情况", "五、下步要求"]
    table = next(b for b in blocks if b.kind == "table" and "转办线索" in b.header)
    assert table.rows == [["区市场监管局", 1, 1, 1, 1, 1, 1]]
    # A bulletin frozen before the section existed reads as having none.
    old = Figures.from_json({k: v for k, v in figures.to_json().items() if k != "supervision"})
    assert old.supervision == []


def test_the_dashboard_counts_the_year_and_links_to_the_records(client, actors, history):
    from django.urls import reverse

    client.force_login(actors.leader)
    with at(datetime.date(2026, 6, 1)):
        page = client.get(reverse("supervision:dashboard"), {"year": 2026})
        assert client.get(reverse("supervision:dashboard"), {"year": "abc"}).status_code == 400
    body = page.content.decode()
    assert page.status_code == 200
    figures = page.context["f"]
    assert figures["clues"] == 1 and figures["substantiated_rate"] == 100.0
    assert figures["rectification_rate"] == 0.0  # the one notice was returned
    assert f"/supervision/clues/?unit={actors.unit_a.pk}" in body.replace("&amp;", "&")
    client.force_login(actors.reporter_a)
    assert client.get(reverse("supervision:dashboard")).status_code == 403
