"""What a page costs depends on what it shows, not on the size of the district.

Each main page is requested with a small plan and again after four times as many tasks (and
assignments, reports, red lights) were added: the number of SQL statements must not grow (no
query per row) and stays within the budget. bench/pages.py measures the time at 100,000 assignments.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.workplans import services
from oversight.workplans.models import Plan

from .conftest import make_task

# Statements per page (the issue's goal): a list pages its rows; a dashboard is one aggregation per
# figure, and the home page gathers every module's panel. Sessions, the user, roles and scope
# come first.
BUDGET = 15
DAY = dt.date(2026, 10, 20)


def _add_tasks(plan, actors, start: int, count: int) -> None:
    for i in range(start, start + count):
        task = make_task(
            plan,
            str(i),
            units=[(actors.unit_a, i % 2 == 0), (actors.unit_b, i % 2 == 1)],
            due=DAY + dt.timedelta(days=(i % 5) * 20 - 40),
            order=i,
        )
        services.task_set_units(
            task=task, links=[(actors.unit_a, i % 2 == 0), (actors.unit_b, i % 2 == 1)],
            user=actors.supervisor,
        )  # fmt: skip
        for assignment in task.assignments.all():
            user = actors.reporter_a if assignment.unit == actors.unit_a else actors.reporter_b
            services.assignment_sign(assignment=assignment, user=user)
            if i % 3 == 0:
                report = services.report_save(
                    assignment=assignment,
                    kind="final",
                    due_date=task.due_date,
                    data={"done_text": "已推进", "self_status": "on_track"},
                    user=user,
                )
                services.report_submit(report=report, user=user)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content.decode()[-1500:])
    return len(captured)


@pytest.mark.django_db
def test_pages_cost_the_same_for_four_times_the_plan(actors, calendar):
    moment = timezone.make_aware(dt.datetime.combine(DAY, dt.time(9)))
    with time_machine.travel(moment, tick=False):
        plan = Plan.objects.create(title="规模测试", year=2026)
        make_task(plan, "0", units=[(actors.unit_a, True)], due=DAY + dt.timedelta(days=30))
        services.plan_issue(plan=plan, user=actors.supervisor)
        _add_tasks(plan, actors, 1, 3)
        ledger = reverse("workplans:assignment_list")
        pages = [
            (actors.supervisor, reverse("core:home"), BUDGET),
            (actors.supervisor, plan.get_absolute_url(), BUDGET),
            (actors.supervisor, ledger, BUDGET),
            (actors.supervisor, ledger + "?light=red", BUDGET),
            (actors.supervisor, f"{ledger}?plan={plan.pk}&unit={actors.unit_b.pk}", BUDGET),
            (actors.leader, reverse("bulletins:cockpit"), BUDGET),
            (actors.reporter_a, reverse("workplans:workspace"), BUDGET),
            (actors.reporter_a, ledger, BUDGET),
            (actors.head_a, reverse("core:home"), BUDGET),
        ]
        clients = {}
        for user, _, _ in pages:
            clients[user] = Client()
            clients[user].force_login(user)
        for user, url, _ in pages:  # sessions, caches and today's lights settle first
            _queries(clients[user], url)
        small = [_queries(clients[user], url) for user, url, _ in pages]
        _add_tasks(plan, actors, 4, 12)
        large = [_queries(clients[user], url) for user, url, _ in pages]
    assert large == small, list(zip([url for _, url, _ in pages], small, large, strict=True))
    over = [(url, n) for (_, url, most), n in zip(pages, large, strict=True) if n > most]
    assert over == [], over
