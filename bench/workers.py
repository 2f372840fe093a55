"""Running `oversight db_worker` processes as production does, until the queue is empty: shared by
the benchmarks that time work through the task queue (bench/tasks.py, bench/recheck_job.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def drain(workers: int) -> float:
    """Start `workers` worker processes, wait until no task is left ready or running, stop them;
    the seconds it took (starting the workers included: it is what adding a worker costs)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    open_ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    start = time.perf_counter()
    processes = [
        subprocess.Popen(
            [str(BIN / "oversight"), "db_worker", "--interval", "0.1", "--no-startup-delay"],
            env=os.environ,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        while open_.exists():
            time.sleep(0.05)
        seconds = time.perf_counter() - start
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    assert failed == 0, f"{failed} tasks failed"
    return seconds
