"""A 司法所 reads what its 街办 reads, and nothing else; it changes nothing; who links it is the
security administrator's decision once it has accounts."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from oversight.core.roles import Role
from oversight.core.testing.fixtures import make_user
from oversight.enforcement.models import Officer
from oversight.organisations.models import Unit, UnitKind
from oversight.organisations.services import unit_create, unit_update
from oversight.supervision import services
from oversight.supervision.models import Clue, Document


@pytest.fixture(autouse=True)
def pinned(db):
    with time_machine.travel(datetime.datetime(2026, 9, 21, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def offices(actors):
    street = Unit.objects.create(
        parent=actors.root, kind=UnitKind.SUBDISTRICT, name="测试甲街道办事处", short_name="甲街办"
    )
    other = Unit.objects.create(
        parent=actors.root, kind=UnitKind.SUBDISTRICT, name="测试乙街道办事处", short_name="乙街办"
    )
    office = unit_create(
        data={
            "parent": actors.bureau,
            "kind": UnitKind.JUSTICE_OFFICE,
            "supervised_unit": street,
            "name": "测试区司法局甲司法所",
            "short_name": "甲司法所",
        },
        user=actors.sysadmin,
    )
    account = make_user("sifasuo", Role.JUSTICE_OFFICE, office)
    return street, other, office, account


def _officer(unit, n):
    return Officer.objects.create(
        unit=unit, name=f"执法员{n}", id_cipher="x", id_hash=f"h{n}", id_masked="4202**********0000"
    )


def test_reads_its_street_office_only_and_changes_nothing(actors, offices):
    street, other, _office, account = offices
    mine, theirs = _officer(street, 1), _officer(other, 2)
    assert list(Officer.objects.restrict(account, "view")) == [mine]
    assert not Officer.objects.restrict(account, "change").exists()
    assert set(Unit.objects.restrict(account, "view")) >= {street}
    assert other not in Unit.objects.restrict(account, "view")
    assert theirs not in Officer.objects.restrict(account, "view")


def test_reads_the_clues_and_documents_its_street_office_reads(actors, offices):
    street, other, _office, account = offices
    today = datetime.date(2026, 9, 21)
    judged = services.clue_register(
        data={"source": "letter", "received_on": today, "matter": "反映街道执法问题。", "unit": street},
        user=actors.supervisor,
    )  # fmt: skip
    sent = services.clue_register(
        data={"source": "letter", "received_on": today, "matter": "反映街道执法问题二。", "unit": street},
        user=actors.supervisor,
    )  # fmt: skip
    services.clue_accept(clue=sent, unit=street, user=actors.supervisor)
    services.clue_transfer(clue=sent, user=actors.supervisor)
    assert list(Clue.objects.restrict(account, "view")) == [sent]  # not one still being judged
    assert judged not in Clue.objects.restrict(account, "view")
    assert not Clue.objects.restrict(account, "change").exists()
    matter = services.matter_open(
        data={"kind": "routine", "title": "街道执法日常监督"}, units=[street, other], user=actors.supervisor
    )  # fmt: skip
    to_street = services.document_issue(
        matter=matter, kind="proposal", unit=street, facts="问题事实一。", requirement="改进要求一。",
        user=actors.supervisor,
    )  # fmt: skip
    services.document_issue(
        matter=matter, kind="proposal", unit=other, facts="问题事实二。", requirement="改进要求二。",
        user=actors.supervisor,
    )  # fmt: skip
    assert list(Document.objects.restrict(account, "view")) == [to_street]
    assert not Document.objects.restrict(account, "change").exists()


def test_only_a_justice_office_is_linked_and_only_to_a_street_office(actors, offices):
    street, _other, office, _account = offices
    with pytest.raises(ValidationError, match="只有类别为“司法所”的单位"):
        unit_update(unit=actors.unit_a, data={"supervised_unit": street}, user=actors.sysadmin)
    with pytest.raises(ValidationError, match="对口单位应为街道"):
        unit_update(unit=office, data={"supervised_unit": actors.unit_a}, user=actors.secadmin)


def test_relinking_an_office_with_accounts_is_the_security_administrators_call(actors, offices):
    _street, other, office, account = offices
    with pytest.raises(ValidationError, match="须由安全管理员办理"):
        unit_update(unit=office, data={"supervised_unit": other}, user=actors.sysadmin)
    unit_update(unit=office, data={"supervised_unit": other}, user=actors.secadmin)
    assert account.supervised_unit_ids == {other.pk}


def test_a_justice_office_account_belongs_to_a_justice_office(actors):
    from oversight.accounts.services import user_grant

    account = make_user("someone", Role.REPORTER, actors.unit_a)
    with pytest.raises(ValidationError, match="所属单位应为类别为“司法所”"):
        user_grant(
            actor=actors.secadmin, user=account, roles={Role.JUSTICE_OFFICE},
            primary_unit=actors.unit_a, note="调整为司法所账号",
        )  # fmt: skip
