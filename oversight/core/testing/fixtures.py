"""Fixed actors for every test (healthchecks' alice/bob/charlie, NetBox's generic test cases).

Two units A and B under the district government, a reporter of each, a unit head of A, a
supervisor of 区司法局, a district leader and the three separated administrators. Passwords are
unusable: tests log in with `client.force_login`, except the login tests, which set one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from oversight.accounts.models import User, UserRole
from oversight.core.roles import Role
from oversight.organisations.models import Unit, UnitKind


@dataclass
class Actors:
    root: Unit
    bureau: Unit
    unit_a: Unit
    unit_b: Unit
    supervisor: User
    reporter_a: User
    reporter_b: User
    head_a: User
    leader: User
    sysadmin: User
    secadmin: User
    auditor: User

    def all_roles(self) -> dict[str, User]:
        return {
            "supervisor": self.supervisor,
            "reporter": self.reporter_a,
            "unit_head": self.head_a,
            "leader": self.leader,
            "sysadmin": self.sysadmin,
            "secadmin": self.secadmin,
            "auditor": self.auditor,
        }


def make_user(username: str, role: str, unit: Unit | None = None) -> User:
    user = User(username=username, full_name=username, primary_unit=unit)
    user.set_unusable_password()
    user.save()
    UserRole.objects.create(user=user, role=role)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def actors(db) -> Actors:
    root = Unit.objects.create(
        kind=UnitKind.GOVERNMENT, name="测试区人民政府", short_name="区政府", sort_order=0
    )
    bureau = Unit.objects.create(
        parent=root,
        kind=UnitKind.DEPARTMENT,
        name="测试区司法局",
        short_name="区司法局",
        is_enforcement=True,
    )
    unit_a = Unit.objects.create(
        parent=root,
        kind=UnitKind.DEPARTMENT,
        name="测试区市场监督管理局",
        short_name="区市场监管局",
        is_enforcement=True,
    )
    unit_b = Unit.objects.create(
        parent=root,
        kind=UnitKind.DEPARTMENT,
        name="测试区城市管理执法局",
        short_name="区城管执法局",
        is_enforcement=True,
    )
    unit_b.aliases.create(name="区城管局")
    return Actors(
        root=root,
        bureau=bureau,
        unit_a=unit_a,
        unit_b=unit_b,
        supervisor=make_user("supervisor", Role.SUPERVISOR, bureau),
        reporter_a=make_user("reporter_a", Role.REPORTER, unit_a),
        reporter_b=make_user("reporter_b", Role.REPORTER, unit_b),
        head_a=make_user("head_a", Role.UNIT_HEAD, unit_a),
        leader=make_user("leader", Role.LEADER, root),
        sysadmin=make_user("sysadmin", Role.SYSADMIN),
        secadmin=make_user("secadmin", Role.SECADMIN),
        auditor=make_user("auditor", Role.AUDITOR),
    )


@pytest.fixture(autouse=True)
def _system_actor():
    """Tests set up data by calling services directly, as the platform's own jobs do; requests
    made with the test client run in their own request context, where a view that forgets to
    pass the user is refused (`require_actor`)."""
    from oversight.core.context import acting_as_system

    with acting_as_system(""):
        yield


@pytest.fixture(autouse=True)
def _fresh_caches():
    from oversight.core import calendar, rules

    calendar.clear_cache()
    rules.clear_cache()
    yield
    calendar.clear_cache()
    rules.clear_cache()


@pytest.fixture
def client_as(client):
    """`client_as(user)` logs the test client in as that user and returns it."""

    def login(user: User):
        client.force_login(user)
        return client

    return login
