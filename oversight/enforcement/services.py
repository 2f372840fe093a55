"""Enforcement subjects, officers and certificates, clean-ups and training: the writes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.core import audit, crypto
from oversight.core.context import require_actor
from oversight.core.identifiers import id_number_error, mask_id_number
from oversight.core.roles import Role
from oversight.organisations.models import Unit

from .models import (
    Attendance,
    Certificate,
    CertificateEvent,
    CertificateReview,
    CleanupCampaign,
    CleanupItem,
    Course,
    EnforcementSubject,
    EnforcementType,
    Officer,
    TrainingPlan,
)


def _supervisor(user) -> None:
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以办理此事项。")


def _in_scope(model, obj, user, action="change"):
    if user is not None and not model.objects.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied("对象不在您的权限范围内。")


# -- subjects --------------------------------------------------------------------------------------
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


# -- officers ---------------------------------------------------------------------------------------
OFFICER_FIELDS = (
    "unit",
    "subject",
    "name",
    "post",
    "phone",
    "employment",
    "legal_qualification",
    "status",
)


def _set_identity(officer: Officer, id_number: str) -> None:
    error = id_number_error(id_number)
    if error:
        raise ValidationError({"id_number": error})
    value = id_number.strip().upper()
    digest = crypto.keyed_hash(value)
    clash = Officer.objects.filter(id_hash=digest).exclude(pk=officer.pk).first()
    if clash:
        # Whose number it is stays private (it may be another unit's officer): say only what to do.
        raise ValidationError(
            {
                "id_number": "该身份证号已登记为执法人员。如该人员调入本单位,请联系区司法局办理人员调动,不要重复登记。"
            }
        )
    officer.id_cipher = crypto.encrypt(value)
    officer.id_hash = digest
    officer.id_masked = mask_id_number(value)


def _officer_snapshot(officer: Officer) -> dict[str, Any]:
    # Never the ID number or its cipher in the log: the masked form is enough to tell what changed.
    return audit.snapshot(officer, exclude=frozenset({"id_cipher", "id_hash", "phone"}))


def _check_unit(unit: Unit, user) -> None:
    if (
        user is not None
        and Role.SUPERVISOR not in user.role_codes
        and unit.pk not in user.scope_unit_ids
    ):
        raise PermissionDenied("只能登记本单位的执法人员。")


@transaction.atomic
def officer_create(*, data: dict[str, Any], id_number: str, user=None) -> Officer:
    require_actor(user)
    officer = Officer(
        **{k: v for k, v in data.items() if k in (*OFFICER_FIELDS, "user", "is_demo")}
    )
    _check_unit(officer.unit, user)
    if officer.subject_id and officer.subject.unit_id != officer.unit_id:
        raise ValidationError({"subject": "执法主体应属于该人员所在单位。"})
    _set_identity(officer, id_number)
    officer.full_clean()
    officer.save()
    audit.record(action="create", obj=officer, after=_officer_snapshot(officer))
    return officer


@transaction.atomic
def officer_update(
    *, officer: Officer, data: dict[str, Any], id_number: str | None = None, user=None
) -> Officer:
    require_actor(user)
    _in_scope(Officer, officer, user)
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    before = _officer_snapshot(officer)
    for key in OFFICER_FIELDS:
        if key in data:
            setattr(officer, key, data[key])
    _check_unit(officer.unit, user)
    if id_number:
        _set_identity(officer, id_number)
    officer.full_clean()
    officer.save()
    audit.record(action="update", obj=officer, before=before, after=_officer_snapshot(officer))
    _in_scope(Officer, officer, user)
    return officer


def officer_identity(*, officer: Officer, user) -> str:
    """The full ID number, for those allowed to see it; every look is in the audit log."""
    from oversight.core.roles import has_capability

    if not has_capability(user, "enforcement.identity"):
        raise PermissionDenied("您的角色无权查看完整身份证号。")
    _in_scope(Officer, officer, user, "view")
    audit.record(action="action", obj=officer, message="查看完整身份证号")
    return crypto.decrypt(officer.id_cipher)


# -- certificates ------------------------------------------------------------------------------------
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


# -- clean-up campaigns ---------------------------------------------------------------------------
CRITERIA = {
    "left": "已退休、调离或辞职",
    "idle": "连续一年以上无执法记录",
    "duplicate": "持有两个以上执法证",
    "non_formal": "非在编人员持证",
    "expired": "证件已过有效期",
}


def cleanup_proposals(as_of: datetime.date) -> dict[int, list[str]]:
    """Certificates meeting a clean-up criterion, with the criteria each meets (certificate id → labels)."""
    from .selectors import last_enforcement_acts

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

    from .selectors import unit_users

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


# -- training ------------------------------------------------------------------------------------------
@transaction.atomic
def training_plan_file(
    *, unit: Unit, year: int, content: str, planned_hours: int, user=None
) -> TrainingPlan:
    """A unit files its annual training plan (or updates it)."""
    require_actor(user)
    _check_unit(unit, user)
    if len(content.strip()) < 10:
        raise ValidationError({"content": "请填写培训计划的主要内容(课程、学时、时间安排)。"})
    plan, created = TrainingPlan.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={"content": content.strip(), "planned_hours": planned_hours, "filed_by": user},
    )
    audit.record(
        action="create" if created else "update",
        obj=plan,
        after={"year": year, "planned_hours": planned_hours},
    )
    return plan


@transaction.atomic
def course_save(*, course: Course | None, data: dict[str, Any], user=None) -> Course:
    require_actor(user)
    creating = course is None
    course = course or Course()
    before = None if creating else audit.snapshot(course)
    for key in ("title", "category", "unit", "start_date", "end_date", "hours", "is_demo"):
        if key in data:
            setattr(course, key, data[key])
    _check_unit(course.unit, user)
    if course.start_date and course.end_date and course.start_date > course.end_date:
        raise ValidationError({"end_date": "结束日期不能早于开始日期。"})
    course.full_clean()
    course.save()
    audit.record(
        action="create" if creating else "update",
        obj=course,
        before=before,
        after=audit.snapshot(course),
    )
    return course


@transaction.atomic
def attendance_set(
    *, course: Course, officers: list[Officer], hours: Decimal | None = None, user=None
) -> int:
    """Record who attended a course (credited the course's hours unless given). A unit records its
    own officers, whoever organised the course; the bureau records anyone."""
    require_actor(user)
    if user is not None:
        allowed = set(Officer.objects.restrict(user, "change").values_list("pk", flat=True))
        if any(o.pk not in allowed for o in officers):
            raise PermissionDenied("只能登记本单位人员的参训记录。")
    hours = course.hours if hours is None else Decimal(hours)
    if hours <= 0 or hours > course.hours:
        raise ValidationError({"hours": f"学时应大于 0 且不超过课程学时 {course.hours}。"})
    added = 0
    for officer in officers:
        try:
            with transaction.atomic():
                Attendance.objects.create(course=course, officer=officer, hours=hours)
                added += 1
        except IntegrityError:
            continue
    audit.record(action="update", obj=course, message=f"登记参训 {added} 人")
    return added
