"""Handling a clue: register, judge (accept, refuse, merge), transfer, answer, review, call back,
conclude, extend. Every step locks the clue, checks its stage and who may take it, records the step
on the clue's timeline and in the audit log."""

from __future__ import annotations

import datetime
import hashlib
import mimetypes
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from oversight.core import audit, crypto
from oversight.core.calendar import add_workdays
from oversight.core.context import require_actor
from oversight.core.identifiers import credit_code_error, mask_middle
from oversight.core.numbering import next_number
from oversight.core.roles import Role
from oversight.core.rules import rule_value
from oversight.core.uploads import check_upload
from oversight.organisations.models import Unit

from ..models import Clue, ClueAttachment, ClueEvent, ProblemType

S = Clue.Status
# What a clue's audit entry keeps: never the complainant's contact, cipher or not.
PRIVATE = frozenset({"contact_cipher", "contact_masked", "complainant_name", "query_code"})


def prefix(kind: str) -> str:
    """The number prefix of a kind of clue, matter or document (settings)."""
    return settings.SUPERVISION_NUMBER_PREFIXES[kind]


def _supervisor(user) -> None:
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以办理此事项。")


def _snapshot(clue: Clue) -> dict[str, Any]:
    return audit.snapshot(clue, exclude=PRIVATE)


def _lock(clue: Clue, user, action: str = "change") -> Clue:
    qs = Clue.objects.select_for_update()
    if user is not None:
        qs = qs.filter(pk__in=Clue.objects.restrict(user, action).values("pk"))
    try:
        return qs.get(pk=clue.pk)
    except Clue.DoesNotExist as exc:
        raise PermissionDenied("该线索不在您的权限范围内。") from exc


def _stage(clue: Clue, *allowed: str) -> None:
    if clue.status not in allowed:
        raise ValidationError(f"线索当前为“{clue.get_status_display()}”,不能办理此环节。")


def _step(clue: Clue, action: str, user, comment: str = "", before=None) -> None:
    ClueEvent.objects.create(clue=clue, action=action, actor=user, comment=comment)
    audit.record(
        action="update" if before is not None else "create",
        obj=clue,
        before=before,
        after=_snapshot(clue),
        message=f"问题线索{action}" + (f":{comment}" if comment else ""),
    )


@transaction.atomic
def clue_register(*, data: dict[str, Any], user=None) -> Clue:
    """Register a clue from any source; the 研判 deadline runs from the day it was received.

    The same source and external number (a 12345 ticket) is registered once.
    """
    require_actor(user)
    _supervisor(user)
    return _register(data, user)


def _register(data: dict[str, Any], user) -> Clue:
    received = data.get("received_on") or timezone.localdate()
    if received > timezone.localdate():
        raise ValidationError({"received_on": "收到日期不能晚于今天。"})
    matter = (data.get("matter") or "").strip()
    if len(matter) < 4:
        raise ValidationError({"matter": "请写明反映的事项。"})
    code = (data.get("party_credit_code") or "").strip().upper()
    if code and credit_code_error(code):
        raise ValidationError({"party_credit_code": credit_code_error(code)})
    ref = (data.get("external_ref") or "").strip()
    source = data["source"]
    if source == Clue.Source.CONTACT_POINT and not data.get("contact_point"):
        raise ValidationError({"contact_point": "来源为监督联系点时请选择联系点。"})
    if ref and Clue.objects.filter(source=source, external_ref=ref).exists():
        raise ValidationError({"external_ref": f"来源编号 {ref} 已登记,不要重复登记。"})
    contact = (data.get("contact") or "").strip()
    anonymous = bool(data.get("anonymous"))
    clue = Clue(
        number=next_number(kind="clue", year=received.year, prefix=prefix("clue")),
        source=source,
        external_ref=ref,
        received_on=received,
        anonymous=anonymous,
        complainant_name="" if anonymous else (data.get("complainant_name") or "").strip(),
        contact_cipher=crypto.encrypt(contact) if contact and not anonymous else "",
        contact_masked=mask_middle(contact) if contact and not anonymous else "",
        party_name=(data.get("party_name") or "").strip(),
        party_credit_code=code,
        unit=data.get("unit"),
        matter=matter,
        special_supervisor=data.get("special_supervisor"),
        contact_point=data.get("contact_point"),
        accept_due=add_workdays(received, rule_value("supervision.clue_accept_workdays")),
        query_code=secrets.token_hex(4).upper(),
        is_demo=bool(data.get("is_demo")),
        created_by=user,
    )
    clue.full_clean(exclude=["problem_types"])
    clue.save()
    if data.get("problem_types"):
        clue.problem_types.set(data["problem_types"])
    _step(clue, "登记", user, f"来源:{clue.get_source_display()}")
    return clue


def clue_submit_public(
    *, data: dict[str, Any], ip: str | None, files: list[tuple[str, bytes]] = ()
) -> Clue:
    """A complaint from the portal's form: registered as the platform (no one is signed in), with
    the visitor's address in the audit log. Returns the clue; its query code goes to the visitor."""
    from oversight.core.context import acting_as

    fields = (
        "complainant_name",
        "contact",
        "anonymous",
        "unit",
        "party_name",
        "party_credit_code",
        "matter",
    )
    with acting_as(username="公众(网上投诉)", ip=ip, system=True), transaction.atomic():
        clue = clue_register(data={k: data.get(k) for k in fields} | {"source": Clue.Source.PORTAL})
        for name, content in files:
            clue_attach(clue=clue, name=name, data=content)
        return clue


def possible_duplicates(clue: Clue) -> list[Clue]:
    """Open clues on the same party (credit code or name) about the same unit: candidates to merge."""
    qs = Clue.objects.exclude(pk=clue.pk).exclude(status__in=[S.REFUSED, S.MERGED, S.CLOSED])
    if clue.unit_id:
        qs = qs.filter(unit_id=clue.unit_id)
    if clue.party_credit_code:
        qs = qs.filter(party_credit_code=clue.party_credit_code)
    elif clue.party_name:
        qs = qs.filter(party_name=clue.party_name)
    else:
        return []
    return list(qs.order_by("received_on", "pk"))


@transaction.atomic
def clue_accept(
    *, clue: Clue, unit: Unit, problem_types: list[ProblemType] | None = None, user=None
) -> Clue:
    """研判: accept. The unit complained of and the problem types are settled; the conclusion
    deadline runs from today."""
    require_actor(user)
    _supervisor(user)
    clue = _lock(clue, user)
    _stage(clue, S.REGISTERED)
    before = _snapshot(clue)
    today = timezone.localdate()
    clue.unit = unit
    clue.status = S.ACCEPTED
    clue.accepted_on = today
    clue.conclude_due = today + datetime.timedelta(
        days=rule_value("supervision.clue_conclude_days")
    )
    clue.save()
    if problem_types is not None:
        clue.problem_types.set(problem_types)
    _step(clue, "受理", user, before=before)
    return clue


@transaction.atomic
def clue_refuse(*, clue: Clue, reason: str, user=None) -> Clue:
    """研判: refuse, with the reason (already in 复议 or litigation, not an enforcement matter …)."""
    require_actor(user)
    _supervisor(user)
    clue = _lock(clue, user)
    _stage(clue, S.REGISTERED)
    if len(reason.strip()) < 4:
        raise ValidationError(
            {"reason": "不予受理须写明理由,如“已申请行政复议”“不属于行政执法事项”。"}
        )
    before = _snapshot(clue)
    clue.status = S.REFUSED
    clue.reason = reason.strip()
    clue.closed_on = timezone.localdate()
    clue.save()
    _step(clue, "不予受理", user, clue.reason, before=before)
    return clue


@transaction.atomic
def clue_merge(*, clue: Clue, into: Clue, user=None) -> Clue:
    """研判: a duplicate of an open clue on the same matter is merged into it."""
    require_actor(user)
    _supervisor(user)
    clue = _lock(clue, user)
    _stage(clue, S.REGISTERED)
    if into.pk == clue.pk or not into.is_open or into.merged_into_id:
        raise ValidationError("只能合并到另一件办理中的线索。")
    before = _snapshot(clue)
    clue.status = S.MERGED
    clue.merged_into = into
    clue.closed_on = timezone.localdate()
    clue.save()
    _step(clue, "合并", user, f"并入 {into.number}", before=before)
    ClueEvent.objects.create(clue=into, action="并入重复线索", actor=user, comment=clue.number)
    return clue


@transaction.atomic
def clue_transfer(
    *, clue: Clue, due: datetime.date | None = None, comment: str = "", user=None
) -> Clue:
    """转办: the unit complained of checks the clue and answers by `due` (default: the rule)."""
    require_actor(user)
    _supervisor(user)
    clue = _lock(clue, user)
    _stage(clue, S.ACCEPTED)
    today = timezone.localdate()
    due = due or add_workdays(today, rule_value("supervision.clue_reply_workdays"))
    if due <= today:
        raise ValidationError({"due": "反馈期限应晚于今天。"})
    if clue.conclude_due and due > clue.conclude_due:
        raise ValidationError({"due": f"反馈期限不能晚于办结期限 {clue.conclude_due:%Y-%m-%d}。"})
    before = _snapshot(clue)
    clue.status = S.TRANSFERRED
    clue.reply_due = due
    clue.save()
    _step(clue, "转办", user, comment or f"请于 {due:%Y-%m-%d} 前核查反馈", before=before)
    return clue


@transaction.atomic
def clue_answer(*, clue: Clue, reply: str, user=None) -> Clue:
    """核查反馈: the unit complained of says what it found and did."""
    require_actor(user)
    clue = _lock(clue, user)
    _stage(clue, S.TRANSFERRED)
    if len(reply.strip()) < 10:
        raise ValidationError({"reply": "请写明核查经过、结果和处理情况。"})
    before = _snapshot(clue)
    clue.status = S.ANSWERED
    clue.reply = reply.strip()
    clue.save()
    _step(clue, "单位反馈", user, before=before)
    return clue


@transaction.atomic
def clue_review(*, clue: Clue, outcome: str, comment: str = "", user=None) -> Clue:
    """审核: substantiated, partly or not; or `back` to the unit to check again."""
    require_actor(user)
    _supervisor(user)
    clue = _lock(clue, user)
    _stage(clue, S.ANSWERED)
    before = _snapshot(clue)
    if outcome == "back":
        if len(comment.strip()) < 4:
            raise ValidationError({"comment": "退回重新核查须写明意见。"})
        clue.status = S.TRANSFERRED
        clue.save()
        _step(clue, "退回重查", user, comment.strip(), before=before)
        return clue
    if outcome not in Clue.Outcome.values:
        raise ValidationError({"outcome": "审核结论应为属实、部分属实、不属实或退回重查。"})
    clue.status = S.REVIEWED
    clue.outcome = outcome
    clue.reason = comment.strip()
    clue.save()
    _step(clue, "审核", user, clue.get_outcome_display(), before=before)
    return clue


@transaction.atomic
def clue_close(*, clue: Clue, visit_note: str = "", user=None) -> Clue:
    """回访 and 办结: the complainant is told the outcome (unless anonymous) and the clue is closed."""
    require_actor(user)
    _supervisor(user)
    clue = _lock(clue, user)
    _stage(clue, S.REVIEWED)
    if not clue.anonymous and len(visit_note.strip()) < 4:
        raise ValidationError({"visit_note": "请记录回访情况(投诉人意见);匿名线索可不回访。"})
    before = _snapshot(clue)
    clue.status = S.CLOSED
    clue.visit_note = visit_note.strip()
    clue.closed_on = timezone.localdate()
    clue.save()
    # The call back names the complainant: it stays on the clue (the bureau's eyes only), not on
    # the timeline the unit reads.
    _step(clue, "办结", user, "已回访投诉人" if clue.visit_note else "", before=before)
    return clue


@transaction.atomic
def clue_extend(*, clue: Clue, days: int, reason: str, user=None) -> Clue:
    """One approved extension of the conclusion deadline, at most the rule's number of days."""
    require_actor(user)
    _supervisor(user)
    clue = _lock(clue, user)
    _stage(clue, S.ACCEPTED, S.TRANSFERRED, S.ANSWERED)
    limit = rule_value("supervision.clue_extension_days")
    if clue.extended_days:
        raise ValidationError("办理期限只能延长一次。")
    if not 0 < days <= limit:
        raise ValidationError({"days": f"延长天数应在 1 到 {limit} 日之间。"})
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请写明延期理由。"})
    before = _snapshot(clue)
    clue.extended_days = days
    clue.conclude_due = clue.conclude_due + datetime.timedelta(days=days)
    clue.save()
    _step(clue, "延期", user, f"延长 {days} 日:{reason.strip()}", before=before)
    return clue


def clue_contact(*, clue: Clue, user) -> str:
    """The complainant's full contact, for the bureau's call back only; the reading is audited."""
    require_actor(user)
    _supervisor(user)
    if not Clue.objects.restrict(user, "view").filter(pk=clue.pk).exists():
        raise PermissionDenied("该线索不在您的权限范围内。")
    audit.record(action="action", obj=clue, message="查看投诉人联系方式")
    return crypto.decrypt(clue.contact_cipher) if clue.contact_cipher else ""


@transaction.atomic
def clue_attach(
    *, clue: Clue, name: str, data: bytes, shared: bool = False, user=None
) -> ClueAttachment:
    """Add a file to a clue (the bureau at any stage before it is concluded; the portal at
    filing). `shared` files reach the unit complained of."""
    require_actor(user)
    _supervisor(user)
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    if clue.status in {S.CLOSED, S.REFUSED, S.MERGED}:
        raise ValidationError("线索已办结,不能再添加附件。")
    check_upload(name, data)
    digest = hashlib.sha256(data).hexdigest()
    if clue.attachments.filter(sha256=digest).exists():
        raise ValidationError(f"“{name}”已经上传过。")
    attachment = ClueAttachment(
        clue=clue,
        original_name=name[:200],
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=len(data),
        sha256=digest,
        shared=shared,
        uploaded_by=user,
    )
    attachment.file.save(digest, ContentFile(data), save=False)
    attachment.save()
    audit.record(
        action="create",
        obj=attachment,
        after={"clue": clue.number, "name": name, "sha256": digest, "shared": shared},
    )
    return attachment


@transaction.atomic
def clue_attachment_share(*, attachment: ClueAttachment, shared: bool, user=None) -> ClueAttachment:
    """Share a file with the unit complained of, or stop sharing it."""
    require_actor(user)
    _supervisor(user)
    before = {"shared": attachment.shared}
    attachment.shared = shared
    attachment.save(update_fields=["shared"])
    audit.record(action="update", obj=attachment, before=before, after={"shared": shared})
    return attachment


@transaction.atomic
def problem_type_save(
    *, problem_type: ProblemType | None, data: dict[str, Any], user=None
) -> ProblemType:
    """Add or edit a problem type; one in use is retired (启用 off), never deleted, so past
    statistics keep their categories."""
    require_actor(user)
    _supervisor(user)
    creating = problem_type is None
    problem_type = problem_type or ProblemType()
    before = None if creating else audit.snapshot(problem_type)
    for key in ("code", "name", "description", "sort_order", "is_active"):
        if key in data:
            setattr(problem_type, key, data[key])
    clash = ProblemType.objects.exclude(pk=problem_type.pk)
    if clash.filter(name=problem_type.name).exists():
        raise ValidationError({"name": f"问题类型“{problem_type.name}”已存在。"})
    if clash.filter(code=problem_type.code).exists():
        raise ValidationError({"code": f"代码 {problem_type.code} 已被使用。"})
    problem_type.full_clean(validate_unique=False)
    problem_type.save()
    audit.record(
        action="create" if creating else "update",
        obj=problem_type,
        before=before,
        after=audit.snapshot(problem_type),
    )
    return problem_type
