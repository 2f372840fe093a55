"""Per-unit counts of lit cases and of findings, kept in step with the check.

The home page and the cockpit show how many cases are red or yellow and which rules they break,
by unit. Counting that from a million cases and half a million findings takes seconds; these
counts take a hundred rows. The check (`services._sync_many`) knows what it changes — a light
from yellow to red, a finding added, removed or raised — and adds the differences here in the
same transaction (`Tally.add` … `Tally.save`), as an increment on the row (`INSERT … ON CONFLICT
… DO UPDATE SET n = n + excluded.n`), so concurrent checks of the same unit never lose a count;
the cases being checked are locked until their check is written (`services._locked`), so two
checks of one case never count the same difference twice.
A case moved to another unit takes its counts along (`move_case`). `rebuild` counts everything
again from the cases themselves (after the tables are first created, or should anyone doubt
them); `tests/test_tallies.py` checks that the kept counts equal a fresh count after every kind
of change.

Green cases are not counted: a case is green until a check finds something, and imports create
cases in bulk before their first check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Sum

from .models import Case, CaseTally, Finding, FindingTally

COUNTED_LIGHTS = ("red", "yellow")


class Tally:
    """The differences one check makes, written in `save` (a statement per table)."""

    def __init__(self) -> None:
        self.cases: Counter[tuple[int, str]] = Counter()
        self.findings: Counter[tuple[int, str, str]] = Counter()

    def light(self, unit_id: int, before: str, after: str) -> None:
        if before == after:
            return
        if before in COUNTED_LIGHTS:
            self.cases[unit_id, before] -= 1
        if after in COUNTED_LIGHTS:
            self.cases[unit_id, after] += 1

    def finding(self, unit_id: int, rule: str, before: str | None, after: str | None) -> None:
        if before == after:
            return
        if before is not None:
            self.findings[unit_id, rule, before] -= 1
        if after is not None:
            self.findings[unit_id, rule, after] += 1

    def save(self) -> None:
        _increment(CaseTally, ("unit_id", "light"), self.cases)
        _increment(FindingTally, ("unit_id", "rule", "level"), self.findings)


def _increment(model, key_columns: tuple[str, ...], deltas: Counter) -> None:
    # Sorted, so that two transactions touching the same rows lock them in the same order.
    rows = sorted((key, n) for key, n in deltas.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*key_columns, "n"))
    keys = ", ".join(connection.ops.quote_name(c) for c in key_columns)
    n = connection.ops.quote_name("n")
    placeholders = "(" + ", ".join(["%s"] * (len(key_columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT ({keys}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}",
                [value for key, delta in chunk for value in (*key, delta)],
            )


def move_case(case_id: int, from_unit_id: int, to_unit_id: int) -> None:
    """A case now belongs to another unit: its light and findings are counted there."""
    if from_unit_id == to_unit_id:
        return
    tally = Tally()
    light = Case.objects.filter(pk=case_id).values_list("light", flat=True).first()
    if light in COUNTED_LIGHTS:
        tally.cases[from_unit_id, light] -= 1
        tally.cases[to_unit_id, light] += 1
    for rule, level in Finding.objects.filter(case_id=case_id).values_list("rule", "level"):
        tally.findings[from_unit_id, rule, level] -= 1
        tally.findings[to_unit_id, rule, level] += 1
    tally.save()


@transaction.atomic
def rebuild(unit_ids: Iterable[int] | None = None) -> None:
    """Count every unit's (or the given units') lit cases and findings again from scratch."""
    cases = Case.objects.filter(light__in=COUNTED_LIGHTS)
    findings = Finding.objects.all()
    case_tallies = CaseTally.objects.all()
    finding_tallies = FindingTally.objects.all()
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        cases = cases.filter(unit_id__in=unit_ids)
        findings = findings.filter(case__unit_id__in=unit_ids)
        case_tallies = case_tallies.filter(unit_id__in=unit_ids)
        finding_tallies = finding_tallies.filter(unit_id__in=unit_ids)
    case_tallies.delete()
    finding_tallies.delete()
    CaseTally.objects.bulk_create(
        CaseTally(unit_id=row["unit_id"], light=row["light"], n=row["n"])
        for row in cases.order_by().values("unit_id", "light").annotate(n=Count("pk"))
    )
    FindingTally.objects.bulk_create(
        (
            FindingTally(
                unit_id=row["case__unit_id"], rule=row["rule"], level=row["level"], n=row["n"]
            )
            for row in findings.order_by()
            .values("case__unit_id", "rule", "level")
            .annotate(n=Count("pk"))
        ),
        batch_size=1000,
    )


def rebuild_if_missing(**kwargs) -> None:
    """After `migrate`: tables created over existing cases are filled once (post_migrate)."""
    if CaseTally.objects.exists() or FindingTally.objects.exists():
        return
    if Finding.objects.exists() or Case.objects.filter(light__in=COUNTED_LIGHTS).exists():
        rebuild()


def lit_total(user, light: str) -> int | None:
    """How many cases the user may read are lit `light`, from the kept counts; None where they do
    not say (a green light, or an officer who reads only the acts they took part in). The kept
    counts are scoped as the cases are (`scoping.tally_scope`, by unit)."""
    if light not in COUNTED_LIGHTS:
        return None
    if CaseTally.scope_q(user, "view") is None:
        return None
    rows = CaseTally.objects.restrict(user, "view").filter(light=light)
    return rows.aggregate(n=Sum("n"))["n"] or 0
