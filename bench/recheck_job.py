"""Benchmark: the whole re-check as production runs it after a rule or calendar change — the job
and its ranges recorded (`cases.apps._recheck_all`), the `cases.recheck` job and its helpers on
`oversight db_worker` processes.

    OVERSIGHT_MODE=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_bench \\
        .venv/bin/python bench/recheck_job.py --workers 1 2

Runs on the cases a `bench/cases.py` run built in DATABASE_URL (PostgreSQL: the workers share the
ranges with SKIP LOCKED). For each number of workers: records the job as a rule change does (timed
apart, as `record_job`: what the request that saves a rule waits for), then times the workers until
the queue is empty; `RECHECK_HELPERS` is set to workers − 1, so that every worker takes ranges.
Prints one JSON line per measurement {"name", "n", "seconds", "baseline_seconds", "ratio"}; the
baseline is the SQL floor of bench/cases.py's full check.
"""

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ["OVERSIGHT_TASKS"] = "database"  # the queue production uses, before Django starts
_spec = importlib.util.spec_from_file_location("bench_cases", HERE / "cases.py")
cases_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases_bench)  # sets up Django as bench/cases.py does

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from workers import drain  # noqa: E402  (bench/workers.py)


def run(workers: int) -> None:
    from oversight.cases.apps import _recheck_all
    from oversight.cases.models import Case
    from oversight.core.models import Job

    os.environ["RECHECK_HELPERS"] = str(workers - 1)  # read by the worker processes' settings
    start = time.perf_counter()
    _recheck_all(None, None)
    recorded = time.perf_counter() - start
    job = Job.objects.filter(kind="cases.recheck").order_by("-created_at").first()
    assert job is not None and not job.finished, "the re-check job was not recorded"
    seconds = drain(workers)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.status, job.message)
    n = Case.objects.count()
    assert not Case.objects.filter(next_check_on__lt=timezone.localdate()).exists()
    floor = cases_bench.check_floor(timezone.localdate())
    cases_bench.emit("record_job", n, recorded, floor)
    cases_bench.emit(f"recheck_job_{workers}_worker{'s' if workers > 1 else ''}", n, seconds, floor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/recheck_job.py 需要 PostgreSQL(DATABASE_URL):多个 worker 用 SKIP LOCKED 分担范围。"
        )
    for workers in args.workers:
        run(workers)


if __name__ == "__main__":
    from oversight.core.context import acting_as_system

    # The change is the platform's own (no user to notify): the job reports to no one.
    with acting_as_system("bench.recheck_job"):
        main()
