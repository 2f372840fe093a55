"""Certificates: issued, suspended, restored, withdrawn, cancelled; annual reviews."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor

from ..models import (
    Certificate,
    CertificateEvent,
    CertificateReview,
    Officer,
)
from .common import _in_scope, _supervisor

CERTIFICATE_FIELDS = ("number", "kind", "areas", "issuing_authority", "issue_date", "expiry_date")

# The lifecycle: which status each change starts from.
TRANSITIONS = {
    "suspend": ({Certificate.Status.VALID}, Certificate.Status.SUSPENDED, "暂扣"),
    "restore": ({Certificate.Status.SUSPENDED}, Certificate.Status.VALID, "恢复"),
    "withdraw": (
        {Certificate.Status.VALID, Certificate.Status.SUSPENDED},
        Certificate.Status.WITHDRAWN,
        "收回",
    ),
    "cancel": (
        {Certificate.Status.VALID, Certificate.Status.SUSPENDED, Certificate.Status.WITHDRAWN},
        Certificate.Status.CANCELLED,
        "注销",
    ),
}


@transaction.atomic
def certificate_issue(*, officer: Officer, data: dict[str, Any], user=None) -> Certificate:
    """Record a certificate issued to an officer (by the supervisor, or a unit for its own officers)."""
    require_actor(user)
    _in_scope(Officer, officer, user)
    certificate = Certificate(
        officer=officer, **{k: v for k, v in data.items() if k in CERTIFICATE_FIELDS}
    )
    if Certificate.objects.filter(number=certificate.number).exists():
        raise ValidationError({"number": f"证号 {certificate.number} 已登记。"})
    if (
        certificate.issue_date
        and certificate.expiry_date
        and certificate.issue_date > certificate.expiry_date
    ):
        raise ValidationError({"expiry_date": "有效期至不能早于发证日期。"})
    today = timezone.localdate()
    if certificate.issue_date and certificate.issue_date > today:
        raise ValidationError(
            {
                "issue_date": f"发证日期 {certificate.issue_date:%Y-%m-%d} 晚于今天:证件发出后才能登记,"
                "请核对日期。"
            }
        )
    certificate.full_clean()
    certificate.save()
    audit.record(action="create", obj=certificate, after=audit.snapshot(certificate))
    return certificate


@transaction.atomic
def certificate_change(
    *,
    certificate: Certificate,
    action: str,
    reason: str,
    until: datetime.date | None = None,
    user=None,
) -> Certificate:
    """暂扣 (suspend, with a period), 恢复 (restore), 收回 (withdraw), 注销 (cancel): with a reason."""
    require_actor(user)
    _supervisor(user)
    if action not in TRANSITIONS:
        raise ValidationError("未知的证件变更。")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    allowed, target, label = TRANSITIONS[action]
    if certificate.status not in allowed:
        raise ValidationError(f"证件当前为“{certificate.get_status_display()}”,不能{label}。")
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": f"请写明{label}的理由。"})
    if action == "suspend":
        if until is None or until <= timezone.localdate():
            raise ValidationError({"until": "请填写暂扣期限(晚于今天)。"})
        certificate.suspended_until = until
    elif action in {"restore", "withdraw", "cancel"}:
        certificate.suspended_until = None
    before = certificate.status
    certificate.status = target
    certificate.save()
    CertificateEvent.objects.create(
        certificate=certificate,
        action=label,
        from_status=before,
        to_status=target,
        reason=reason.strip(),
        actor=user,
    )
    audit.record(
        action="update",
        obj=certificate,
        before={"status": before},
        after={
            "status": target,
            "suspended_until": certificate.suspended_until.isoformat()
            if certificate.suspended_until
            else None,
        },
        message=f"{label}:{reason.strip()}",
    )
    return certificate


@transaction.atomic
def certificate_review(
    *, certificate: Certificate, year: int, result: str, note: str = "", user=None
) -> CertificateReview:
    require_actor(user)
    _supervisor(user)
    if result not in CertificateReview.Result.values:
        raise ValidationError({"result": "请选择年审结果。"})
    review, created = CertificateReview.objects.update_or_create(
        certificate=certificate, year=year, defaults={"result": result, "note": note.strip()}
    )
    audit.record(action="create" if created else "update", obj=review, after=audit.snapshot(review))
    return review
