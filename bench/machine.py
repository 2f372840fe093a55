"""How fast this machine is at the moment of a run: one JSON line printed beside a benchmark's.

A shared or throttled machine runs the same code at very different speeds from one hour to the next
(on the development machine, 2026-12-01: the loop below took 0.98 s in one run and 1.7 s a minute
later). The figures of two runs compare only through their ratios or beside this line: a fixed loop
of Python and a fixed SQL statement, each the best of three."""

from __future__ import annotations

import json
import time


def best_of(func, repeat: int = 1) -> float:
    """The fastest of `repeat` calls, in seconds (every benchmark's timer)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def _python() -> None:
    total = 0
    for i in range(3_000_000):
        total += i


def _sql() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT sum(g) FROM generate_series(1, 3000000) g")
        else:
            cursor.execute(
                "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 300000)"
                " SELECT sum(n) FROM g"
            )
        cursor.fetchall()


def report() -> None:
    """Print the machine's speed now: {"name": "machine", "python_seconds", "sql_seconds"}."""
    print(
        json.dumps(
            {
                "name": "machine",
                "python_seconds": round(best_of(_python, 3), 3),
                "sql_seconds": round(best_of(_sql, 3), 3),
            }
        ),
        flush=True,
    )
