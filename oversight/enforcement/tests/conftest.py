import datetime

import pytest

from oversight.core.identifiers import _ID_CHECK, _ID_WEIGHTS
from oversight.enforcement import services
from oversight.enforcement.models import EnforcementSubject


def make_id(birth: str = "19850612", seq: int = 1, region: str = "420204") -> str:
    """A valid 18-digit ID number (GB 11643) for tests."""
    body = f"{region}{birth}{seq:03d}"
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


@pytest.fixture
def officer_factory(actors):
    counter = {"n": 0}

    def make(unit=None, name=None, **data):
        counter["n"] += 1
        n = counter["n"]
        values = {
            "unit": unit or actors.unit_a,
            "name": name or f"人员{n}",
            "phone": f"1380000{n:04d}",
        }
        values.update(data)
        return services.officer_create(data=values, id_number=make_id(seq=n))

    return make


@pytest.fixture
def certificate_factory():
    counter = {"n": 0}

    def make(officer, **data):
        counter["n"] += 1
        today = datetime.date.today()
        values = {
            "number": f"42020400{counter['n']:04d}",
            "kind": "enforcement",
            "areas": "市场监管",
            "issuing_authority": "黄石市人民政府",
            "issue_date": today - datetime.timedelta(days=365),
            "expiry_date": today + datetime.timedelta(days=3 * 365),
        }
        values.update(data)
        return services.certificate_issue(officer=officer, data=values)

    return make


@pytest.fixture
def subject(actors):
    return EnforcementSubject.objects.create(
        unit=actors.unit_a,
        name="测试区市场监督管理局",
        legal_status="agency",
        legal_basis="《市场监督管理行政处罚程序规定》",
        enforcement_types=["penalty", "inspection"],
    )
