"""Start-up checks that need a fresh interpreter."""

import os
import subprocess
import sys


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
