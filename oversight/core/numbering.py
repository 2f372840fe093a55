"""Document numbers (文号): issuer abbreviation + 〔year〕 + number + 号, per type and year, no gaps."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from .models import DocumentCounter


@transaction.atomic
def next_number(*, kind: str, year: int, prefix: str) -> str:
    """Take the next number; the row lock makes concurrent callers wait rather than share a number.

    Called inside the transaction that creates the document, so a rolled-back document returns its
    number and the sequence keeps no gap.
    """
    counter, _ = DocumentCounter.objects.select_for_update().get_or_create(kind=kind, year=year)
    DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{prefix}〔{year}〕{counter.last}号"
