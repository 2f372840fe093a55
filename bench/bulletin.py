"""Benchmark: a bulletin for a plan with 10,000 assignments (goal: under 5 seconds).

    OVERSIGHT_MODE=test .venv/bin/python bench/bulletin.py [--units 100] [--tasks 100]

Builds, in a fresh throwaway SQLite database (or the empty database DATABASE_URL names),
a plan of `tasks` tasks × `units` units issued 120 days ago, with signing, reports (accepted,
returned), completions and extensions on its timeline; then times computing the figures as of the
end of last quarter, and writing the Word and Excel files. Prints one JSON line per measurement.
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OVERSIGHT_MODE", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
TMP = tempfile.mkdtemp(prefix="oversight-bench-")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"

import django  # noqa: E402
import machine  # noqa: E402  (bench/machine.py: the script's own directory)

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(units: int, tasks: int) -> int:
    from oversight.core.calendar import calendar_seed_from_package
    from oversight.organisations.models import Unit
    from oversight.workplans.models import (
        Assignment,
        AssignmentEvent,
        Extension,
        Plan,
        Report,
        ReportRevision,
        Task,
        TaskDeadline,
    )  # fmt: skip

    calendar_seed_from_package()
    rng = random.Random(7)
    root = Unit.objects.create(kind="government", name="基准区人民政府", short_name="基准区政府")
    unit_rows = Unit.objects.bulk_create(
        Unit(
            parent=root, kind="department", name=f"基准单位{i}", short_name=f"单位{i}", sort_order=i
        )
        for i in range(units)
    )
    today = timezone.localdate()
    issued = timezone.now() - datetime.timedelta(days=120)
    plan = Plan.objects.create(title="基准计划", status="issued", issued_at=issued)
    task_rows = Task.objects.bulk_create(
        Task(
            plan=plan,
            number=str(i + 1),
            order=i,
            title=f"任务{i + 1}",
            text="内容。",
            is_standing=i % 2 == 0,
            due_date=None if i % 2 == 0 else today - datetime.timedelta(days=rng.randint(-60, 60)),
        )
        for i in range(tasks)
    )
    TaskDeadline.objects.bulk_create(
        TaskDeadline(task=t, date=t.due_date, standing=t.is_standing) for t in task_rows
    )
    sign_due = (issued + datetime.timedelta(days=5)).date()
    assignments = Assignment.objects.bulk_create(
        Assignment(
            plan=plan,
            task=t,
            unit=u,
            is_lead=(j == 0),
            issued_at=issued,
            sign_due=sign_due,
            due_date=t.due_date,
            status="signed",
            signed_at=issued + datetime.timedelta(days=rng.randint(1, 8)),
        )
        for t in task_rows
        for j, u in enumerate(unit_rows)
    )
    events, reports = [], []
    for a in assignments:
        events.append(AssignmentEvent(assignment=a, action="issue", time=issued))
        events.append(AssignmentEvent(assignment=a, action="sign", time=a.signed_at))
        if a.task.is_standing:
            reports.append(
                Report(
                    assignment=a,
                    kind="periodic",
                    due_date=today - datetime.timedelta(days=50),
                    done_text="进展",
                    self_status="on_track",
                    status=rng.choice(["accepted", "accepted", "returned", "submitted"]),
                    submitted_at=issued + datetime.timedelta(days=rng.randint(60, 80)),
                )
            )
        elif rng.random() < 0.6:
            a.status, a.completed_at = (
                "completed",
                issued + datetime.timedelta(days=rng.randint(20, 110)),
            )
    Assignment.objects.bulk_update(
        [a for a in assignments if a.status == "completed"],
        ["status", "completed_at"],
        batch_size=2000,
    )
    reports = Report.objects.bulk_create(reports, batch_size=2000)
    revisions = []
    for r in reports:
        events.append(
            AssignmentEvent(
                assignment_id=r.assignment_id, action="report_submit", time=r.submitted_at, report=r
            )
        )
        revisions.append(
            ReportRevision(
                report=r,
                version=1,
                content={"self_status": "on_track"},
                submitted_at=r.submitted_at,
            )
        )
        if r.status in {"accepted", "returned"}:
            events.append(
                AssignmentEvent(
                    assignment_id=r.assignment_id,
                    action=f"report_{'accept' if r.status == 'accepted' else 'return'}",
                    time=r.submitted_at + datetime.timedelta(days=2),
                    report=r,
                )
            )
    for a in assignments:
        if a.status == "completed":
            events.append(
                AssignmentEvent(
                    assignment=a,
                    action="completion_request",
                    time=a.completed_at - datetime.timedelta(days=1),
                )
            )
            events.append(
                AssignmentEvent(assignment=a, action="completion_confirm", time=a.completed_at)
            )
    AssignmentEvent.objects.bulk_create(events, batch_size=5000)
    ReportRevision.objects.bulk_create(revisions, batch_size=5000)
    for a in rng.sample(
        [a for a in assignments if a.due_date and a.status != "completed"],
        min(200, len(assignments) // 50),
    ):
        Extension.objects.create(
            assignment=a,
            old_date=a.due_date,
            requested_date=a.due_date + datetime.timedelta(days=30),
            reason="延期",
            status="approved",
            decided_at=issued + datetime.timedelta(days=30),
        )
    return plan.pk


def measure(name: str, n: int, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(
        json.dumps({"name": name, "n": n, "seconds": round(seconds, 3)}, ensure_ascii=False),
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=100)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    machine.report()  # this run's machine speed, beside its figures
    from oversight.bulletins.documents import bulletin_docx, bulletin_xlsx
    from oversight.bulletins.figures import compute
    from oversight.bulletins.models import Bulletin
    from oversight.workplans.models import Assignment, Plan

    plan_id = build(args.units, args.tasks)
    n = Assignment.objects.filter(task__plan_id=plan_id).count()
    plan = Plan.objects.get(pk=plan_id)
    today = timezone.localdate()
    end = datetime.date(today.year, ((today.month - 1) // 3) * 3 + 1, 1) - datetime.timedelta(
        days=1
    )
    start = datetime.date(end.year, end.month - 2, 1)
    bulletin = Bulletin(plan=plan, date_from=start, date_to=end, title="基准通报")
    figures = measure("bulletin_figures", n, lambda: compute(plan, start, end))
    measure("bulletin_docx", n, lambda: bulletin_docx(bulletin, figures))
    measure("bulletin_xlsx", n, lambda: bulletin_xlsx(bulletin, figures))
    measure(
        "bulletin_total",
        n,
        lambda: (
            bulletin_docx(bulletin, f := compute(plan, start, end)),
            bulletin_xlsx(bulletin, f),
        ),
    )


if __name__ == "__main__":
    from oversight.core.context import acting_as_system

    # Services refuse to run without an actor: the benchmark acts as the platform itself.
    with acting_as_system("bench.bulletin"):
        main()
