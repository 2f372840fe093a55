"""Enforcement subjects (执法主体): registered by the bureau, confirmed for announcement."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor

from ..models import (
    EnforcementSubject,
    EnforcementType,
)
from .common import _supervisor


@transaction.atomic
def subject_save(
    *, subject: EnforcementSubject | None, data: dict[str, Any], user=None
) -> EnforcementSubject:
    """Register or change an enforcement subject (the supervisor keeps the district's list)."""
    require_actor(user)
    _supervisor(user)
    creating = subject is None
    subject = subject or EnforcementSubject()
    before = None if creating else audit.snapshot(subject)
    for key in (
        "unit",
        "name",
        "legal_status",
        "legal_basis",
        "enforcement_types",
        "status",
        "announcement_date",
    ):
        if key in data:
            setattr(subject, key, data[key])
    unknown = set(subject.enforcement_types) - set(EnforcementType.values)
    if unknown or not subject.enforcement_types:
        raise ValidationError({"enforcement_types": "请选择至少一种执法类别。"})
    subject.full_clean()
    subject.save()
    audit.record(
        action="create" if creating else "update",
        obj=subject,
        before=before,
        after=audit.snapshot(subject),
    )
    return subject


@transaction.atomic
def subjects_confirm(*, announcement_date: datetime.date, user=None) -> int:
    """The supervisor confirms the list; active subjects are announced on the public page."""
    require_actor(user)
    _supervisor(user)
    now = timezone.now()
    count = EnforcementSubject.objects.filter(status=EnforcementSubject.Status.ACTIVE).update(
        confirmed_at=now, announcement_date=announcement_date
    )
    audit.record(
        action="action", object_type=EnforcementSubject, message=f"确认并公告执法主体 {count} 个"
    )
    return count
