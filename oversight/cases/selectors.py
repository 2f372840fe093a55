"""Reading cases: lists, figures, and each officer's last act (for the qualification clean-up)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import Case, CaseOfficer, CaseTally, FindingTally


def officers_last_act() -> dict[int, datetime.date] | None:
    """Each officer's last recorded act; None while no case is recorded at all."""
    if not Case.objects.exists():
        return None
    rows = CaseOfficer.objects.values("officer_id").annotate(last=Max("case__filed_on"))
    return {r["officer_id"]: r["last"] for r in rows if r["last"]}


def case_list(*, user) -> QuerySet[Case]:
    return (
        Case.objects.restrict(user, "view")
        .select_related("unit")
        .only(
            "id",
            "number",
            "act_type",
            "procedure",
            "party_name",
            "filed_on",
            "decided_on",
            "light",
            "fine_amount",
            "unit__short_name",
            "unit__sort_order",
        )
    )


def finding_figures(*, user, by_rule: bool = False) -> dict:
    """Findings by level and by unit (and by rule when asked), from the counts the check keeps
    (tallies.py): a query each."""
    tallies = FindingTally.objects.restrict(user, "view").filter(n__gt=0).order_by()
    by_unit = list(
        tallies.values("unit__short_name", "unit_id")
        .annotate(
            red=Coalesce(Sum("n", filter=Q(level="red")), 0),
            yellow=Coalesce(Sum("n", filter=Q(level="yellow")), 0),
        )
        .order_by("-red", "-yellow", "unit__sort_order", "unit_id")
    )
    figures = {
        "red": sum(row["red"] for row in by_unit),
        "yellow": sum(row["yellow"] for row in by_unit),
        "by_unit": by_unit,
    }
    if by_rule:
        figures["by_rule"] = list(
            tallies.values("rule").annotate(n=Sum("n")).order_by("-n", "rule")
        )
    return figures


def lit_cases_by_unit(*, user, limit: int) -> tuple[int, list[tuple[int, str, int, int]]]:
    """The number of red cases, and (unit, name, red, yellow) of the units with most, from the
    counts the check keeps."""
    rows = list(
        CaseTally.objects.restrict(user, "view")
        .filter(n__gt=0)
        .values("unit_id", "unit__short_name")
        .annotate(
            red=Coalesce(Sum("n", filter=Q(light="red")), 0),
            yellow=Coalesce(Sum("n", filter=Q(light="yellow")), 0),
        )
        .order_by("-red", "-yellow", "unit__short_name")
    )  # a row a unit: the total is their sum
    red = sum(r["red"] for r in rows)
    return red, [(r["unit_id"], r["unit__short_name"], r["red"], r["yellow"]) for r in rows[:limit]]


def mode_figures(*, user) -> dict:
    """Leniency and new enforcement modes (task 11): counts of flagged acts, in total and by unit."""
    cases = Case.objects.restrict(user, "view")
    counts = {
        "first_offence_exempt": Count("id", filter=Q(first_offence_exempt=True)),
        "public_service_reduction": Count("id", filter=Q(public_service_reduction=True)),
        "fast_track": Count("id", filter=Q(fast_track=True)),
        "leniency_item": Count("id", filter=Q(leniency_item__isnull=False)),
    }
    total = cases.aggregate(**counts)
    by_unit = [
        row
        for row in cases.values("unit__short_name", "unit__sort_order", "unit_id")
        .annotate(**counts)
        .order_by("unit__sort_order", "unit_id")
        if any(row[key] for key in counts)
    ]
    return {"total": total, "by_unit": by_unit}
