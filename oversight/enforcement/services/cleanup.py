"""Clean-up campaigns of certificates: proposals by the criteria, units' answers, decisions, publication."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.roles import Role

from ..models import (
    Certificate,
    CleanupCampaign,
    CleanupItem,
    Officer,
)
from .certificates import certificate_change
from .common import _in_scope, _supervisor

CRITERIA = {
    "left": "已退休、调离或辞职",
    "idle": "连续一年以上无执法记录",
    "duplicate": "持有两个以上执法证",
    "non_formal": "非在编人员持证",
    "expired": "证件已过有效期",
}


def cleanup_proposals(as_of: datetime.date) -> dict[int, list[str]]:
    """Certificates meeting a clean-up criterion, with the criteria each meets (certificate id → labels)."""
    from ..selectors import last_enforcement_acts

    live = Certificate.objects.exclude(status=Certificate.Status.CANCELLED).select_related(
        "officer"
    )
    found: dict[int, list[str]] = {}
    per_officer: dict[int, int] = {}
    for cert in live:
        if (
            cert.kind == Certificate.Kind.ENFORCEMENT
            and cert.status != Certificate.Status.WITHDRAWN
        ):
            per_officer[cert.officer_id] = per_officer.get(cert.officer_id, 0) + 1
    last_acts = last_enforcement_acts()
    idle_before = as_of - datetime.timedelta(days=30 * _rule("enforcement.idle_months"))
    for cert in live:
        labels = []
        officer = cert.officer
        if officer.status in {
            Officer.Status.RETIRED,
            Officer.Status.TRANSFERRED,
            Officer.Status.RESIGNED,
        }:
            labels.append(CRITERIA["left"])
        if last_acts is not None and cert.issue_date < idle_before:
            last = last_acts.get(officer.pk)
            if last is None or last < idle_before:
                labels.append(CRITERIA["idle"])
        if per_officer.get(officer.pk, 0) > 1 and cert.kind == Certificate.Kind.ENFORCEMENT:
            labels.append(CRITERIA["duplicate"])
        if (
            officer.employment == Officer.Employment.NON_FORMAL
            and cert.kind == Certificate.Kind.ENFORCEMENT
        ):
            labels.append(CRITERIA["non_formal"])
        if cert.expiry_date < as_of:
            labels.append(CRITERIA["expired"])
        if labels:
            found[cert.pk] = labels
    return found


def _rule(key: str):
    from oversight.core.rules import rule_value

    return rule_value(key)


@transaction.atomic
def cleanup_start(
    *, title: str, as_of: datetime.date, response_due: datetime.date, user=None
) -> CleanupCampaign:
    """Start a clean-up: the platform proposes every certificate that meets a criterion."""
    require_actor(user)
    _supervisor(user)
    if not title.strip():
        raise ValidationError({"title": "请填写名称。"})
    if response_due < timezone.localdate():
        raise ValidationError({"response_due": "反馈截止日不能早于今天。"})
    if CleanupCampaign.objects.filter(status=CleanupCampaign.Status.OPEN).exists():
        raise ValidationError("已有一次资格清理正在进行,请处理完毕后再发起。")
    campaign = CleanupCampaign.objects.create(
        title=title.strip(), as_of=as_of, response_due=response_due, started_by=user
    )
    proposals = cleanup_proposals(as_of)
    certs = Certificate.objects.in_bulk(list(proposals))
    CleanupItem.objects.bulk_create(
        CleanupItem(
            campaign=campaign, certificate_id=pk, unit_id=certs[pk].officer.unit_id, criteria=labels
        )
        for pk, labels in proposals.items()
    )
    audit.record(
        action="create", obj=campaign, message=f"发起资格清理:拟清理证件 {len(proposals)} 个"
    )
    from oversight.core.notifications import Message, notify

    from ..selectors import unit_users

    for unit_id in {certs[pk].officer.unit_id for pk in proposals}:
        notify(
            unit_users([unit_id]),
            Message(
                key=f"cleanup:{campaign.pk}:u{unit_id}",
                title=f"资格清理:请于 {response_due:%Y-%m-%d} 前反馈",
                body="区司法局发起执法资格清理,贵单位有证件列入拟清理名单,请逐一确认或说明情况。",
                url=campaign.get_absolute_url(),
                urgent=True,
            ),
        )
    return campaign


@transaction.atomic
def cleanup_answer(
    *, item: CleanupItem, answer: str, explanation: str = "", user=None
) -> CleanupItem:
    """The unit confirms the clean-up of a certificate, or explains why it should stay."""
    require_actor(user)
    if user is not None and not user.role_codes & {Role.REPORTER, Role.UNIT_HEAD}:
        raise PermissionDenied("只有本单位可以反馈。")
    _in_scope(CleanupItem, item, user)
    item = CleanupItem.objects.select_for_update().select_related("campaign").get(pk=item.pk)
    if item.campaign.status != CleanupCampaign.Status.OPEN:
        raise ValidationError("该次资格清理已处理,不能再反馈。")
    if answer not in {CleanupItem.Answer.CONFIRM, CleanupItem.Answer.EXPLAIN}:
        raise ValidationError("请选择同意清理或说明情况。")
    if answer == CleanupItem.Answer.EXPLAIN and len(explanation.strip()) < 4:
        raise ValidationError({"explanation": "请具体说明该证件应予保留的情况。"})
    item.answer, item.explanation, item.answered_at = answer, explanation.strip(), timezone.now()
    item.save(update_fields=["answer", "explanation", "answered_at"])
    audit.record(
        action="update", obj=item, after={"answer": answer, "explanation": explanation.strip()}
    )
    return item


@transaction.atomic
def cleanup_decide(*, item: CleanupItem, decision: str, user=None) -> CleanupItem:
    require_actor(user)
    _supervisor(user)
    item = CleanupItem.objects.select_for_update().select_related("campaign").get(pk=item.pk)
    if item.campaign.status != CleanupCampaign.Status.OPEN:
        raise ValidationError("该次资格清理已处理。")
    if decision not in {
        CleanupItem.Decision.CANCEL,
        CleanupItem.Decision.WITHDRAW,
        CleanupItem.Decision.KEEP,
    }:
        raise ValidationError("请选择注销、收回或保留。")
    before = item.decision
    item.decision = decision
    item.save(update_fields=["decision"])
    audit.record(
        action="update",
        obj=item,
        before={"decision": before},
        after={"decision": decision},
        message=f"资格清理处理决定:{item.get_decision_display()}",
    )
    return item


@transaction.atomic
def cleanup_apply(*, campaign: CleanupCampaign, user=None) -> dict[str, int]:
    """Apply every decision in one step; a certificate no longer in a state to change fails all."""
    require_actor(user)
    _supervisor(user)
    campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CleanupCampaign.Status.OPEN:
        raise ValidationError("该次资格清理已经处理。")
    undecided = campaign.items.filter(decision="").count()
    if undecided:
        raise ValidationError(f"还有 {undecided} 个证件没有处理决定。")
    counts = {"cancel": 0, "withdraw": 0, "keep": 0}
    for item in campaign.items.select_related("certificate"):
        counts[item.decision] += 1
        if item.decision != CleanupItem.Decision.KEEP:
            reason = f"{campaign.title}:{'、'.join(item.criteria)}"
            certificate_change(
                certificate=item.certificate, action=item.decision, reason=reason, user=user
            )
        item.applied = True
        item.save(update_fields=["applied"])
    campaign.status, campaign.applied_at = CleanupCampaign.Status.APPLIED, timezone.now()
    campaign.save(update_fields=["status", "applied_at"])
    audit.record(
        action="action",
        obj=campaign,
        message=f"执行资格清理:注销 {counts['cancel']},收回 {counts['withdraw']},保留 {counts['keep']}",
    )
    return counts


@transaction.atomic
def cleanup_publish(*, campaign: CleanupCampaign, user=None) -> CleanupCampaign:
    require_actor(user)
    _supervisor(user)
    campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CleanupCampaign.Status.APPLIED:
        raise ValidationError("请先执行处理决定,再公布结果。")
    campaign.status, campaign.published_at = CleanupCampaign.Status.PUBLISHED, timezone.now()
    campaign.save(update_fields=["status", "published_at"])
    audit.record(action="action", obj=campaign, message="公布资格清理结果")
    return campaign
