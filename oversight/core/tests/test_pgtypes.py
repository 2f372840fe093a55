"""Timestamps read from PostgreSQL by psycopg's optimised loader, with Django's meaning kept."""

import datetime

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL 的时间戳读取"),
]


def _read(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_the_connection_reads_timestamptz_with_the_fast_loader():
    from psycopg.pq import Format

    from oversight.core.pgtypes import TIMESTAMPTZ_OID

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert loader.__name__ == "FastTzLoader"
    # Django checks this before every cursor and would put its slow loader back otherwise.
    assert loader.timezone == connection.timezone


@pytest.mark.parametrize(
    "text, expected",
    [
        # Beijing midnight: the day before in UTC.
        ("2026-10-01 00:00:00+08", datetime.datetime(2026, 9, 30, 16, 0, tzinfo=datetime.UTC)),
        (
            "2026-09-30 23:59:59.999999+08",
            datetime.datetime(2026, 9, 30, 15, 59, 59, 999999, tzinfo=datetime.UTC),
        ),
        ("1900-01-01 00:00:00+00", datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)),
    ],
)
def test_a_timestamp_is_the_same_instant_in_utc_as_django_reads_it(text, expected):
    value = _read("SELECT %s::timestamptz", [text])
    assert value == expected
    assert value.tzinfo is datetime.UTC  # Django's own loader gives exactly this zone


def test_a_model_field_round_trips_through_the_loader():
    from oversight.core.models import Job

    moment = datetime.datetime(2026, 9, 30, 23, 59, 59, 123456, tzinfo=datetime.UTC)
    job = Job.objects.create(kind="test.pgtypes", title="读取测试")
    Job.objects.filter(pk=job.pk).update(created_at=moment)
    assert Job.objects.values_list("created_at", flat=True).get(pk=job.pk) == moment
