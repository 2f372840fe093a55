"""What other apps read of case-file review."""

from __future__ import annotations


def matter_from_file(request, pk: int) -> dict | None:
    """A supervision matter opened from a file graded 不合格 (one click on the file's page)."""
    from .models import ReviewFile

    review_file = (
        ReviewFile.objects.restrict(request.user, "view")
        .select_related("case", "unit", "round")
        .filter(pk=pk)
        .first()
    )
    if review_file is None:
        return None
    return {
        "kind": "case",
        "origin": "finding",
        "title": f"{review_file.unit.short_name}{review_file.case.number}案卷评查不合格"[:200],
        "units": [review_file.unit_id],
        "findings": f"{review_file.round}中,{review_file.unit}办理的 {review_file.case.number} 评为{review_file.grade}"
        f"({review_file.final_score} 分{',一票否决' if review_file.vetoed else ''})。",
        "origin_note": f"案卷评查:{review_file.round}"[:300],
    }


def register_matter_source() -> None:
    from oversight.supervision.selectors import MATTER_SOURCES

    MATTER_SOURCES["review_file"] = matter_from_file


def problem_figures() -> dict:
    """Problems found by item and each unit's average, per year of the published rounds (SQL)."""
    from django.db.models import Avg, Count, Q

    from .models import FAIL, Deduction, ReviewFile

    counted = Deduction.objects.filter(
        sheet__submitted_at__isnull=False, sheet__file__round__status="published"
    ).filter(Q(suggested=False) | Q(accepted=True))
    by_item = (
        counted.values("item__text", "sheet__file__round__year")
        .annotate(n=Count("sheet__file", distinct=True))
        .order_by("item__text")
    )
    files = ReviewFile.objects.filter(round__status="published", final_score__isnull=False)
    by_unit = (
        files.values("unit__short_name", "unit_id", "round__year")
        .annotate(
            average=Avg("final_score"), files=Count("pk"), failed=Count("pk", filter=Q(grade=FAIL))
        )
        .order_by("unit__short_name")
    )
    years = sorted(
        {r["sheet__file__round__year"] for r in by_item} | {r["round__year"] for r in by_unit}
    )
    items: dict[str, dict[int, int]] = {}
    for r in by_item:
        items.setdefault(r["item__text"], {})[r["sheet__file__round__year"]] = r["n"]
    units: dict[str, dict[int, dict]] = {}
    for r in by_unit:
        units.setdefault(r["unit__short_name"], {})[r["round__year"]] = r
    ranked = sorted(items.items(), key=lambda kv: -sum(kv[1].values()))
    return {"years": years, "items": ranked, "units": sorted(units.items())}
