"""Benchmark: the main pages at a city's or a province's scale, each beside its own SQL.

    OVERSIGHT_MODE=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_pages \\
        .venv/bin/python bench/pages.py --assignments 100000 --cases 1000000

Builds in the empty database DATABASE_URL names (a throwaway SQLite file when unset) the cases of
bench/cases.py (M cases over 100 units) and work plans of N assignments over the same units (a plan
per 10,000 assignments, five units a task, a fifth of the tasks standing, signed, unsigned, pending
and completed assignments, accepted, returned and waiting reports), decides every light, then
requests each page as each role and prints one JSON line per page and role:
{"name", "n", "seconds", "baseline_seconds", "ratio", "paired_ratio", "queries", "repeated",
"bytes"}.

- seconds: the best of `--rounds` requests (nine) through the whole Django stack (middleware,
  session, template).
- baseline_seconds: the same page's SQL statements run on their own (the database's share), the
  best of as many replays, each taken right after a request: the ratio is what the platform adds to
  its SQL. `paired_ratio` is the median of each request over the replay beside it, which a machine
  changing speed during the run moves less than the ratio of two bests. `queries` counts the
  statements.
- trivial: the login page, through the same middleware: the floor for any page; and the password
  form as a signed-in user: the floor for any signed-in page (session, user, menu, layout).
- relight_all: deciding every light from scratch (after a rule change) vs reading the same rows.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_cases", HERE / "cases.py")
cases_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases_bench)  # sets up Django as bench/cases.py does

import machine  # noqa: E402  (bench/machine.py: the script's own directory)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

emit_line = cases_bench.emit
PER_PLAN = 10_000
UNITS_PER_TASK = 5


def build_plans(n: int, units: list) -> list[int]:
    from oversight.workplans.models import (
        Assignment,
        AssignmentEvent,
        Plan,
        Report,
        Task,
        TaskDeadline,
        TaskUnit,
    )  # fmt: skip

    rng = random.Random(5)
    today = timezone.localdate()
    issued = timezone.now() - datetime.timedelta(days=120)
    sign_due = (issued + datetime.timedelta(days=5)).date()
    plan_ids = []
    for p, start in enumerate(range(0, n, PER_PLAN)):
        size = min(PER_PLAN, n - start)
        with transaction.atomic():
            plan = Plan.objects.create(
                title=f"基准工作计划{p + 1}", year=today.year, status="issued", issued_at=issued
            )
            plan_ids.append(plan.pk)
            tasks = Task.objects.bulk_create(
                (
                    Task(
                        plan=plan, number=str(i + 1), order=i, part=f"{'一二三四五'[i % 5]}、基准部分",
                        title=f"基准任务{i + 1}", text="基准任务的内容。", is_standing=i % 5 == 0,
                        due_date=None if i % 5 == 0 else today + datetime.timedelta(days=rng.randint(-90, 150)),
                    )
                    for i in range(size // UNITS_PER_TASK)
                ),
                batch_size=5000,
            )  # fmt: skip
            TaskDeadline.objects.bulk_create(
                (TaskDeadline(task=t, date=t.due_date, standing=t.is_standing) for t in tasks),
                batch_size=5000,
            )
            links, rows = [], []
            for i, task in enumerate(tasks):
                chosen = [units[(i + k * 7) % len(units)] for k in range(UNITS_PER_TASK)]
                for k, unit in enumerate(chosen):
                    links.append(
                        TaskUnit(
                            task=task, unit=unit, name=unit.short_name, is_lead=k == 0, order=k
                        )
                    )
                    roll = rng.random()
                    status = (
                        "issued" if roll < 0.05 else "completion" if roll < 0.08
                        else "completed" if roll < 0.25 and not task.is_standing else "signed"
                    )  # fmt: skip
                    rows.append(
                        Assignment(
                            plan=plan, task=task, unit=unit, is_lead=k == 0, issued_at=issued, sign_due=sign_due,
                            due_date=task.due_date, status=status,
                            signed_at=None if status == "issued" else issued + datetime.timedelta(days=2),
                            completed_at=issued + datetime.timedelta(days=rng.randint(20, 110)) if status == "completed" else None,
                        )
                    )  # fmt: skip
            TaskUnit.objects.bulk_create(links, batch_size=5000)
            assignments = Assignment.objects.bulk_create(rows, batch_size=5000)
            AssignmentEvent.objects.bulk_create(
                (AssignmentEvent(assignment=a, action="issue", time=issued) for a in assignments),
                batch_size=5000,
            )
            last_quarter_end = datetime.date(
                today.year, ((today.month - 1) // 3) * 3 + 1, 1
            ) - datetime.timedelta(days=1)
            reports = []
            for a in assignments:
                if a.status == "signed" and a.task.is_standing:
                    reports.append(
                        Report(
                            assignment=a, kind="periodic", due_date=last_quarter_end + datetime.timedelta(days=7),
                            period_start=last_quarter_end.replace(day=1) - datetime.timedelta(days=60),
                            period_end=last_quarter_end, done_text="基准进展", self_status="on_track",
                            status=rng.choice(["accepted", "accepted", "accepted", "returned", "submitted"]),
                            submitted_at=timezone.now() - datetime.timedelta(days=rng.randint(10, 50)),
                        )
                    )  # fmt: skip
            Report.objects.bulk_create(reports, batch_size=5000)
    return plan_ids


def relight_all(n: int) -> None:
    from oversight.workplans.models import Assignment
    from oversight.workplans.services.lights import lights_due, lights_invalidate

    lights_invalidate()
    seconds = cases_bench.timed(lambda: lights_due())

    def sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.*, t.*, p.* FROM workplans_assignment a"
                " JOIN workplans_task t ON t.id = a.task_id JOIN workplans_plan p ON p.id = t.plan_id"
            )
            cursor.fetchall()
            cursor.execute("SELECT * FROM workplans_report")
            cursor.fetchall()

    emit_line("relight_all", Assignment.objects.count(), seconds, cases_bench.timed(sql))
    from oversight.core.bulk import tidy_after_rewrite

    tidy_after_rewrite(Assignment)  # as the relight job does after deciding every light


def _users(units) -> dict:
    from oversight.accounts.models import User, UserRole
    from oversight.core.roles import Role
    from oversight.organisations.models import Unit

    root = Unit.objects.get(name="基准区人民政府")
    made = {}
    for username, role, unit in [
        ("bench-leader", Role.LEADER, root),
        ("bench-head", Role.UNIT_HEAD, units[0]),
    ]:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": username, "primary_unit": unit}
        )
        if created:
            UserRole.objects.create(user=user, role=role)
        made[username] = user
    made["bench-supervisor"] = User.objects.get(username="bench-supervisor")
    made["bench-reporter"] = User.objects.get(username="bench-reporter")
    return made


SHOW_SQL = False
ROUNDS = 9


def _replayer(statements: list[tuple[str, object]]):
    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def _replay(statements: list[tuple[str, object]]) -> float:
    return cases_bench.timed(_replayer(statements), repeat=5)


def _paired(request, replay) -> tuple[float, float, float | None]:
    """The best request, the best replay, and the median of each request over the replay taken
    right after it: both sides of each pair see the machine in the same state."""
    pairs = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        request()
        middle = time.perf_counter()
        if replay is not None:
            replay()
        pairs.append((middle - start, time.perf_counter() - middle))
    ratios = sorted(page / sql for page, sql in pairs if replay is not None and sql > 0)
    median = ratios[len(ratios) // 2] if ratios else None
    return min(p for p, _ in pairs), min(q for _, q in pairs), median


def page(name: str, n: int, client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    statements: list[tuple[str, object]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(url)
    selects = [(q, p) for q, p in statements if q.lstrip().upper().startswith("SELECT")]
    seconds, baseline, paired = _paired(
        lambda: client.get(url), _replayer(selects) if selects else None
    )
    baseline = baseline if selects else 0.0
    line = {
        "name": name, "n": n, "seconds": round(seconds, 4), "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 2) if baseline else None,
        "paired_ratio": round(paired, 2) if paired else None,
        "queries": len(statements), "repeated": _repeated(statements), "bytes": len(response.content),
    }  # fmt: skip
    print(json.dumps(line, ensure_ascii=False), flush=True)
    if SHOW_SQL:
        for sql, params in statements:
            took = _replay([(sql, params)]) if sql.lstrip().upper().startswith("SELECT") else 0
            print(f"    {1000 * took:7.2f} ms  " + " ".join(sql.split())[:150], file=sys.stderr)


def _repeated(statements) -> int:
    """Statements whose SQL (parameters aside) the page ran more than once: a query per row."""
    seen: dict[str, int] = {}
    for sql, _ in statements:
        seen[sql] = seen.get(sql, 0) + 1
    return sum(count - 1 for count in seen.values() if count > 1)


def pages(n: int, cases: int, plan_ids: list[int], units) -> None:
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = _users(units)
    anonymous = Client()
    page("trivial_login_page", 0, anonymous, "/accounts/login/")
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    # The floor of a signed-in page: the password form, with the layout every page has (session,
    # user and roles, menu, unread count) and nothing of its own to read.
    page("trivial_signed_in_page", 0, clients["bench-reporter"], "/accounts/password/")
    plan = plan_ids[0]
    for name, who, url in [
        ("home", "bench-supervisor", "/"),
        ("home", "bench-leader", "/"),
        ("home", "bench-reporter", "/"),
        ("home", "bench-head", "/"),
        ("ledger", "bench-supervisor", "/plans/ledger/"),
        ("ledger_red", "bench-supervisor", "/plans/ledger/?light=red"),
        ("ledger_plan_unit", "bench-supervisor", f"/plans/ledger/?plan={plan}&unit={units[3].pk}"),
        ("ledger", "bench-reporter", "/plans/ledger/"),
        ("plan_page", "bench-supervisor", f"/plans/{plan}/"),
        ("plan_page", "bench-leader", f"/plans/{plan}/"),
        ("workspace", "bench-reporter", "/plans/workspace/"),
        ("workspace", "bench-head", "/plans/workspace/"),
        ("cockpit", "bench-leader", "/plans/cockpit/"),
        ("case_list_red", "bench-supervisor", "/cases/?light=red"),
        ("case_list", "bench-reporter", "/cases/"),
    ]:
        page(
            f"{name}:{who.removeprefix('bench-')}",
            n if "case" not in name else cases,
            clients[who],
            url,
        )


def main() -> None:
    global SHOW_SQL, ROUNDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="measure on what a previous run built")
    parser.add_argument(
        "--check", action="store_true", help="check every case first (red cases with findings)"
    )
    parser.add_argument("--sql", action="store_true", help="print each page's statements (stderr)")
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help="requests (and replays) per page, taken in turn"
    )
    args = parser.parse_args()
    SHOW_SQL, ROUNDS = args.sql, max(1, args.rounds)
    call_command("migrate", verbosity=0)
    machine.report()  # this run's machine speed, beside its figures
    from oversight.organisations.models import Unit
    from oversight.workplans.models import Assignment, Plan

    start = time.perf_counter()
    if args.reuse:
        ctx = cases_bench.existing()
        plan_ids = list(
            Plan.objects.filter(title__startswith="基准工作计划")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        ctx = cases_bench.build(args.cases)
        plan_ids = build_plans(args.assignments, ctx["units"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    if args.check:
        from oversight.cases.services import check_all

        seconds = cases_bench.timed(lambda: check_all(today=timezone.localdate()))
        print(json.dumps({"name": "check_all", "seconds": round(seconds, 1)}), file=sys.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    n = Assignment.objects.count()
    print(
        json.dumps({"name": "build", "n": n, "seconds": round(time.perf_counter() - start, 1)}),
        file=sys.stderr,
    )
    relight_all(n)
    units = list(Unit.objects.filter(name__startswith="基准执法单位").order_by("sort_order"))
    pages(n, ctx["count"], plan_ids, units)


if __name__ == "__main__":
    from oversight.core.context import acting_as_system

    with acting_as_system("bench.pages"):
        main()
