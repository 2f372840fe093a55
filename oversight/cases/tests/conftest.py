import datetime

import pytest

from oversight.core.calendar import calendar_seed_from_package
from oversight.core.identifiers import credit_code_complete
from oversight.enforcement.models import EnforcementSubject
from oversight.enforcement.tests.conftest import (  # noqa: F401  (shared fixtures)
    certificate_factory,
    officer_factory,
)

# A valid 统一社会信用代码 (GB 32100 check character), used as the party of organisation cases.
CREDIT_CODE = credit_code_complete("91420200MA4K3C8P0")


@pytest.fixture
def calendar_2025(db):
    calendar_seed_from_package(years=[2025, 2026])


@pytest.fixture
def subjects(actors):
    return {
        unit.pk: EnforcementSubject.objects.create(
            unit=unit,
            name=f"{unit.name}(主体)",
            legal_status="agency",
            legal_basis="《中华人民共和国行政处罚法》",
            enforcement_types=["penalty", "inspection", "coercion"],
            status="active",
        )
        for unit in (actors.unit_a, actors.unit_b)
    }


@pytest.fixture
def certified(officer_factory, certificate_factory):  # noqa: F811
    """`certified(unit, n)`: n officers of the unit with certificates valid 2020–2030."""

    def make(unit, n=2):
        officers = []
        for _ in range(n):
            officer = officer_factory(unit=unit)
            certificate_factory(
                officer,
                issue_date=datetime.date(2020, 1, 1),
                expiry_date=datetime.date(2030, 12, 31),
            )
            officers.append(officer)
        return officers

    return make


@pytest.fixture
def case_data(actors, subjects):
    """`case_data(**overrides)`: the fields of a valid ordinary penalty case of unit A."""

    def make(**overrides):
        unit = overrides.pop("unit", actors.unit_a)
        data = {
            "unit": unit,
            "subject": subjects[unit.pk],
            "number": "测市监罚〔2025〕1号",
            "act_type": "penalty",
            "procedure": "ordinary",
            "party_kind": "person",
            "party_name": "张三",
            "facts": "销售过期食品",
            "legal_basis": "《食品安全法》第124条",
            "filed_on": datetime.date(2025, 9, 1),
        }
        data.update(overrides)
        return data

    return make
