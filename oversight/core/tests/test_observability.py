"""What an operator of several nodes reads: request ids, structured logs, Prometheus metrics."""

import contextvars
import datetime
import json
import logging

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from oversight.core import context
from oversight.core.logs import JsonFormatter, RequestContextFilter
from oversight.core.models import Job

TOKEN = "m" * 40


def _record(message: str) -> logging.LogRecord:
    record = logging.LogRecord("oversight.test", logging.WARNING, __file__, 1, message, (), None)
    RequestContextFilter().filter(record)
    return record


def test_json_lines_name_the_request_and_the_user():
    with context.acting_as(username="jiandu", request_id="req-0123456789"):
        line = json.loads(JsonFormatter().format(_record("导入失败")))
    assert line["message"] == "导入失败" and line["level"] == "WARNING"
    assert line["request_id"] == "req-0123456789" and line["user"] == "jiandu"
    assert datetime.datetime.fromisoformat(line["time"]).utcoffset() == datetime.timedelta(hours=8)
    # Outside any request or job (a fresh context): no id, no user.
    outside = json.loads(contextvars.Context().run(lambda: JsonFormatter().format(_record("启动"))))
    assert outside["request_id"] == "-" and outside["user"] == "-"


@pytest.mark.django_db
def test_a_request_is_logged_with_its_route_status_and_id(client, caplog, actors):
    client.force_login(actors.supervisor)
    with caplog.at_level(logging.INFO, logger="oversight.requests"):
        response = client.get(reverse("core:notifications"))
    [record] = [r for r in caplog.records if r.name == "oversight.requests"]
    assert record.route == "core:notifications" and record.status == 200
    assert record.request_id == response["X-Request-ID"]
    assert record.username == "supervisor"


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_only_from_a_trusted_proxy(client):
    given = "nginx-5f2c9a7e1b3d4c6f"
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
        kept = client.get(reverse("core:healthz"), HTTP_X_REQUEST_ID=given, REMOTE_ADDR="127.0.0.1")
        odd = client.get(
            reverse("core:healthz"), HTTP_X_REQUEST_ID="a b<c>", REMOTE_ADDR="127.0.0.1"
        )
    with override_settings(TRUSTED_PROXIES=[]):
        forged = client.get(
            reverse("core:healthz"), HTTP_X_REQUEST_ID=given, REMOTE_ADDR="10.1.2.3"
        )
    assert kept["X-Request-ID"] == given
    assert odd["X-Request-ID"] != "a b<c>" and len(odd["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] != given


@pytest.mark.django_db
def test_metrics_are_off_without_a_token_and_closed_without_it(client):
    assert client.get(reverse("core:metrics")).status_code == 404
    with override_settings(METRICS_TOKEN=TOKEN):
        assert client.get(reverse("core:metrics")).status_code == 401
        wrong = client.get(reverse("core:metrics"), HTTP_AUTHORIZATION="Bearer " + "x" * 40)
        assert wrong.status_code == 401


@pytest.mark.django_db
def test_metrics_count_requests_by_route_and_read_the_queue(client, actors):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    client.force_login(actors.supervisor)
    client.get(reverse("core:notifications"))
    client.logout()
    now = timezone.now()
    for minutes in (3, 1):
        task = DBTaskResult.objects.create(
            status=TaskResultStatus.READY,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="oversight.cases.tasks.recheck_all",
            queue_name="default",
            backend_name="default",
        )  # enqueued now: moved back as if it had waited
        DBTaskResult.objects.filter(pk=task.pk).update(
            enqueued_at=now - datetime.timedelta(minutes=minutes)
        )
    Job.objects.create(kind="import", title="导入执法人员", status=Job.Status.FAILED)
    with override_settings(METRICS_TOKEN=TOKEN):
        response = client.get(reverse("core:metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    lines = dict(line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#"))
    key = 'oversight_http_requests_total{method="GET",route="core:notifications",status="200"}'
    assert float(lines[key]) >= 1
    assert float(lines["oversight_task_queue_depth"]) == 2
    assert 175 <= float(lines["oversight_task_queue_oldest_age_seconds"]) <= 600
    assert float(lines['oversight_jobs{state="failed"}']) == 1
    assert float(lines['oversight_jobs{state="running"}']) == 0
