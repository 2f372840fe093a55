"""Reading clues in sets: the next limit and the light as SQL, so lists filter and sort in the
database whatever their size."""

from __future__ import annotations

import datetime

from django.db.models import Case, DateField, F, Q, QuerySet, When
from django.db.models.functions import Least

from .models import WARN_DAYS, Clue

S = Clue.Status
OPEN = [S.REGISTERED, S.ACCEPTED, S.TRANSFERRED, S.ANSWERED, S.REVIEWED]


def with_next_due(qs: QuerySet[Clue]) -> QuerySet[Clue]:
    """Annotate `due`: the limit the clue must meet at its stage (null once finished)."""
    return qs.annotate(
        due=Case(
            When(status=S.REGISTERED, then=F("accept_due")),
            When(
                status=S.TRANSFERRED,
                reply_due__isnull=False,
                then=Least("reply_due", "conclude_due"),
            ),
            When(status__in=OPEN, then=F("conclude_due")),
            default=None,
            output_field=DateField(),
        )
    )


def light_q(light: str, today: datetime.date) -> Q:
    """The clues (annotated by `with_next_due`) showing `light` on `today`."""
    warn = today + datetime.timedelta(days=WARN_DAYS)
    if light == "red":
        return Q(due__lt=today)
    if light == "yellow":
        return Q(due__gte=today, due__lte=warn)
    if light == "green":
        return Q(due__gt=warn)
    return Q(pk__in=[])


def light_counts(qs: QuerySet[Clue], today: datetime.date) -> dict[str, int]:
    annotated = with_next_due(qs)
    return {
        light: annotated.filter(light_q(light, today)).count()
        for light in ("red", "yellow", "green")
    }
