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
