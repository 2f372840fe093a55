"""Notices to many people at once: once each, in a fixed number of statements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.core import notifications
from oversight.core.models import Notification
from oversight.core.roles import Role
from oversight.core.testing.fixtures import make_user


@pytest.fixture
def people(actors):
    return [make_user(f"tb{i}", Role.REPORTER, actors.unit_a) for i in range(120)]


@pytest.mark.django_db
def test_many_people_are_told_in_a_fixed_number_of_statements(people):
    message = notifications.Message(key="plan:1:issued", title="计划已下发", body="请签收")
    with CaptureQueriesContext(connection) as queries:
        created = notifications.notify(people, message)
    assert len(created) == 120 and all(n.pk for n in created)
    statements = [q["sql"] for q in queries.captured_queries]
    # 120 people: rows in batches (SQLite takes about a hundred a statement), not one by one
    assert sum(sql.startswith("INSERT") for sql in statements) <= 2
    assert sum(sql.startswith("SELECT") for sql in statements) == 1  # who has it already
    assert notifications.notify(people, message) == []  # told once


@pytest.mark.django_db
def test_some_told_meanwhile_by_another_process_are_skipped_one_by_one(people, monkeypatch):
    message = notifications.Message(key="plan:1:issued", title="计划已下发", body="请签收")
    notifications.notify(people[:10], message)
    # Another scheduler inserted these after this one looked: the batch INSERT is refused.
    real_filter = Notification.objects.filter
    monkeypatch.setattr(
        Notification.objects,
        "filter",
        lambda *a, **k: real_filter(pk__in=[]) if "key" in k else real_filter(*a, **k),
    )
    created = notifications.notify(people, message)
    assert len(created) == 110
    assert Notification.objects.count() == 120
    assert {n.user_id for n in created} == {p.pk for p in people[10:]}


@pytest.mark.django_db
def test_the_inactive_and_nobody_are_not_told(people):
    people[0].is_active = False
    created = notifications.notify(
        [people[0], None, people[1]], notifications.Message(key="k", title="t", body="b")
    )
    assert [n.user_id for n in created] == [people[1].pk]
