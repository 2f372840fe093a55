"""oversight parse-notice and import-notice, as scripts call them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.organisations.initial import load_initial_units
from oversight.workplans.models import Plan

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "xialu-notice-2024.txt"


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "oversight.cli", *args], capture_output=True, timeout=120
    )


def test_parse_notice_prints_utf8_json():
    result = run_cli("parse-notice", str(SEED))
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert "\\u" not in text  # no ASCII escaping
    data = json.loads(text)
    assert len(data["tasks"]) == 24
    assert data["tasks"][1]["deadlines"] == [{"date": "2024-11-15", "text": "2024年11月15日"}]
    assert data["tasks"][0]["section"] == [
        "一、全面推进严格规范公正文明执法",
        "(一)加强行政执法人员教育管理",
    ]
    assert set(data) >= {
        "title",
        "issuer",
        "doc_number",
        "date",
        "tasks",
        "body_tasks",
        "unknown_units",
    }


def test_parse_notice_bad_input_exits_non_zero_with_chinese_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("只是一句话。", encoding="utf-8")
    result = run_cli("parse-notice", str(bad))
    assert result.returncode != 0
    assert "不像是一份通知" in result.stderr.decode("utf-8")
    assert result.stdout == b""


def test_parse_notice_missing_file():
    result = run_cli("parse-notice", "/nonexistent/notice.txt")
    assert result.returncode != 0
    assert "无法读取文件" in result.stderr.decode("utf-8")


@pytest.mark.django_db
def test_parse_notice_year_option(tmp_path, capsys):
    notice = tmp_path / "n.txt"
    notice.write_text(
        "关于做好培训工作的通知\n分类\n工作任务\n责任单位\n完成时限\n一、培训\n1.组织培训。按计划组织。\n区司法局\n3月底前\n",
        encoding="utf-8",
    )
    call_command("parse_notice", str(notice), "--year", "2027")
    data = json.loads(capsys.readouterr().out)
    assert data["tasks"][0]["deadlines"][0]["date"] == "2027-03-31"


@pytest.mark.django_db
def test_import_notice_refuses_unknown_units(tmp_path):
    load_initial_units()
    notice = tmp_path / "n.txt"
    notice.write_text(
        SEED.read_text(encoding="utf-8").replace("区审计局", "区统计局"), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="区统计局"):
        call_command("import_notice", str(notice))
    assert Plan.objects.count() == 0
    call_command("import_notice", str(notice), "--create-units")
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_import_notice_twice_is_a_no_op(capsys):
    load_initial_units()
    call_command("import_notice", str(SEED))
    call_command("import_notice", str(SEED))
    assert "无需重复导入" in capsys.readouterr().out
    assert Plan.objects.count() == 1


def test_parse_notice_is_a_pure_command_without_secret_mode_or_database(tmp_path):
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "OVERSIGHT_MODE", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    pure = subprocess.run(
        [sys.executable, "-m", "oversight.cli", "parse-notice", str(SEED)],
        capture_output=True, timeout=120, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert pure.returncode == 0, pure.stderr.decode()
    configured = run_cli("parse-notice", str(SEED))
    # The same notice reads the same way whether or not a platform is configured.
    assert json.loads(pure.stdout) == json.loads(configured.stdout)
    assert not any(tmp_path.iterdir())  # nothing written
