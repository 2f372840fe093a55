"""Start-up checks that need a fresh interpreter."""

import json
import os
import socket
import subprocess
import sys
import uuid

import pytest


def run_check(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "OVERSIGHT_MODE", "FIELD_ENCRYPTION_KEY"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "oversight.cli", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_check(OVERSIGHT_MODE="production")
    assert result.returncode != 0
    assert "必须设置环境变量 SECRET_KEY" in result.stderr


def test_production_with_secret_key_starts():
    key = "0" * 43 + "="
    result = run_check(OVERSIGHT_MODE="production", SECRET_KEY="x" * 60, FIELD_ENCRYPTION_KEY=key)
    assert result.returncode == 0, result.stderr


def test_production_without_encryption_key_refuses_to_start():
    result = run_check(OVERSIGHT_MODE="production", SECRET_KEY="x" * 60, FIELD_ENCRYPTION_KEY="")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_unknown_mode_is_refused():
    result = run_check(OVERSIGHT_MODE="staging")
    assert result.returncode != 0
    assert "OVERSIGHT_MODE" in result.stderr


def test_unknown_cache_url_is_refused_with_what_to_write():
    result = run_check(OVERSIGHT_MODE="test", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL 应为空" in result.stderr
    assert "memcached://127.0.0.1:11211" in result.stderr


def test_a_wrong_random_page_cost_is_refused_with_what_to_write():
    result = run_check(
        OVERSIGHT_MODE="test",
        DATABASE_URL="postgres://oversight@127.0.0.1:5432/oversight",
        DB_RANDOM_PAGE_COST="fast",
    )
    assert result.returncode != 0
    assert "DB_RANDOM_PAGE_COST 应为正数（如 1.1），当前为 'fast'" in result.stderr


def test_the_page_cost_joins_options_the_database_url_carries():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DB_RANDOM_PAGE_COST"}
    environment.update(
        OVERSIGHT_MODE="test",
        DJANGO_SETTINGS_MODULE="oversight.settings",
        DATABASE_URL="postgres://oversight@127.0.0.1:5432/oversight?options=-c%20work_mem%3D64MB",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c work_mem=64MB -c random_page_cost=1.1"


@pytest.mark.django_db
def test_postgresql_connections_price_index_lookups_as_ssd():
    """The planner's cost of a random page read is set on each connection (settings.py)."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        shown = cursor.fetchone()[0]
    expected = os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip() or None
    if expected is None:
        pytest.skip("DB_RANDOM_PAGE_COST is empty here: the server's own setting applies")
    assert float(shown) == float(expected)
    options = settings.DATABASES["default"]["OPTIONS"]["options"]
    assert options.endswith(f"-c random_page_cost={float(expected):g}")


def _count_in_a_process(cache_url: str, key: str, times: int) -> list[bool]:
    code = (
        "import django, json; django.setup()\n"
        "from oversight.core.throttle import allow\n"
        f"print(json.dumps([allow({key!r}, limit=5, window=60) for _ in range({times})]))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        OVERSIGHT_MODE="test", CACHE_URL=cache_url, DJANGO_SETTINGS_MODULE="oversight.settings"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_a_shared_cache_two_processes_count_one_rate_limit():
    """Several web processes behind one address must not each allow the whole limit."""
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("本机未运行 Redis（CI 中运行）")
    key = f"test-shared-{uuid.uuid4().hex}"
    first = _count_in_a_process(redis_url, key, 3)
    second = _count_in_a_process(redis_url, key, 3)
    assert first == [True, True, True]
    assert second == [True, True, False]  # the sixth attempt, counted across both processes
    # Each process's own memory would have allowed all six.
    alone = [_count_in_a_process("", key, 3), _count_in_a_process("", key, 3)]
    assert alone == [[True] * 3, [True] * 3]
