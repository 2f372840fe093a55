"""Writing the audit log. Services call `record()`; nothing else writes AuditEntry."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import context
from .models import AuditEntry

# Never written to the log, whatever the model.
SECRET_FIELDS = frozenset({"password"})
# Models whose entries the audit administrator reads in full: configuration, accounts and grants,
# not business content. Everything else is shown as who did what to which record of which unit,
# with the business fields masked (三员分立: the auditor audits actions, not cases and reports).
TRANSPARENT_MODELS = frozenset(
    {
        "accounts.user",
        "accounts.userrole",
        "accounts.apitoken",
        "core.rule",
        "core.calendarday",
        "core.calendaryear",
        "core.scheduledjob",
        "organisations.unit",
        "organisations.unitalias",
        "organisations.unitgroup",
        "organisations.webhooktarget",
    }
)
# Personal fields masked even on transparent models.
PERSONAL_FIELDS = frozenset({"phone", "email", "contact_phone"})
MASK = "***"


def exempt(reason: str):
    """Marks a service whose writes are not audit entries, with the reason: derived state
    recomputed from audited data, or a log of its own (the login log). The audit guard of the
    test suite lets these through; every other writing service must call `record`."""

    def mark(function):
        function.audit_exempt = reason
        return function

    return mark


def _unit_of(obj: models.Model | None) -> str:
    """The unit a record belongs to, for the audit administrator (who sees no business data)."""
    if obj is None:
        return ""
    for path in ("unit", "assignment.unit", "report.assignment.unit", "officer.unit", "case.unit"):
        value: Any = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except (AttributeError, models.ObjectDoesNotExist):
            continue
        if value is not None:
            return str(value)[:100]
    return ""


def is_transparent(entry) -> bool:
    ct = entry.object_type
    return ct is None or f"{ct.app_label}.{ct.model}" in TRANSPARENT_MODELS


def masked_data(entry, data: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the audit administrator sees of a before/after snapshot."""
    if data is None:
        return None
    if is_transparent(entry):
        return {k: (MASK if k in PERSONAL_FIELDS and v else v) for k, v in data.items()}
    return dict.fromkeys(data, MASK)


def masked_repr(entry) -> str:
    if is_transparent(entry):
        return entry.object_repr
    return f"#{entry.object_id}" if entry.object_id else "—"


def masked_message(entry) -> str:
    if is_transparent(entry) or not entry.message:
        return entry.message
    return "(已屏蔽)"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The object's own fields and many-to-many ids, as JSON-safe values (`exclude`: names of
    either to leave out)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or field.name in exclude:
            continue
        if getattr(field, "auto_now", False):  # a modification stamp is not a change of data
            continue
        data[field.name] = _plain(field.value_from_object(obj))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name not in exclude:
                data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    object_type: type[models.Model] | None = None,
) -> AuditEntry:
    ctx = context.current()
    # obj.__class__, not type(obj): request.user arrives wrapped in a SimpleLazyObject.
    model = obj.__class__ if obj is not None else object_type
    if before is not None and after is not None:
        # Keep only what changed, so the log reads as a diff.
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    return AuditEntry.objects.create(
        user_id=ctx.user_id,
        username=ctx.username or "系统",
        request_id=ctx.request_id,
        ip=ctx.ip,
        action=action,
        object_type=ContentType.objects.get_for_model(model) if model is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        message=message[:500],
        unit_name=_unit_of(obj),
        via=(ctx.via or ("系统" if ctx.system else ""))[:100],
        data_before=before,
        data_after=after,
    )
