"""Load test: concurrent signed-in users over the main pages, against the production server setup.

    OVERSIGHT_MODE=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_pages \\
        .venv/bin/python bench/load.py --users 20 --seconds 60

Runs on the database a `bench/pages.py` run built (its users and plans). Starts the web server as
docs/deploy.md does (`waitress-serve --threads=8 oversight.wsgi:application`, persistent database
connections, production settings apart from HTTPS) on 127.0.0.1, signs each simulated user in
(a session per user), then for `--seconds` each user requests a page of its role's mix, waits for
the answer, and asks again (no think time: the harshest closed loop; `--think S` lets each user
read a page for S seconds on average first, as people do). Prints one JSON line per page
and one for the whole run: requests, errors, requests per second, median and p95 latency; and the
trivial page (the login form) alone with the same number of users, as the floor. The whole run's
line adds the CPU the server processes and, where PostgreSQL runs on this machine, its processes
used per request (`server_cpu_ms_per_request`, `database_cpu_ms_per_request`): a closed loop's
requests a second are bounded by the cores over their sum.
`--processes N` starts N such servers on consecutive ports, each user keeping to one of them (as
nginx in front of one server process per core would share them).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OVERSIGHT_MODE", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
# The sessions made here are read by the server: both sign with the same key.
os.environ.setdefault("SECRET_KEY", "bench-load-" + "k" * 50)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

PORT = 8097
MIX = {
    "bench-supervisor": ["/", "/plans/ledger/", "/plans/ledger/?light=red", "/plans/{plan}/", "/cases/?light=red"],
    "bench-leader": ["/", "/plans/cockpit/", "/plans/{plan}/"],
    "bench-reporter": ["/", "/plans/workspace/", "/plans/ledger/", "/cases/"],
    "bench-head": ["/", "/plans/workspace/"],
}  # fmt: skip


def _session_for(username: str) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from oversight.accounts.models import User

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["last_seen"] = time.time()
    store.create()
    return store.session_key


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _serve(env: dict, log, port: int = PORT) -> subprocess.Popen:
    # The server's log goes to a file: a pipe nobody reads fills up, and the server stops
    # when it writes its next line (waitress warns of its queue depth under this load).
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/waitress-serve"), f"--listen=127.0.0.1:{port}", "--threads=8",
         "oversight.wsgi:application"],
        env=env, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT,
    )  # fmt: skip
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                "GET", "/accounts/login/"
            )
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    log.seek(0)
    raise SystemExit("服务未能启动:" + log.read().decode()[-2000:])


def _run(
    users: list[tuple[str, str | None, list[str]]],
    seconds: float,
    ports: tuple[int, ...] = (PORT,),
    think: float = 0.0,
) -> list[tuple]:
    """Each user asks one server (user i the server i modulo their number, as a balancer
    keeping a client on one upstream would); with `think`, a user reads each page for a random
    0 to 2×`think` seconds (mean `think`) before the next click."""
    results: list[tuple] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user_loop(cookie: str | None, urls: list[str], seed: int):
        rng = random.Random(seed)
        port = ports[seed % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
        while time.perf_counter() < stop:
            url = rng.choice(urls)
            start = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                results.append((url, status, time.perf_counter() - start))
            if think:
                time.sleep(min(rng.uniform(0, 2 * think), max(0.0, stop - time.perf_counter())))
        conn.close()

    threads = [
        threading.Thread(target=user_loop, args=(cookie, urls, i))
        for i, (_, cookie, urls) in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds each of these processes has used (Linux /proc); a process gone
    is left out."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime (stat's 14, 15)
    return used


def _cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds used since `before` by these processes (a process started since counts all
    of its time; one that ended took its time with it)."""
    return sum(now - before.get(pid, 0.0) for pid, now in _cpu_seconds(pids).items())


def _database_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (none where it runs elsewhere)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _line(name: str, rows: list[tuple], seconds: float) -> dict:
    times = sorted(t for _, _, t in rows)
    return {
        "name": name,
        "requests": len(rows),
        "errors": sum(1 for _, status, _ in rows if status != 200),
        "rps": round(len(rows) / seconds, 1),
        "median_ms": round(1000 * statistics.median(times), 1) if times else None,
        "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 1) if times else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes (one per core behind nginx)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a user reads a page before the next click (0: none, the harshest)",
    )
    args = parser.parse_args()
    from oversight.workplans.models import Plan

    plan = Plan.objects.filter(title__startswith="基准工作计划").order_by("pk").first()
    if plan is None:
        raise SystemExit("请先用 bench/pages.py 在 DATABASE_URL 中建好基准数据。")
    env = {**os.environ, "OVERSIGHT_MODE": "production", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1",
           "SESSION_COOKIE_SECURE": "false", "SECURE_SSL_REDIRECT": "false",
           "FIELD_ENCRYPTION_KEY": os.environ.get("FIELD_ENCRYPTION_KEY") or _fernet_key()}  # fmt: skip
    names = list(MIX)
    users = []
    for i in range(args.users):
        name = names[i % len(names)]
        users.append((name, _session_for(name), [u.format(plan=plan.pk) for u in MIX[name]]))
    log = tempfile.TemporaryFile()  # noqa: SIM115  (open while the servers run)
    ports = tuple(PORT + i for i in range(args.processes))
    servers = [_serve(env, log, port) for port in ports]
    try:
        _run(users[: 2 * len(ports)], 3, ports)  # warm-up: connections, caches
        floor = _run(
            [(n, None, ["/accounts/login/"]) for n, _, _ in users], args.seconds / 4, ports
        )
        print(json.dumps(_line("trivial_login_page", floor, args.seconds / 4)), flush=True)
        # Where the CPU goes: the server processes' and PostgreSQL's, per request of the mix.
        server_pids = [server.pid for server in servers]
        database = _database_pids() if connection.vendor == "postgresql" else []
        servers_before, database_before = _cpu_seconds(server_pids), _cpu_seconds(database)
        rows = _run(users, args.seconds, ports, think=args.think)
        server_cpu = _cpu_since(servers_before, server_pids)
        database_cpu = _cpu_since(database_before, _database_pids()) if database else None
        for url in sorted({u for _, _, urls in users for u in urls}):
            print(
                json.dumps(_line(url, [r for r in rows if r[0] == url], args.seconds)),
                flush=True,
            )
        line = _line("all", rows, args.seconds)
        if rows:
            line["server_cpu_ms_per_request"] = round(1000 * server_cpu / len(rows), 1)
            if database_cpu is not None:
                # Backends that ended during the run took their time with them: a lower bound.
                line["database_cpu_ms_per_request"] = round(1000 * database_cpu / len(rows), 1)
        print(json.dumps(line), flush=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
