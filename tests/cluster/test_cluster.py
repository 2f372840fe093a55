"""A small cluster on this machine: the platform's processes as production runs them, sharing
PostgreSQL and Redis — two web nodes, two task workers, two schedulers.

`make test-cluster` runs this file alone; `make test` runs it too when DATABASE_URL names a
PostgreSQL database and Redis answers on 127.0.0.1:6379 (as in CI), and skips it otherwise.
Each run makes its own database and drops it afterwards.

Shown here: both nodes are ready against the shared database and cache; a whole re-check of
cases, shared by the two workers in ranges, survives one worker killed (SIGKILL) in the middle of
a range: the other worker or the scheduler's revival takes the range over from its last committed
batch, the job ends, and every case was checked exactly once (the per-range counts add up to the
cases, and the kept per-unit counts equal a fresh count).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CASES = 30_000

pytestmark = pytest.mark.cluster


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, tmp_path: Path):
        base = _postgres_url()
        self.admin_url = base.rsplit("/", 1)[0] + "/postgres"
        self.db = f"oversight_cluster_{os.getpid()}"
        from cryptography.fernet import Fernet

        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_TEST")},
            "OVERSIGHT_MODE": "production",
            "DEBUG": "false",
            "SECRET_KEY": "cluster-" + "k" * 60,
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "DATABASE_URL": base.rsplit("/", 1)[0] + "/" + self.db,
            "CACHE_URL": "redis://127.0.0.1:6379/13",
            "CACHE_KEY_PREFIX": self.db,
            "OVERSIGHT_TASKS": "database",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "false",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_FORMAT": "json",
            "SCHEDULER_TICK_SECONDS": "1",
            "RECHECK_HELPERS": "1",
            "RECHECK_CHUNK_CASES": "1000",
            "RECHECK_STALE_SECONDS": "4",
            "RECHECK_REVIVE_SECONDS": "2",
            "DJANGO_SETTINGS_MODULE": "oversight.settings",
        }
        self.logs = tmp_path
        self.processes: dict[str, subprocess.Popen] = {}

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def python(self, code: str, timeout: int = 600) -> str:
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-4000:]
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [str(BIN / args[0]), *args[1:]], env=self.env, cwd=ROOT, stdout=log, stderr=log
        )
        self.processes[name] = process
        return process

    def web(self, name: str) -> int:
        port = _free_port()
        self.start(name, "waitress-serve", f"--listen=127.0.0.1:{port}", "--threads=4",
                   "oversight.wsgi:application")  # fmt: skip
        return port

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]


@pytest.fixture
def cluster(tmp_path):
    if _postgres_url() is None or not _redis_up():
        if os.environ.get("OVERSIGHT_REQUIRE_CLUSTER"):
            pytest.fail(
                "make test-cluster 需要 PostgreSQL（DATABASE_URL）和 127.0.0.1:6379 上的 Redis"
            )
        pytest.skip("需要 PostgreSQL（DATABASE_URL）和 Redis：CI 与 make test-cluster 中运行")
    c = Cluster(tmp_path)
    c.admin(f"DROP DATABASE IF EXISTS {c.db}")
    c.admin(f"CREATE DATABASE {c.db}")
    try:
        subprocess.run([str(BIN / "oversight"), "setup"], env=c.env, cwd=ROOT, check=True,
                       capture_output=True, timeout=600)  # fmt: skip
        yield c
    finally:
        c.stop()
        c.admin(f"DROP DATABASE IF EXISTS {c.db} WITH (FORCE)")


SEED = f"""
import datetime, django
django.setup()
from django.db import transaction
from django.utils import timezone
from oversight.cases.imports import write_rows
from oversight.enforcement.models import Certificate, EnforcementSubject, Officer
from oversight.organisations.models import Unit

today = timezone.localdate()
units = list(Unit.objects.filter(is_enforcement=True).order_by("pk")[:4])
pools = {{}}
for unit in units:
    subject = EnforcementSubject.objects.create(unit=unit, name=unit.name + "（主体）",
        legal_status="agency", legal_basis="法", enforcement_types=["penalty"])
    officers = Officer.objects.bulk_create(
        Officer(unit=unit, subject=subject, name=f"人员{{unit.pk}}-{{k}}", id_cipher="-",
                id_hash=f"h{{unit.pk}}-{{k}}", id_masked="-", phone="13800000000")
        for k in range(4))
    Certificate.objects.bulk_create(
        Certificate(officer=o, number=f"C{{o.pk:08d}}", kind="enforcement", areas="综合",
                    issuing_authority="市政府", issue_date=datetime.date(2020, 1, 1),
                    expiry_date=datetime.date(2035, 12, 31)) for o in officers)
    pools[unit.pk] = (subject.pk, [o.pk for o in officers])
rows = []
for i in range({CASES}):
    unit = units[i % len(units)]
    subject_id, pool = pools[unit.pk]
    filed = today - datetime.timedelta(days=30 + i % 300)
    decided = filed + datetime.timedelta(days=10) if i % 5 else None
    rows.append({{"unit_id": unit.pk, "subject_id": subject_id, "number": f"集群〔{{filed.year}}〕{{i}}号",
        "act_type": "penalty", "procedure": "ordinary", "party_kind": "person",
        "party_name": f"当事人{{i}}", "party_credit_code": "", "facts": "集群测试", "legal_basis": "",
        "fine_amount": None, "officers": pool[:2], "filed_on": filed, "notified_on": None,
        "legal_review_on": None, "decided_on": decided, "served_on": decided,
        "closed_on": None, "published_on": decided if i % 3 else None, "is_major": False,
        "involves_enterprise": False, "suspected_crime": False}})
with transaction.atomic():
    write_rows(rows)
print(len(rows))
"""

START_RECHECK = """
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from oversight.cases.models import Case
from oversight.cases.tasks import recheck_all
from oversight.core import background
from oversight.core.context import acting_as_system

# As a rule change does (cases/apps.py): the cases marked due and the job in one transaction.
with acting_as_system("集群测试"), transaction.atomic():
    Case.objects.update(next_check_on=timezone.localdate())
    job = background.start(kind="cases.recheck", title="规则调整后复查全部案件", task=recheck_all)
print(job.pk)
"""


def _state(cluster: Cluster, job_id: str) -> dict:
    """The job and its ranges, read straight from the cluster's database (fast enough to catch a
    worker in the middle of a range)."""
    import psycopg

    with psycopg.connect(cluster.env["DATABASE_URL"], autocommit=True) as connection:
        status, message, total = connection.execute(
            "SELECT status, message, total FROM core_job WHERE id = %s", [job_id]
        ).fetchone()
        ranges = [
            dict(
                zip(("status", "claimed_by", "done_up_to", "first_id", "checked"), row, strict=True)
            )
            for row in connection.execute(
                "SELECT status, claimed_by, done_up_to, first_id, checked"
                " FROM cases_recheckchunk WHERE job_id = %s ORDER BY first_id",
                [job_id],
            )
        ]
    return {"status": status, "message": message, "total": total, "ranges": ranges}


def _get(port: int, path: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    answer = connection.getresponse()
    return answer.status, json.loads(answer.read() or b"{}")


def _wait_ready(port: int, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, body = _get(port, "/readyz")
            if status == 200:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"port {port} never became ready")


def test_two_nodes_and_a_recheck_that_survives_a_killed_worker(cluster):
    assert int(cluster.python(SEED)) == CASES
    node_a, node_b = cluster.web("web-a"), cluster.web("web-b")
    for port in (node_a, node_b):
        assert _wait_ready(port)["checks"] == {
            "database": "ok", "migrations": "ok", "cache": "ok", "replica": "ok"
        }  # fmt: skip

    workers = {
        name: cluster.start(name, "oversight", "db_worker", "--interval", "0.2",
                            "--no-startup-delay", "--worker-id", name)
        for name in ("worker-1", "worker-2")
    }  # fmt: skip
    for name in ("scheduler-1", "scheduler-2"):
        cluster.start(name, "oversight", "run-scheduler")
    job_id = cluster.python(START_RECHECK)

    # Wait until a worker holds a range it has begun, then kill that worker outright.
    killed, deadline = None, time.monotonic() + 120
    while killed is None and time.monotonic() < deadline:
        state = _state(cluster, job_id)
        for chunk in state["ranges"]:
            if chunk["status"] == "running" and chunk["done_up_to"] >= chunk["first_id"]:
                pid = int(chunk["claimed_by"].split(":")[1])
                victim = next((n for n, p in workers.items() if p.pid == pid), None)
                if victim is not None:
                    os.kill(pid, signal.SIGKILL)
                    killed = victim
                    break
        time.sleep(0.01)
    assert killed, "no worker was seen in the middle of a range: " + json.dumps(state)[:2000]
    workers[killed].wait(10)

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state = _state(cluster, job_id)
        if state["status"] == "succeeded":
            break
        time.sleep(1)
    assert state["status"] == "succeeded", (
        json.dumps(state)[:3000] + cluster.log("worker-1") + cluster.log("worker-2")
    )
    assert {chunk["status"] for chunk in state["ranges"]} == {"done"}
    # Every case the job counted was checked once: a case checked twice would be counted twice in
    # its range. A batch of the hourly re-check that was under way when the job began is the only
    # thing that may take cases before the job counts them (they are then not in its total).
    checked = sum(chunk["checked"] for chunk in state["ranges"])
    assert checked == state["total"] and CASES - 1000 <= checked <= CASES
    assert f"{checked} 件" in state["message"]
    counts = json.loads(
        cluster.python(
            """
            import django, json
            django.setup()
            from django.db.models import Sum
            from django.utils import timezone
            from oversight.cases.models import Case, CaseTally
            from oversight.core.models import Job
            kept = dict(CaseTally.objects.values_list("light").annotate(n=Sum("n")))
            fresh = {light: Case.objects.filter(light=light).count() for light in ("red", "yellow")}
            started = Job.objects.get(pk=JOB).created_at
            due = (  # still due today and not checked since the job began: never checked
                Case.objects.filter(next_check_on__lte=timezone.localdate())
                .exclude(checked_at__gt=started).count()
            )
            print(json.dumps({"kept": {k: kept.get(k, 0) for k in fresh}, "fresh": fresh, "due": due}))
            """.replace("JOB", repr(job_id))
        )
    )
    assert counts["kept"] == counts["fresh"] and counts["fresh"]["red"] > 0
    assert counts["due"] == 0
    # Both nodes still answer, from the shared database and cache.
    for port in (node_a, node_b):
        assert _get(port, "/readyz")[0] == 200
