"""A small cluster on this machine: the platform's processes as production runs them, sharing
PostgreSQL, Redis and an S3-compatible object store (moto's server) — two web nodes, two task
workers, two schedulers.

`make test-cluster` runs this file alone; `make test` runs it too when DATABASE_URL names a
PostgreSQL database and Redis answers on 127.0.0.1:6379 (as in CI), and skips it otherwise.
Each test makes its own database and bucket and drops the database afterwards.

Shown here:
- both nodes are ready against the shared database, cache and store;
- a whole re-check of cases, shared by the two workers in ranges, survives one worker killed
  (SIGKILL) in the middle of a range: the other worker or the scheduler's revival takes the range
  over from its last committed batch, the job ends, and every case was checked exactly once;
- a large import uploaded and confirmed through node A is followed to its end through node B;
- meanwhile 20 reporters sign and save their reports with evidence through both nodes in turn:
  every acknowledged write is there (file, audit entry, last text), every file is in the bucket
  and none on a node's disk, a file uploaded through one node opens and downloads through the
  other (signed URL), another unit's reporter gets a 404;
- the two schedulers ran every periodic job, each due time once (the run history).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CASES = 30_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
            "CACHE_KEY_PREFIX": f"{self.db}_{uuid.uuid4().hex[:8]}",  # nothing from a run before
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
            "MEDIA_ROOT": str(tmp_path / "media"),  # must stay empty: files go to the bucket
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

    def object_store(self) -> None:
        """An S3-compatible server (moto's, from PyPI) with a private bucket the nodes share."""
        import boto3

        port = _free_port()
        self.start("s3", "moto_server", "-H", "127.0.0.1", "-p", str(port))
        endpoint = f"http://127.0.0.1:{port}"
        keys = {"STORAGE_S3_ACCESS_KEY": "cluster", "STORAGE_S3_SECRET_KEY": "cluster-secret"}
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the S3 server did not start"
                time.sleep(0.2)
        boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id=keys["STORAGE_S3_ACCESS_KEY"],
            aws_secret_access_key=keys["STORAGE_S3_SECRET_KEY"],
        ).create_bucket(Bucket="oversight")  # fmt: skip
        self.s3 = (endpoint, keys)
        self.env |= keys | {
            "STORAGE_S3_BUCKET": "oversight",
            "STORAGE_S3_ENDPOINT": endpoint,
            "STORAGE_S3_REGION": "us-east-1",
        }

    def bucket_keys(self) -> list[str]:
        import boto3

        endpoint, keys = self.s3
        client = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id=keys["STORAGE_S3_ACCESS_KEY"],
            aws_secret_access_key=keys["STORAGE_S3_SECRET_KEY"],
        )  # fmt: skip
        pages = client.get_paginator("list_objects_v2").paginate(Bucket="oversight")
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

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
        c.object_store()
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
from oversight.cases.apps import _recheck_all
from oversight.core.context import acting_as_system
from oversight.core.models import Job

# As a rule change does (cases/apps.py): the job and its ranges of case ids in one transaction.
with acting_as_system("集群测试"):
    _recheck_all(None, None)
print(Job.objects.filter(kind="cases.recheck").latest("created_at").pk)
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
    # Every case was checked once by the job: a case checked twice would be counted twice in its
    # range, and the ranges cover every case, due or not.
    checked = sum(chunk["checked"] for chunk in state["ranges"])
    assert checked == state["total"] == CASES
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


PLAN = """
import json, django
django.setup()
from oversight.accounts.services import user_create
from oversight.core.context import acting_as_system
from oversight.core.roles import Role
from oversight.demo.loader import load_seed_plan
from oversight.organisations.models import Unit
from oversight.workplans import services
from oversight.workplans.models import Assignment, Plan
from oversight.workplans.notify import ensure_default_rules

PASSWORD = "Cluster#2026"
with acting_as_system("集群测试"):
    bureau = Unit.objects.get(short_name="区司法局")
    supervisor, _ = user_create(username="jiandu", full_name="监督员", roles={Role.SUPERVISOR},
        primary_unit=bureau, password=PASSWORD, must_change_password=False)
    load_seed_plan()  # the seed notice read into a plan, as the supervisor would
    ensure_default_rules()
    plan = Plan.objects.get(status=Plan.Status.CONFIRMED)
    services.plan_issue(plan=plan, user=supervisor)
    reporters = []  # one assignment each; a unit's reporters share its assignments' scope
    for a in Assignment.objects.filter(plan=plan, due_date__isnull=False).order_by("unit", "pk")[:20]:
        user_create(username=f"tb{len(reporters):02d}", full_name=f"填报员{len(reporters)}",
            roles={Role.REPORTER}, primary_unit=a.unit, password=PASSWORD,
            must_change_password=False)
        reporters.append({"username": f"tb{len(reporters):02d}", "assignment": a.pk,
                          "due": a.due_date.isoformat(), "unit": a.unit_id})
print(json.dumps({"password": PASSWORD, "reporters": reporters}))
"""


def _base(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _login(port: int, username: str, password: str):
    """A browser's session: the login form, then the platform. Its cookie works on every node
    (sessions live in the shared database and cache)."""
    import requests

    session = requests.Session()
    form = session.get(_base(port) + "/accounts/login/", timeout=30)
    answer = session.post(
        _base(port) + "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": _token(form.text)},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert answer.status_code == 302, answer.text[-2000:]
    return session


def _pdf(label: str) -> bytes:
    return b"%PDF-1.4\n% " + label.encode() + b"\n" + os.urandom(2048) + b"\n%%EOF\n"


def _reporter(nodes: list[int], who: dict, password: str, seconds: float) -> dict:
    """Sign the assignment, then save the report's draft again and again, each time with one
    more evidence file, through the two nodes in turn, for `seconds`."""
    port = nodes[int(who["username"][2:]) % 2]
    session = _login(port, who["username"], password)
    form_url = f"/plans/assignments/{who['assignment']}/report/?kind=final&due={who['due']}"
    workspace = session.get(_base(port) + "/plans/workspace/", timeout=30)
    signed = session.post(
        _base(nodes[1 - nodes.index(port)]) + "/plans/assignments/sign/",
        data={"only": who["assignment"], "csrfmiddlewaretoken": _token(workspace.text)},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert signed.headers.get("Location", "").endswith(f"/assignments/{who['assignment']}/")
    token = _token(session.get(_base(port) + form_url, timeout=30).text)
    acknowledged, refused, last_text, files = 0, [], "", {}
    deadline = time.monotonic() + seconds
    k = 0
    while time.monotonic() < deadline:
        node = nodes[k % 2]
        text, name = f"第{k + 1}次进展（{who['username']}）", f"佐证{k + 1:03d}.pdf"
        data = _pdf(f"{who['username']}-{k}")
        answer = session.post(
            _base(node) + form_url,
            data={"kind": "final", "due": who["due"], "done_text": text, "self_status": "on_track",
                  "csrfmiddlewaretoken": token},
            files={"files": (name, data, "application/pdf")},
            allow_redirects=False, timeout=60,
        )  # fmt: skip
        if answer.status_code == 302 and "/plans/reports/" in answer.headers["Location"]:
            acknowledged += 1
            last_text, files[name] = text, (node, data)
        else:
            refused.append((answer.status_code, answer.text[-500:]))
        k += 1
    return {**who, "session": session, "acknowledged": acknowledged, "refused": refused,
            "last_text": last_text, "files": files}  # fmt: skip


def _enterprises_xlsx(n: int) -> bytes:
    import io

    from openpyxl import Workbook

    from oversight.core.identifiers import credit_code_complete

    book = Workbook(write_only=True)
    sheet = book.create_sheet("检查对象名录")
    sheet.append(["企业名称", "统一社会信用代码", "风险等级", "行业", "地址"])
    for i in range(n):
        code = credit_code_complete(f"91420200MA{i:07d}")
        sheet.append(
            [f"集群测试商贸有限公司{i}", code, "低中高"[i % 3], "批发零售", f"下陆区测试路{i}号"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_files_an_import_and_twenty_reporters_through_two_nodes(cluster):
    seeded = json.loads(cluster.python(PLAN))
    password, reporters = seeded["password"], seeded["reporters"]
    assert len(reporters) == 20
    nodes = [cluster.web("web-a"), cluster.web("web-b")]
    for port in nodes:
        assert _wait_ready(port)["checks"]["database"] == "ok"
    for name in ("worker-1", "worker-2"):
        cluster.start(name, "oversight", "db_worker", "--interval", "0.2", "--no-startup-delay",
                      "--worker-id", name)  # fmt: skip
    for name in ("scheduler-1", "scheduler-2"):
        cluster.start(name, "oversight", "run-scheduler")

    # A large import: uploaded and confirmed through node A, followed through node B.
    supervisor = _login(nodes[0], "jiandu", password)
    page = supervisor.get(_base(nodes[0]) + "/cases/enterprises/import/", timeout=30)
    preview = supervisor.post(
        _base(nodes[0]) + "/cases/enterprises/import/",
        data={"csrfmiddlewaretoken": _token(page.text)},
        files={"file": ("检查对象名录.xlsx", _enterprises_xlsx(8000), XLSX)},
        timeout=300,
    )  # fmt: skip
    import re

    found = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert found, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", preview.text))[-3000:]
    token = found.group(1)
    confirmed = supervisor.post(
        _base(nodes[0]) + "/cases/enterprises/import/",
        data={"op": "commit", "token": token, "ext": ".xlsx",
              "csrfmiddlewaretoken": _token(preview.text)},
        allow_redirects=False, timeout=60,
    )  # fmt: skip
    assert confirmed.status_code == 302 and "/jobs/" in confirmed.headers["Location"]
    job_path = confirmed.headers["Location"]

    # Meanwhile 20 reporters write through both nodes.
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        running = [pool.submit(_reporter, nodes, who, password, 20) for who in reporters]
        seen = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            followed = supervisor.get(
                _base(nodes[1]) + job_path, headers={"HX-Request": "true"}, timeout=30
            )
            assert followed.status_code == 200
            seen.append(re.search(r'data-status="(\w+)"', followed.text).group(1))
            if seen[-1] in ("succeeded", "failed"):
                break
            time.sleep(0.2)
        results = [future.result() for future in running]
    assert seen[-1] == "succeeded", followed.text[-2000:]
    assert "导入完成" in followed.text and "8000" in followed.text
    assert {"queued", "running"} & set(seen[:-1]), seen  # followed while under way

    # No write lost: every acknowledged save is there, with its file, its audit entry, and the
    # report holds the last acknowledged text.
    assert all(r["acknowledged"] >= 3 and not r["refused"] for r in results), [
        (r["username"], r["acknowledged"], r["refused"][:2]) for r in results
    ]
    stored = json.loads(
        cluster.python(
            """
            import django, json
            django.setup()
            from oversight.core.models import AuditEntry
            from oversight.inspections.models import Enterprise
            from oversight.workplans.models import Evidence, Report
            out = {"enterprises": Enterprise.objects.count(), "reporters": {}}
            for report in Report.objects.select_related("assignment"):
                files = {e.original_name: e.pk for e in Evidence.objects.filter(report=report)}
                audited = AuditEntry.objects.filter(
                    object_type__model="evidence", action="create", object_id__in=[str(pk) for pk in files.values()]
                ).count()
                out["reporters"][str(report.assignment_id)] = {
                    "text": report.done_text, "files": files, "audited": audited}
            print(json.dumps(out))
            """
        )
    )
    assert stored["enterprises"] == 8000
    for r in results:
        mine = stored["reporters"][str(r["assignment"])]
        assert mine["text"] == r["last_text"]
        assert sorted(mine["files"]) == sorted(r["files"])
        assert mine["audited"] == r["acknowledged"]

    # Every file is in the bucket, none on a node's disk. A file uploaded through one node opens
    # through the other (a PDF is shown inline, streamed by the node from the bucket) and downloads
    # from the bucket by a signed URL, byte for byte; another unit's reporter gets nothing.
    in_bucket = cluster.bucket_keys()
    written = {
        f"evidence/{digest[:2]}/{digest}"
        for r in results
        for _, data in r["files"].values()
        for digest in [hashlib.sha256(data).hexdigest()]
    }
    assert written <= set(in_bucket) and len(written) == sum(len(r["files"]) for r in results)
    assert not any(p.is_file() for p in Path(cluster.env["MEDIA_ROOT"]).rglob("*"))
    for r in results[:5]:
        name, (node, data) = sorted(r["files"].items())[-1]
        other = nodes[1 - nodes.index(node)]
        path = f"/plans/evidence/{stored['reporters'][str(r['assignment'])]['files'][name]}/"
        shown = r["session"].get(_base(other) + path, allow_redirects=False, timeout=30)
        assert shown.status_code == 200 and shown.content == data
        answer = r["session"].get(
            _base(other) + path + "?download=1", allow_redirects=False, timeout=30
        )
        assert answer.status_code == 302 and "X-Amz-Signature=" in answer.headers["Location"]
        assert answer.headers["Location"].startswith(cluster.env["STORAGE_S3_ENDPOINT"])
        assert r["session"].get(answer.headers["Location"], timeout=30).content == data
        stranger = next(x for x in results if x["unit"] != r["unit"])
        refused = stranger["session"].get(_base(other) + path, allow_redirects=False, timeout=30)
        assert refused.status_code == 404

    # Two schedulers ran the periodic jobs all the while: each due time ran once, each job ran.
    runs = json.loads(
        cluster.python(
            """
            import django, json
            django.setup()
            from django.db.models import Count
            from oversight.core.models import ScheduledJob, ScheduledRun
            twice = list(ScheduledRun.objects.values("job_id", "due_at").annotate(n=Count("pk"))
                         .filter(n__gt=1).values_list("job_id", flat=True))
            print(json.dumps({
                "jobs": sorted(ScheduledJob.objects.values_list("name", flat=True)),
                "ran": sorted(set(ScheduledRun.objects.values_list("job_id", flat=True))),
                "twice": twice,
                "workers": sorted(set(ScheduledRun.objects.values_list("worker", flat=True))),
                "unfinished": ScheduledRun.objects.filter(finished_at=None).count(),
                "runs": ScheduledRun.objects.count(),
            }))
            """
        )
    )
    assert runs["twice"] == [] and runs["ran"] == runs["jobs"], runs
    assert len(runs["workers"]) == 2  # both schedulers took turns
