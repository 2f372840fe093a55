"""Prometheus metrics at `/metrics`, through `prometheus-client`.

Counted in this process: requests answered, by route (the URL pattern's name, never the path:
ids would make a series per object), method and status, and their duration. Read from the
database when Prometheus asks (the same on every node): the task queue's depth and the age of its
oldest waiting task, tasks running, tasks failed in the last 24 hours, background jobs by state,
scheduled jobs whose last run failed or that are overdue.

Each web process keeps its own counts: scrape every process (one port each, docs/deploy.md) and
sum in the query. The endpoint is off unless `METRICS_TOKEN` is set; Prometheus then sends it as
`Authorization: Bearer <token>`.
"""

from __future__ import annotations

import datetime
import hmac

from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "oversight_http_requests",
    "HTTP requests answered, by route, method and status",
    ["route", "method", "status"],
    registry=REGISTRY,
)
DURATION = Histogram(
    "oversight_http_request_duration_seconds",
    "Time to answer an HTTP request, by route",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)


def observe_request(request, response, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    route = match.view_name if match else "unmatched"
    REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    DURATION.labels(route).observe(seconds)


class DatabaseCollector:
    """Figures read from the database at each scrape: the queue, jobs and the scheduler."""

    def collect(self):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from .models import Job, ScheduledJob

        now = timezone.now()
        tasks = DBTaskResult.objects.aggregate(
            waiting=Count("pk", filter=Q(status=TaskResultStatus.READY)),
            oldest=Min("enqueued_at", filter=Q(status=TaskResultStatus.READY)),
            running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
            failed=Count(
                "pk",
                filter=Q(
                    status=TaskResultStatus.FAILED,
                    finished_at__gte=now - datetime.timedelta(hours=24),
                ),
            ),
        )
        yield GaugeMetricFamily(
            "oversight_task_queue_depth", "Tasks waiting for a worker", value=tasks["waiting"]
        )
        age = (now - tasks["oldest"]).total_seconds() if tasks["oldest"] else 0.0
        yield GaugeMetricFamily(
            "oversight_task_queue_oldest_age_seconds",
            "How long the oldest waiting task has waited",
            value=age,
        )
        yield GaugeMetricFamily(
            "oversight_tasks_running", "Tasks a worker is running", value=tasks["running"]
        )
        yield GaugeMetricFamily(
            "oversight_tasks_failed_24h", "Tasks failed in the last 24 hours", value=tasks["failed"]
        )
        jobs = GaugeMetricFamily(
            "oversight_jobs", "Background jobs started from the pages, by state", labels=["state"]
        )
        counted = dict(Job.objects.values_list("status").annotate(n=Count("pk")))
        for state in Job.Status.values:
            jobs.add_metric([state], counted.get(state, 0))
        yield jobs
        scheduled = ScheduledJob.objects.aggregate(
            failing=Count("pk", filter=Q(last_ok=False)),
            overdue=Count(
                "pk",
                filter=Q(next_run_at__lt=now - datetime.timedelta(minutes=10))
                & (Q(locked_until__isnull=True) | Q(locked_until__lt=now)),
            ),
        )
        yield GaugeMetricFamily(
            "oversight_scheduled_jobs_failing",
            "Periodic jobs whose last run failed",
            value=scheduled["failing"],
        )
        yield GaugeMetricFamily(
            "oversight_scheduled_jobs_overdue",
            "Periodic jobs more than 10 minutes past their time and not running (no scheduler?)",
            value=scheduled["overdue"],
        )


REGISTRY.register(DatabaseCollector())


@never_cache
@require_safe
def metrics(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("未启用监控指标：设置 METRICS_TOKEN 后可用。")
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse(
            "需要监控令牌。", status=401, content_type="text/plain; charset=utf-8"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
