"""The 12345 hotline's live feed: tickets posted with a supervision token, idempotent per ticket;
units read through the API only what the pages show them."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from oversight.core.calendar import calendar_seed_from_package
from oversight.core.context import acting_as_system
from oversight.supervision import services
from oversight.supervision.models import Clue


@pytest.fixture(autouse=True)
def pinned(db):
    with acting_as_system("test"):
        calendar_seed_from_package()
    with time_machine.travel(datetime.datetime(2026, 9, 21, 10, tzinfo=datetime.UTC), tick=False):
        yield


def api_as(user) -> APIClient:
    from oversight.accounts.services import token_create

    client = APIClient()
    _token, key = token_create(actor=user, name="12345热线对接")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


TICKET = {
    "ticket": "GD20260921007",
    "received_on": "2026-09-21",
    "complainant_name": "刘先生",
    "contact": "13807145555",
    "unit_name": "区城管局",
    "matter": "城管执法人员暂扣物品未开具清单。",
}


def test_the_feed_registers_a_ticket_once_and_returns_the_query_code(actors):
    client = api_as(actors.supervisor)
    first = client.post("/api/clues/", TICKET, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    clue = Clue.objects.get()
    assert body["number"] == clue.number and body["query_code"] == clue.query_code
    assert clue.unit == actors.unit_b and clue.source == "hotline"  # found by its alias
    again = client.post("/api/clues/", TICKET, format="json")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Clue.objects.count() == 1 and "query_code" not in again.json()


def test_a_bad_ticket_says_what_to_fix_in_the_feeds_own_field_names(actors):
    client = api_as(actors.supervisor)
    response = client.post(
        "/api/clues/", TICKET | {"ticket": "GD2", "received_on": "21/09/2026", "unit_name": "区不存在局"}, format="json"
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.json()
    assert "received_on" in errors and "unit_name" in errors
    assert not Clue.objects.exists()


def test_units_cannot_post_and_read_only_their_transferred_clues(actors):
    client = api_as(actors.reporter_a)
    assert client.post("/api/clues/", TICKET, format="json").status_code == 403
    mine = services.clue_register(
        data={"source": "letter", "received_on": datetime.date(2026, 9, 21), "matter": "反映甲局问题。", "unit": actors.unit_a,
              "complainant_name": "保密人", "contact": "13800000000"},
        user=actors.supervisor,
    )  # fmt: skip
    assert client.get("/api/clues/").json()["count"] == 0  # not yet transferred
    services.clue_accept(clue=mine, unit=actors.unit_a, user=actors.supervisor)
    services.clue_transfer(clue=mine, user=actors.supervisor)
    listing = client.get("/api/clues/").json()
    assert listing["count"] == 1
    text = str(listing)
    assert "保密人" not in text and "13800000000" not in text and "query_code" not in text
