"""Named transaction locks: held until the transaction ends, shared by every process (PostgreSQL)."""

import pytest
from django.db import connection, transaction

from oversight.core import locks


def test_a_name_gives_one_stable_key_and_two_names_two():
    assert locks.key("cases.recheck") == locks.key("cases.recheck")
    assert locks.key("cases.recheck") != locks.key("workplans.relight")
    assert -(2**63) <= locks.key("cases.recheck") < 2**63


@pytest.mark.django_db(transaction=True)  # no transaction around the test
def test_a_lock_is_only_taken_inside_a_transaction():
    with pytest.raises(RuntimeError, match="事务"):
        locks.hold("cases.recheck")
    with transaction.atomic():
        locks.hold("cases.recheck")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL 的事务级咨询锁")
def test_another_session_waits_while_the_lock_is_held_and_takes_it_after_commit():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    other = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
        dbname=db["NAME"], password=db["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip
    key = locks.key("cases.recheck")
    try:
        with transaction.atomic():
            locks.hold("cases.recheck")
            got = other.execute("SELECT pg_try_advisory_xact_lock(%s)", [key]).fetchone()[0]
            assert got is False
        with other.transaction():
            assert other.execute("SELECT pg_try_advisory_xact_lock(%s)", [key]).fetchone()[0]
    finally:
        other.close()
