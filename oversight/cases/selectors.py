"""Reading cases: lists, figures, and each officer's last act (for the qualification clean-up)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q, QuerySet

from .models import Case, CaseOfficer, Finding


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


def finding_figures(*, user) -> dict:
    findings = Finding.objects.restrict(user, "view")
    by_level = dict(findings.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    by_unit = (
        findings.values("case__unit__short_name", "case__unit_id")
        .annotate(
            red=Count("id", filter=Q(level="red")), yellow=Count("id", filter=Q(level="yellow"))
        )
        .order_by("-red", "-yellow")
    )
    by_rule = findings.values("rule").annotate(n=Count("id")).order_by("-n")
    return {
        "red": by_level.get("red", 0),
        "yellow": by_level.get("yellow", 0),
        "by_unit": list(by_unit),
        "by_rule": list(by_rule),
    }


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
