"""Benchmark: enforcement cases at scale, each measurement against raw SQL doing the same work.

    OVERSIGHT_MODE=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_bench \\
        .venv/bin/python bench/cases.py --n 1000000

Creates N cases across 100 units (officers with certificates, records, a mix of decided, published
and open acts over the last two years) in the empty database DATABASE_URL names (a throwaway SQLite
file when unset), then prints one JSON line per measurement:
{"name", "n", "seconds", "baseline_seconds", "ratio"}.

- full_check: every case checked by the platform (`check_all`) vs one SQL statement computing the
  same publicity and service deadlines over all cases (the baseline reads the same rows but
  evaluates only two rules, so it is a floor, not an equal).
- recheck_one: one case changes and is checked again (goal: under 50 ms) vs the SQL reading that
  case and its officers, certificates, records and findings.
- check_one: the same case checked again unchanged (`case_check`: what a passing date or a rule
  change does to one case; goal: under 10 ms) vs the same SQL.
- list_page: the case list page, as the supervisor, filtered by light and type and sorted by filing
  date (goal: within 3× of its SQL) vs the SQL counting and fetching the same page.
- import_10k: 10,000 rows imported from CSV, validated and written (goal: at least a quarter of
  COPY's rate) vs PostgreSQL COPY of the same cases and their officers into the same tables (same
  indexes, foreign keys checked at commit). import_10k_vs_bare_copy adds, for comparison, COPY into
  an unindexed temporary table of the same columns (on SQLite, an executemany INSERT).
"""

import argparse
import csv
import datetime
import io
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
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

UNITS = 100
OFFICERS_PER_UNIT = 8


def emit(name: str, n: int, seconds: float, baseline: float) -> None:
    print(
        json.dumps(
            {
                "name": name,
                "n": n,
                "seconds": round(seconds, 4),
                "baseline_seconds": round(baseline, 4),
                "ratio": round(seconds / baseline, 2) if baseline else None,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


timed = machine.best_of


def build(n: int) -> dict:
    from oversight.accounts.models import User, UserRole
    from oversight.cases.imports import write_rows
    from oversight.cases.models import Case, CaseRecord
    from oversight.core.calendar import calendar_seed_from_package
    from oversight.core.roles import Role
    from oversight.enforcement.models import Certificate, EnforcementSubject, Officer
    from oversight.organisations.models import Unit

    calendar_seed_from_package()
    rng = random.Random(11)
    root = Unit.objects.create(kind="government", name="基准区人民政府", short_name="基准区政府")
    units = Unit.objects.bulk_create(
        Unit(parent=root, kind="department", name=f"基准执法单位{i}", short_name=f"执法单位{i}", sort_order=i, is_enforcement=True)
        for i in range(UNITS)
    )  # fmt: skip
    subjects = EnforcementSubject.objects.bulk_create(
        EnforcementSubject(unit=u, name=f"{u.name}(主体)", legal_status="agency", legal_basis="法", enforcement_types=["penalty"])
        for u in units
    )  # fmt: skip
    officers = Officer.objects.bulk_create(
        Officer(unit=u, subject=s, name=f"人员{u.sort_order}-{k}", id_cipher="-", id_hash=f"h{u.sort_order}-{k}", id_masked="-", phone="13800000000")
        for u, s in zip(units, subjects, strict=True) for k in range(OFFICERS_PER_UNIT)
    )  # fmt: skip
    Certificate.objects.bulk_create(
        Certificate(officer=o, number=f"B{o.pk:08d}", kind="enforcement", areas="综合", issuing_authority="市政府",
                    issue_date=datetime.date(2020, 1, 1), expiry_date=datetime.date(2030, 12, 31))
        for o in officers
    )  # fmt: skip
    by_unit: dict[int, list[int]] = {}
    for o in officers:
        by_unit.setdefault(o.unit_id, []).append(o.pk)
    today = timezone.localdate()
    batch = 50_000
    for start in range(0, n, batch):
        records = []
        for i in range(start, min(n, start + batch)):
            unit = units[i % UNITS]
            filed = today - datetime.timedelta(days=rng.randint(1, 730))
            decided = (
                filed + datetime.timedelta(days=rng.randint(5, 60)) if rng.random() < 0.8 else None
            )
            if decided and decided > today:
                decided = None
            published = (
                decided + datetime.timedelta(days=rng.randint(0, 14))
                if decided and rng.random() < 0.9
                else None
            )
            served = (
                decided + datetime.timedelta(days=rng.randint(0, 10))
                if decided and rng.random() < 0.9
                else None
            )
            pool = by_unit[unit.pk]
            first = rng.randrange(len(pool))
            records.append({
                "unit_id": unit.pk, "subject_id": subjects[i % UNITS].pk, "number": f"基准〔{filed.year}〕{i}号",
                "act_type": "penalty", "procedure": "ordinary" if i % 3 else "simple", "party_kind": "person",
                "party_name": f"当事人{i}", "party_credit_code": "", "facts": "基准数据", "legal_basis": "", "fine_amount": None,
                "officers": [pool[first], pool[(first + 1) % len(pool)]], "filed_on": filed, "notified_on": None,
                "legal_review_on": None, "decided_on": decided, "served_on": served, "closed_on": None,
                "published_on": min(published, today) if published else None, "is_major": False,
                "involves_enterprise": False, "suspected_crime": False,
            })  # fmt: skip
        with transaction.atomic():
            ids = write_rows(records)
            CaseRecord.objects.bulk_create(
                (CaseRecord(case_id=pk, kind="document", title="决定书") for pk in ids if rng.random() < 0.9),
                batch_size=5000,
            )  # fmt: skip
    supervisor = User.objects.create(
        username="bench-supervisor", full_name="基准监督员", primary_unit=root
    )
    UserRole.objects.create(user=supervisor, role=Role.SUPERVISOR)
    reporter = User.objects.create(
        username="bench-reporter", full_name="基准填报员", primary_unit=units[0]
    )
    UserRole.objects.create(user=reporter, role=Role.REPORTER)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "units": units,
        "supervisor": supervisor,
        "reporter": reporter,
        "by_unit": by_unit,
        "count": Case.objects.count(),
    }


def existing() -> dict:
    from oversight.accounts.models import User
    from oversight.cases.models import Case
    from oversight.organisations.models import Unit

    return {
        "units": list(Unit.objects.filter(name__startswith="基准执法单位").order_by("sort_order")),
        "supervisor": User.objects.get(username="bench-supervisor"),
        "reporter": User.objects.get(username="bench-reporter"),
        "count": Case.objects.count(),
    }


def check_floor(today: datetime.date) -> float:
    """The floor of a full check: the publicity (7 working days) and service deadlines over every
    case in one SQL statement, using a precomputed table of "decision date → due date" (the
    working-day arithmetic done once), with each case's officers and records counted."""
    from oversight.core.calendar import add_workdays

    first = datetime.date(today.year - 3, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS bench_due (day date PRIMARY KEY, due date)"
        )
        cursor.execute("DELETE FROM bench_due")
        cursor.executemany(
            "INSERT INTO bench_due (day, due) VALUES (%s, %s)",
            [(first + datetime.timedelta(days=k), add_workdays(first + datetime.timedelta(days=k), 7))
             for k in range((today - first).days + 1)],
        )  # fmt: skip

    def sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id, CASE WHEN (c.published_on IS NULL AND %s > d.due) OR c.published_on > d.due THEN 'red' END,"
                " CASE WHEN (c.served_on IS NULL AND %s > d.due) OR c.served_on > d.due THEN 'red' END,"
                " (SELECT count(*) FROM cases_caseofficer o WHERE o.case_id = c.id),"
                " (SELECT count(*) FROM cases_caserecord r WHERE r.case_id = c.id)"
                " FROM cases_case c LEFT JOIN bench_due d ON d.day = c.decided_on",
                [today, today],
            )
            for _row in iter(lambda: cursor.fetchmany(10000), []):
                pass

    return timed(sql)


def full_check(n: int) -> None:
    from oversight.cases.services import check_all

    today = timezone.localdate()
    seconds = timed(lambda: check_all(today=today))
    emit("full_check", n, seconds, check_floor(today))


def recheck_one(n: int, ctx: dict) -> None:
    from oversight.cases.models import Case
    from oversight.cases.services import case_save

    case = (
        Case.objects.filter(decided_on__isnull=False, published_on__isnull=True)
        .order_by("pk")
        .first()
    )
    day = case.decided_on

    def change():
        case.refresh_from_db()
        case_save(case=case, data={"published_on": day if case.published_on is None else None})

    seconds = timed(change, repeat=5)

    def sql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM cases_case WHERE id = %s", [case.pk])
            cursor.fetchall()
            cursor.execute(
                "SELECT o.*, c.* FROM cases_caseofficer co JOIN enforcement_officer o ON o.id = co.officer_id"
                " JOIN enforcement_certificate c ON c.officer_id = o.id WHERE co.case_id = %s",
                [case.pk],
            )
            cursor.fetchall()
            for table in ("cases_caserecord", "cases_caseextension", "cases_finding"):
                cursor.execute(f"SELECT * FROM {table} WHERE case_id = %s", [case.pk])
                cursor.fetchall()
            cursor.execute(
                "UPDATE cases_case SET published_on = published_on WHERE id = %s", [case.pk]
            )

    baseline = timed(sql, repeat=5)
    emit("recheck_one", n, seconds, baseline)

    # The check alone (what a date passing or a rule change does to one case): read, evaluate,
    # write what changed; no edit, no audit entry.
    from oversight.cases.services import case_check

    emit("check_one", n, timed(lambda: case_check(case=case), repeat=5), baseline)


def list_page(n: int, ctx: dict) -> None:
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(ctx["supervisor"])
    url = "/cases/?light=red&act_type=penalty&sort=-filed_on"
    response = client.get(url)
    assert response.status_code == 200 and "共" in response.content.decode()
    seconds = timed(lambda: client.get(url), repeat=5)

    def sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM cases_case WHERE light = 'red' AND act_type = 'penalty'"
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT c.id, c.number, c.act_type, c.procedure, c.party_name, c.filed_on, c.decided_on, c.light,"
                " c.fine_amount, u.short_name FROM cases_case c JOIN organisations_unit u ON u.id = c.unit_id"
                " WHERE c.light = 'red' AND c.act_type = 'penalty' ORDER BY c.filed_on DESC, c.id DESC LIMIT 50"
            )
            cursor.fetchall()

    emit("list_page", n, seconds, timed(sql, repeat=5))


def import_10k(n: int, ctx: dict) -> None:
    from oversight.cases import imports
    from oversight.cases.models import Case
    from oversight.enforcement.models import Certificate

    unit = ctx["units"][0]
    certs = list(
        Certificate.objects.filter(officer__unit=unit).values_list("number", flat=True)[:2]
    )
    rows = 10_000
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(imports.CaseImporter.headers_of())
    for i in range(rows):
        values = dict.fromkeys(imports.CaseImporter.headers_of(), "")
        values.update({
            "案号": f"导入基准-{i}", "执法单位": unit.short_name, "执法类别": "行政处罚", "程序": "普通程序",
            "当事人类型": "自然人", "当事人": f"当事人{i}", "违法事实": "基准", "立案日期": "2026-01-05",
            "决定日期": "2026-02-02", "送达日期": "2026-02-03", "公示日期": "2026-02-04", "执法证号": "、".join(certs),
        })  # fmt: skip
        writer.writerow([values[h] for h in imports.CaseImporter.headers_of()])
    data = buffer.getvalue().encode("utf-8")

    class Upload(io.BytesIO):
        name = "bench.csv"

    start = time.perf_counter()
    assert (
        imports.case_import(upload=Upload(data), filename="bench.csv", user=ctx["reporter"]) == rows
    )
    seconds = time.perf_counter() - start
    Case.objects.filter(number__startswith="导入基准-").delete()

    from oversight.cases.imports import COLUMNS, _values

    today, now = timezone.localdate(), timezone.now()
    record = {
        "unit_id": unit.pk, "subject_id": Case.objects.filter(unit=unit).values_list("subject_id", flat=True).first(),
        "act_type": "penalty", "procedure": "ordinary", "party_kind": "person", "party_credit_code": "", "facts": "基准",
        "legal_basis": "", "filed_on": datetime.date(2026, 1, 5), "notified_on": None, "legal_review_on": None,
        "decided_on": datetime.date(2026, 2, 2), "served_on": datetime.date(2026, 2, 3), "closed_on": None,
        "published_on": datetime.date(2026, 2, 4), "fine_amount": None, "is_major": False, "involves_enterprise": False,
        "suspected_crime": False,
    }  # fmt: skip
    values = [
        _values({**record, "number": f"复制基准-{i}", "party_name": f"当事人{i}"}, now, today)
        for i in range(rows)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS bench_copy; CREATE TEMPORARY TABLE bench_copy AS SELECT * FROM cases_case WHERE false"
        )

    def copy():
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY bench_copy ({', '.join(COLUMNS)}) FROM STDIN") as stream:
                    for row in values:
                        stream.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(
                    f"INSERT INTO bench_copy ({', '.join(COLUMNS)}) VALUES ({marks})", values
                )

    baseline = timed(copy)
    emit("import_10k_vs_bare_copy", rows, seconds, baseline)
    if connection.vendor != "postgresql":
        return
    # The baseline doing the same work: COPY of the same cases and their officers into the real
    # tables (their indexes, and the foreign keys checked at commit), without validation.
    officers = list(
        Certificate.objects.filter(number__in=certs).values_list("officer_id", flat=True)
    )

    def copy_into_cases():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('cases_case', 'id')) FROM generate_series(1, %s)",
                [rows],
            )
            ids = [row[0] for row in cursor.fetchall()]
            with cursor.copy(f"COPY cases_case (id, {', '.join(COLUMNS)}) FROM STDIN") as stream:
                for pk, row in zip(ids, values, strict=True):
                    stream.write_row((pk, *row))
            with cursor.copy("COPY cases_caseofficer (case_id, officer_id) FROM STDIN") as stream:
                for pk in ids:
                    for officer_id in officers:
                        stream.write_row((pk, officer_id))

    like_for_like = timed(copy_into_cases)
    Case.objects.filter(number__startswith="复制基准-").delete()
    emit("import_10k", rows, seconds, like_for_like)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument(
        "--skip-full-check", action="store_true", help="at very large N, skip the full check"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the cases a previous run left in DATABASE_URL instead of building anew",
    )
    parser.add_argument(
        "--only", nargs="*", default=None, help="full_check recheck_one list_page import_10k"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    machine.report()  # this run's machine speed, beside its figures
    start = time.perf_counter()
    ctx = existing() if args.reuse else build(args.n)
    args.n = ctx["count"]
    print(
        json.dumps(
            {"name": "build", "n": ctx["count"], "seconds": round(time.perf_counter() - start, 1)}
        ),
        file=sys.stderr,
    )
    wanted = set(args.only or ["full_check", "recheck_one", "list_page", "import_10k"])
    if "full_check" in wanted and not args.skip_full_check:
        full_check(args.n)
    if "recheck_one" in wanted:
        recheck_one(args.n, ctx)
    if "list_page" in wanted:
        list_page(args.n, ctx)
    if "import_10k" in wanted:
        import_10k(args.n, ctx)


if __name__ == "__main__":
    from oversight.core.context import acting_as_system

    # Services refuse to run without an actor: the benchmark acts as the platform itself.
    with acting_as_system("bench.cases"):
        main()
