"""Liveness and readiness for a load balancer: public, never cached, 503 naming what failed."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.core import health


@pytest.fixture(autouse=True)
def _fresh_migration_memo(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)


@pytest.mark.django_db
def test_liveness_asks_nothing_of_the_database(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert len(captured) == 0
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_when_database_migrations_and_cache_answer(client):
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "message": "服务就绪",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "replica": "ok"},
    }
    assert "no-store" in response["Cache-Control"]
    # The migration check is made once a process: the second answer reads one statement only.
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:readyz")).status_code == 200
    assert [q["sql"] for q in captured.captured_queries] == ["SELECT 1"]


@pytest.mark.django_db
def test_unapplied_migrations_keep_the_node_out_of_rotation(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)])
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["migrations"] == "failed" and "数据库迁移" in body["message"]
    assert health._migrated is False  # asked again next time


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_makes_the_node_unready(client):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "cache": "failed",
        "replica": "ok",
    }
    assert response.json()["message"] == "服务暂不可用\uff1a缓存异常"
    assert "127.0.0.1:1" not in response.content.decode()  # the cause is logged, not shown


@pytest.mark.django_db
def test_without_a_database_the_migrations_are_not_asked(client, monkeypatch):
    def down():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed"
    assert response.json()["checks"]["migrations"] == "skipped"
    assert "数据库" in response.json()["message"]


def test_only_get_and_head(client):
    assert client.post(reverse("core:healthz")).status_code == 405
    assert client.head(reverse("core:healthz")).status_code == 200
