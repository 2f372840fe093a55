"""Benchmark: tasks per second through the task queue (django-tasks' database backend), by
`oversight db_worker` processes as production runs them, for the capacity model of
docs/scaling.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_tasks .venv/bin/python bench/tasks.py --n 2000

Makes N urgent notices with an email address in the empty database DATABASE_URL names, queues N
`send_email` tasks (core/tasks.py: claim the notice, send, done) and times 1 and then 2 workers
(separate processes; emails go to Django's dummy backend) until every task has finished; prints
one JSON line per measurement {"name", "n", "seconds", "baseline_seconds", "ratio"} with the
tasks per second added. The baseline is the same work called in one process without the queue
(claiming and sending each notice), so the ratio is what the queue costs: enqueueing is not
timed, claiming, running and recording each task is.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OVERSIGHT_MODE", "demo")  # the database task backend, as in production
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
os.environ["OVERSIGHT_TASKS"] = "database"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from workers import drain  # noqa: E402  (bench/workers.py)


def emit(name: str, n: int, seconds: float, baseline: float) -> None:
    line = {
        "name": name,
        "n": n,
        "seconds": round(seconds, 3),
        "baseline_seconds": round(baseline, 3),
        "ratio": round(seconds / baseline, 2) if baseline else None,
        "tasks_per_second": round(n / seconds, 1),
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)


def notices(n: int, tag: str) -> list[int]:
    from oversight.accounts.models import User
    from oversight.core.models import Notification

    user, _ = User.objects.get_or_create(
        username="bench-mail", defaults={"full_name": "基准", "email": "bench@example.gov.cn"}
    )
    rows = Notification.objects.bulk_create(
        Notification(user=user, key=f"bench:{tag}:{i}", title="基准", body="基准", urgent=True)
        for i in range(n)
    )
    return [row.pk for row in rows]


def queue(ids: list[int]) -> None:
    from oversight.core.tasks import send_email

    for pk in ids:
        send_email.enqueue(pk)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/tasks.py 需要 PostgreSQL(DATABASE_URL):多个 worker 用 SKIP LOCKED 领取任务。"
        )
    call_command("migrate", interactive=False, verbosity=0)

    from oversight.core.notifications import send_email_once

    ids = notices(args.n, "baseline")
    start = time.perf_counter()
    for pk in ids:
        send_email_once(pk)
    baseline = time.perf_counter() - start
    # Starting a worker process (Django set-up) is part of the first seconds; it is small beside
    # thousands of tasks and is what adding a worker costs.
    for workers in (1, 2):
        ids = notices(args.n, f"w{workers}")
        queue(ids)
        emit(
            f"send_email_{workers}_worker{'s' if workers > 1 else ''}",
            args.n,
            drain(workers),
            baseline,
        )


if __name__ == "__main__":
    main()
