"""Sessions read without the ORM give what Django's database store gives."""

import datetime
from unittest import mock

import pytest
from django.contrib.sessions.backends import db as django_store
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from oversight.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(data: dict) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_session_reads_as_djangos_store_reads_it_without_compiling_a_query():
    key = saved({"_auth_user_id": "7", "last_seen": 1764640000.5, "next": "/plans/"})
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compiled:
        data = SessionStore(key).load()
    assert compiled.call_count == 0
    assert data == django_store.SessionStore(key).load()
    assert data == {"_auth_user_id": "7", "last_seen": 1764640000.5, "next": "/plans/"}


def test_an_expired_or_unknown_session_is_empty_and_its_key_dropped():
    expired = saved({"_auth_user_id": "7"})
    Session.objects.filter(pk=expired).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for key in (expired, "x" * 32):
        store = SessionStore(key)
        assert store.load() == {} == django_store.SessionStore(key).load()
        assert store.session_key is None


def test_a_session_is_read_as_it_was_last_saved():
    key = saved({"step": 1})
    store = SessionStore(key)
    store["step"] = 2
    store.save()
    assert SessionStore(key).load() == {"step": 2}
