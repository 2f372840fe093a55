"""Stored lights (亮灯): decided again after every event on an assignment, when a date passes, and
after a rule or the calendar changes. `lights.decide` is the one place that decides; this module
only chooses what to decide again and writes what changed."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oversight.core import audit
from oversight.core.bulk import update_rows

from ..lights import STORED, decide
from ..models import Assignment
from ..selectors import with_light_data

BATCH = 1000


def stale_q(today: datetime.date) -> Q:
    """Assignments whose stored light must be decided again before it is read on `today`."""
    return Q(light_on__isnull=True) | Q(light_next_on__lte=today)


def _write(assignments: list[Assignment], today: datetime.date) -> int:
    changed = []
    for assignment in assignments:
        decision = decide(assignment, today)
        if decision.differs_from(assignment):
            for name in STORED:
                setattr(assignment, name, getattr(decision, name))
            changed.append(assignment)
    update_rows(Assignment, changed, STORED)
    return len(changed)


@audit.exempt("按已审计的任务分工数据重新判定亮灯(派生数据)")
def light_refresh(*, assignment: Assignment, today: datetime.date | None = None) -> Assignment:
    """Decide one assignment's light now (after an event on it), in the caller's transaction;
    the caller's instance gets the stored values too, so a later save keeps them."""
    today = today or timezone.localdate()
    fresh = with_light_data(Assignment.objects.filter(pk=assignment.pk))
    for row in fresh:
        _write([row], today)
        for name in STORED:
            setattr(assignment, name, getattr(row, name))
    return assignment


@audit.exempt("按已审计的任务分工数据重新判定亮灯(派生数据)")
def lights_refresh(*, ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Decide the lights of these assignments (a plan just issued, a plan's settings changed)."""
    today = today or timezone.localdate()
    ids = sorted(ids)
    changed = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            changed += _write(with_light_data(Assignment.objects.filter(pk__in=chunk)), today)
    return changed


@audit.exempt("定时任务按日期重新判定亮灯(派生数据)")
def lights_due(
    *,
    today: datetime.date | None = None,
    within: Q | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Decide again the lights that are due on `today` (a date passed, or never decided), in
    batches by id; `within` narrows it (to what a page is about to show). Returns how many were
    decided; those that did not change are not written."""
    today = today or timezone.localdate()
    qs = Assignment.objects.filter(stale_q(today))
    if within is not None:
        qs = qs.filter(within)
    total = qs.count() if progress else 0
    done, last = 0, 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return done
        with transaction.atomic():
            _write(with_light_data(Assignment.objects.filter(pk__in=ids)), today)
        done += len(ids)
        last = ids[-1]
        if progress is not None:
            progress(done, max(total, done))


@audit.exempt("规则或工作日历调整后全部任务分工待重新判定亮灯(派生数据)")
def lights_invalidate() -> int:
    """A rule or the calendar changed: every light is to be decided again."""
    return Assignment.objects.exclude(light_on=None).update(light_on=None)
