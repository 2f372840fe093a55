"""The signed-in user of every request: its unit, roles and unread messages read in one statement
with the user, and the same as reading each on its own."""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.accounts.backends import LockoutAwareBackend
from oversight.accounts.models import UserRole
from oversight.core import notifications
from oversight.core.models import Notification
from oversight.core.roles import Role
from oversight.core.testing.fixtures import make_user

pytestmark = pytest.mark.django_db
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def tell(user, *keys: str) -> None:
    for key in keys:
        Notification.objects.create(user=user, key=key, title="计划已下发", body="请签收")


@pytest.fixture
def head(actors):
    """A unit head who also reports for the unit: two roles, three messages of which one is read."""
    user = make_user("fuzeren", Role.UNIT_HEAD, actors.unit_a)
    UserRole.objects.create(user=user, role=Role.REPORTER)
    tell(user, "a", "b", "c")
    Notification.objects.filter(user=user, key="a").update(read_at="2026-03-02T09:00:00+08:00")
    tell(actors.reporter_a, "d")  # someone else's
    return user


def test_the_user_its_roles_and_unread_count_come_in_one_statement(head):
    with CaptureQueriesContext(connection) as queries:
        user = LockoutAwareBackend().get_user(head.pk)
        roles = user.role_codes
        unread = notifications.unread_count(user)
        unit = user.primary_unit.name
    assert len(queries.captured_queries) == 1
    assert roles == frozenset({Role.UNIT_HEAD, Role.REPORTER}) == head.role_codes
    assert unread == 2 == Notification.objects.filter(user=head, read_at=None).count()
    assert unit == head.primary_unit.name


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite's dates are converted: compiled each time")
def test_the_users_statement_is_compiled_once(head, actors):
    LockoutAwareBackend().get_user(actors.reporter_a.pk)
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compiled:
        user = LockoutAwareBackend().get_user(head.pk)
    assert compiled.call_count == 0
    assert (user.username, user.primary_unit_id, user.role_codes) == (
        head.username,
        head.primary_unit_id,
        head.role_codes,
    )
    assert user.primary_unit.short_name == head.primary_unit.short_name


def test_no_user_for_an_unknown_or_malformed_id(head):
    assert LockoutAwareBackend().get_user(head.pk + 1000) is None
    assert LockoutAwareBackend().get_user("1 OR 1=1") is None
    assert LockoutAwareBackend().get_user(str(head.pk)).pk == head.pk  # the session's text


def test_a_locked_or_inactive_user_is_not_signed_in(head):
    head.locked_until = "2099-01-01T00:00:00+08:00"
    head.save()
    assert LockoutAwareBackend().get_user(head.pk) is None
    head.locked_until = None
    head.is_active = False
    head.save()
    assert LockoutAwareBackend().get_user(head.pk) is None


def test_a_user_without_roles_or_messages(actors):
    user = make_user("nobody", Role.REPORTER, None)
    UserRole.objects.filter(user=user).delete()
    loaded = LockoutAwareBackend().get_user(user.pk)
    assert loaded.role_codes == frozenset()
    assert notifications.unread_count(loaded) == 0
    assert loaded.primary_unit is None


def test_messages_marked_read_in_the_request_are_counted_again(head):
    user = LockoutAwareBackend().get_user(head.pk)
    assert notifications.unread_count(user) == 2
    notifications.mark_read(user=user, ids=[Notification.objects.get(user=head, key="b").pk])
    assert notifications.unread_count(user) == 1
    notifications.mark_read(user=user)
    assert notifications.unread_count(user) == 0


def test_a_signed_in_page_reads_only_the_session_and_the_user(client, head):
    client.force_login(head)
    client.get(reverse("accounts:password_change"))  # the idle clock's first write
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 200
    tables = [q["sql"].rsplit(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]
    assert tables == ['"django_session"', '"accounts_user"']
    assert response.wsgi_request.user.role_codes == {Role.UNIT_HEAD, Role.REPORTER}
    assert b'data-testid="unread">2</span>' in response.content
    assert response.wsgi_request.session[SESSION_KEY] == str(head.pk)
