"""Supervision matters and documents: open a matter (by hand, from a clue, from a platform finding),
issue numbered documents to its units, take the units' replies, accept or return them, escalate
what is not put right (通知书 → 意见书 → 决定书 → 约谈 / 通报 / 移送), and answer requests for
review (复查). Every step locks its row, checks who may take it, lands on the document's timeline
and in the audit log; the unit is told in the platform and through its group robot."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.calendar import add_workdays
from oversight.core.context import require_actor
from oversight.core.documents import issuer
from oversight.core.numbering import next_number
from oversight.core.roles import Role
from oversight.core.rules import rule_value
from oversight.core.uploads import check_upload
from oversight.organisations.models import Unit

from ..models import (
    ESCALATION,
    INBOUND_KINDS,
    REPLY_KINDS,
    Clue,
    Document,
    DocumentEvent,
    Matter,
    ProblemType,
)
from ..notify import tell_unit
from .clues import _supervisor, prefix

D = Document.Status
# A document of these kinds cannot be issued on its own: each is the next step after a document
# the unit did not answer or did not put right (《行政执法监督条例》's escalation).
NEEDS_PARENT = frozenset({"decision"})


def _text(value: str | None, field: str, message: str, minimum: int = 4) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise ValidationError({field: message})
    return text


# -- matters ----------------------------------------------------------------------------------
@transaction.atomic
def matter_open(
    *,
    data: dict[str, Any],
    units: list[Unit],
    problem_types: list[ProblemType] | None = None,
    clue: Clue | None = None,
    user=None,
) -> Matter:
    """立项: a matter over `units`, opened by hand, from a clue or from a platform finding."""
    require_actor(user)
    _supervisor(user)
    if not units:
        raise ValidationError({"units": "请选择至少一个监督对象单位。"})
    kind = data.get("kind") or ""
    if kind not in Matter.Kind.values:
        raise ValidationError({"kind": "请选择监督方式。"})
    if kind == Matter.Kind.CASE and len(units) != 1:
        raise ValidationError({"units": "个案监督只针对一个单位。"})
    origin = data.get("origin") or (Matter.Origin.CLUE if clue else Matter.Origin.MANUAL)
    if origin == Matter.Origin.CLUE and clue is None:
        raise ValidationError({"clue": "来由为问题线索时请选择线索。"})
    if clue is not None and clue.status in {Clue.Status.REFUSED, Clue.Status.MERGED}:
        raise ValidationError({"clue": "不予受理或已合并的线索不能立项。"})
    today = timezone.localdate()
    matter = Matter(
        number=next_number(kind="matter", year=today.year, prefix=prefix("matter")),
        kind=kind,
        title=_text(data.get("title"), "title", "请填写监督事项名称。"),
        theme=(data.get("theme") or "").strip(),
        findings=(data.get("findings") or "").strip(),
        origin=origin,
        origin_note=(data.get("origin_note") or "").strip()[:300],
        clue=clue,
        opened_on=today,
        is_demo=bool(data.get("is_demo")),
        created_by=user,
    )
    matter.full_clean(exclude=["units", "problem_types"])
    matter.save()
    matter.units.set(units)
    if problem_types is None and clue is not None:
        problem_types = list(clue.problem_types.all())
    if problem_types:
        matter.problem_types.set(problem_types)
    audit.record(
        action="create",
        obj=matter,
        after=audit.snapshot(matter) | {"units": [u.short_name for u in units]},
        message=f"监督事项立项({matter.get_kind_display()})",
    )
    return matter


@transaction.atomic
def matter_close(*, matter: Matter, summary: str, user=None) -> Matter:
    """办结: every document that expects an answer has been settled."""
    require_actor(user)
    _supervisor(user)
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    if matter.status != Matter.Status.OPEN:
        raise ValidationError("监督事项已办结。")
    pending = matter.documents.filter(status__in=[D.ISSUED, D.REPLIED, D.RETURNED])
    if pending.exists():
        numbers = "、".join(pending.values_list("number", flat=True)[:5])
        raise ValidationError(f"还有未办结的监督文书({numbers}),办结后再结束监督事项。")
    before = audit.snapshot(matter)
    matter.status = Matter.Status.CLOSED
    matter.summary = _text(summary, "summary", "请写明监督事项的办理和整改情况。")
    matter.closed_on = timezone.localdate()
    matter.save()
    audit.record(
        action="update",
        obj=matter,
        before=before,
        after=audit.snapshot(matter),
        message="监督事项办结",
    )
    return matter


# -- documents --------------------------------------------------------------------------------
def _doc_lock(document: Document, user, action: str = "change") -> Document:
    qs = Document.objects.select_for_update()
    if user is not None:
        qs = qs.filter(pk__in=Document.objects.restrict(user, action).values("pk"))
    try:
        return qs.get(pk=document.pk)
    except Document.DoesNotExist as exc:
        raise PermissionDenied("该文书不在您的权限范围内。") from exc


def _doc_step(document: Document, action: str, user, comment: str = "", before=None) -> None:
    DocumentEvent.objects.create(document=document, action=action, actor=user, comment=comment)
    audit.record(
        action="update" if before is not None else "create",
        obj=document,
        before=before,
        after=audit.snapshot(document, exclude={"attachment"}),
        message=f"{document.get_kind_display()}{action}" + (f":{comment}" if comment else ""),
    )


def escalation_options(document: Document) -> tuple[str, ...]:
    """The next documents the platform proposes for `document`, once it is not answered in time
    or its rectification failed (empty otherwise)."""
    if document.status not in {D.ISSUED, D.RETURNED} or document.kind not in ESCALATION:
        return ()
    overdue = document.reply_due is not None and document.reply_due < timezone.localdate()
    if document.status == D.RETURNED or overdue:
        return ESCALATION[document.kind]
    return ()


def default_dues(
    kind: str, issued: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """(explain by, rectify by) for a document issued on `issued`, from the rules."""
    if kind not in REPLY_KINDS:
        return None, None
    explain = add_workdays(issued, rule_value("supervision.document_explain_workdays"))
    rectify = issued + datetime.timedelta(days=rule_value("supervision.document_rectify_days"))
    return explain, rectify


@transaction.atomic
def document_issue(
    *,
    matter: Matter,
    kind: str,
    unit: Unit,
    facts: str,
    requirement: str,
    basis: str = "",
    recipient: str = "",
    source_organ: str = "",
    external_number: str = "",
    reply_due: datetime.date | None = None,
    parent: Document | None = None,
    is_demo: bool = False,
    user=None,
) -> Document:
    """签发 a numbered document to one unit of the matter; the unit is told at once.

    An escalation (`parent`) supersedes the document it follows, which must be one the unit did not
    answer in time or failed to put right, and must be the step the escalation rules name."""
    require_actor(user)
    _supervisor(user)
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    if matter.status != Matter.Status.OPEN:
        raise ValidationError("监督事项已办结,不能再发文书。")
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": "请选择文书类型。"})
    if not matter.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"{unit} 不是本监督事项的监督对象。"})
    if parent is not None:
        parent = Document.objects.select_for_update().get(pk=parent.pk)
        if parent.matter_id != matter.pk or parent.unit_id != unit.pk:
            raise ValidationError("升级的文书应针对同一事项、同一单位。")
        if kind not in escalation_options(parent):
            raise ValidationError(
                f"{parent.number} 不具备升级为{Document.Kind(kind).label}的条件"
                "(单位逾期未回复或整改未通过时才能升级)。"
            )
    elif kind in NEEDS_PARENT:
        raise ValidationError(
            {
                "kind": "行政执法监督决定书用于单位不执行监督通知书、意见书的情形,请从原文书升级签发。"
            }
        )
    if kind == Document.Kind.REFERRAL and len(recipient.strip()) < 2:
        raise ValidationError({"recipient": "移送函须写明接收机关,如区纪委监委。"})
    inbound = kind in INBOUND_KINDS
    if inbound and len(source_organ.strip()) < 2:
        raise ValidationError({"source_organ": "请写明发出建议或意见的机关,如区人民检察院。"})
    today = timezone.localdate()
    explain_due, rectify_due = default_dues(kind, today)
    if reply_due is not None:
        if kind not in REPLY_KINDS:
            raise ValidationError({"reply_due": f"{Document.Kind(kind).label}不需要单位回复。"})
        if reply_due <= today:
            raise ValidationError({"reply_due": "回复期限应晚于今天。"})
        rectify_due = reply_due
        explain_due = min(explain_due, reply_due) if explain_due else None
    document = Document(
        matter=matter,
        kind=kind,
        number=next_number(kind=f"监督文书:{kind}", year=today.year, prefix=prefix(kind)),
        unit=unit,
        recipient=recipient.strip(),
        source_organ=source_organ.strip() if inbound else "",
        external_number=external_number.strip() if inbound else "",
        facts=_text(facts, "facts", "请写明发现的问题(事实)。"),
        basis=basis.strip(),
        requirement=_text(requirement, "requirement", "请写明监督意见和要求。"),
        issued_on=today,
        explain_due=explain_due,
        reply_due=rectify_due,
        parent=parent,
        status=D.ISSUED if kind in REPLY_KINDS else D.RECORDED,
        is_demo=is_demo,
        created_by=user,
    )
    document.full_clean(exclude=["attachment"])
    document.save()
    if inbound:
        _doc_step(
            document,
            "登记",
            user,
            f"{document.source_organ} {document.external_number},督促 {unit} 落实",
        )
    else:
        _doc_step(document, "签发", user, f"主送 {unit}")
    if parent is not None:
        before = audit.snapshot(parent, exclude={"attachment"})
        parent.status = D.ESCALATED
        parent.save(update_fields=["status"])
        _doc_step(parent, "升级", user, f"发出{document}", before=before)
    due = f",请于 {rectify_due:%Y-%m-%d} 前整改并书面回复" if rectify_due else ""
    title = (
        f"请落实{document.source_organ}的{document.get_kind_display()}({document.number})"
        if inbound
        else f"收到{document.get_kind_display()}:{document.number}"
    )
    tell_unit(
        unit,
        key=f"supervision-document:{document.pk}",
        title=title,
        body=f"{issuer()}向贵单位发出{document.get_kind_display()}({document.number}){due}。",
        url=document.get_absolute_url(),
        urgent=kind in {"decision", "interview", "referral"},
    )
    return document


@transaction.atomic
def document_reply(
    *, document: Document, reply: str, file_name: str = "", file_data: bytes = b"", user=None
) -> Document:
    """The unit's written answer (说明 or 整改情况), with its evidence."""
    require_actor(user)
    document = _doc_lock(document, user)
    if user is not None and Role.SUPERVISOR in user.role_codes:
        raise PermissionDenied("回复由收文单位办理。")
    if document.status not in {D.ISSUED, D.RETURNED}:
        raise ValidationError(f"文书当前为“{document.get_status_display()}”,不需要回复。")
    before = audit.snapshot(document, exclude={"attachment"})
    document.reply = _text(reply, "reply", "请写明整改措施、结果或情况说明。", minimum=10)
    document.replied_on = timezone.localdate()
    if file_data:
        extension = check_upload(file_name, file_data)
        document.attachment.save(
            f"{document.pk}-{document.returns}{extension}", ContentFile(file_data), save=False
        )
        document.attachment_name = file_name[:200]
    document.status = D.REPLIED
    document.save()
    late = document.reply_due and document.replied_on > document.reply_due
    _doc_step(document, "单位回复", user, "逾期回复" if late else "", before=before)
    return document


@transaction.atomic
def document_verdict(*, document: Document, accept: bool, comment: str = "", user=None) -> Document:
    """The bureau accepts the reply (办结) or returns it as not put right (整改未通过); a returned
    document may be answered again, or escalated."""
    require_actor(user)
    _supervisor(user)
    document = _doc_lock(document, user)
    if document.status != D.REPLIED:
        raise ValidationError("只有单位已回复的文书可以审核。")
    before = audit.snapshot(document, exclude={"attachment"})
    if accept:
        document.status = D.ACCEPTED
        document.verdict = comment.strip()
        action = "审核通过"
    else:
        document.verdict = _text(comment, "comment", "退回须写明未整改到位的问题。")
        document.status = D.RETURNED
        document.returns += 1
        action = "退回"
    document.save()
    _doc_step(document, action, user, document.verdict, before=before)
    tell_unit(
        document.unit,
        key=f"supervision-document:{document.pk}:{action}:{document.returns}",
        title=f"{document.number}{action}",
        body=document.verdict or "整改情况已审核通过。",
        url=document.get_absolute_url(),
    )
    return document


@transaction.atomic
def document_request_review(*, document: Document, reason: str, user=None) -> Document:
    """The unit asks for a review (复查) within the rule's days of the document."""
    require_actor(user)
    document = _doc_lock(document, user)
    if user is not None and Role.SUPERVISOR in user.role_codes:
        raise PermissionDenied("复查由收文单位申请。")
    if document.review_requested_on:
        raise ValidationError("已申请过复查。")
    if document.status in {D.ACCEPTED, D.ESCALATED, D.WITHDRAWN}:
        raise ValidationError("该文书已办结,不能申请复查。")
    today = timezone.localdate()
    limit = rule_value("supervision.document_review_request_days")
    if today > document.issued_on + datetime.timedelta(days=limit):
        raise ValidationError(f"申请复查应在收到文书之日起 {limit} 日内提出。")
    before = audit.snapshot(document, exclude={"attachment"})
    document.review_reason = _text(reason, "reason", "请写明申请复查的事实和理由。", minimum=10)
    document.review_requested_on = today
    document.review_due = today + datetime.timedelta(
        days=rule_value("supervision.document_review_answer_days")
    )
    document.save()
    _doc_step(document, "申请复查", user, document.review_reason, before=before)
    return document


@transaction.atomic
def document_answer_review(*, document: Document, result: str, answer: str, user=None) -> Document:
    """The bureau's review decision: upheld, changed (its requirement rewritten) or withdrawn."""
    require_actor(user)
    _supervisor(user)
    document = _doc_lock(document, user)
    if not document.review_requested_on or document.review_result:
        raise ValidationError("该文书没有待答复的复查申请。")
    if result not in Document.ReviewResult.values:
        raise ValidationError({"result": "复查结论应为维持、变更或撤销。"})
    before = audit.snapshot(document, exclude={"attachment"})
    document.review_result = result
    document.review_answer = _text(answer, "answer", "请写明复查意见和理由。")
    if result == Document.ReviewResult.WITHDRAWN:
        document.status = D.WITHDRAWN
    elif result == Document.ReviewResult.CHANGED:
        document.requirement = f"{document.requirement}\n(复查变更:{document.review_answer})"
    document.save()
    _doc_step(
        document,
        f"复查{document.get_review_result_display()}",
        user,
        document.review_answer,
        before=before,
    )
    tell_unit(
        document.unit,
        key=f"supervision-document:{document.pk}:review",
        title=f"{document.number}复查结论:{document.get_review_result_display()}",
        body=document.review_answer,
        url=document.get_absolute_url(),
    )
    return document


@transaction.atomic
def document_track(
    *,
    document: Document,
    receipt_on: datetime.date | None = None,
    feedback: str = "",
    user=None,
) -> Document:
    """A referral's receipt by the body it went to, and that body's feedback on how it was handled."""
    require_actor(user)
    _supervisor(user)
    document = _doc_lock(document, user)
    if document.kind != Document.Kind.REFERRAL:
        raise ValidationError("只有移送函需要登记签收和处理反馈。")
    today = timezone.localdate()
    if receipt_on is None and not feedback.strip():
        raise ValidationError("请填写签收日期或处理反馈。")
    if receipt_on is not None and not document.issued_on <= receipt_on <= today:
        raise ValidationError({"receipt_on": "签收日期应在发文日期与今天之间。"})
    before = audit.snapshot(document, exclude={"attachment"})
    if receipt_on is not None:
        document.receipt_on = receipt_on
    if feedback.strip():
        document.feedback = feedback.strip()
        document.feedback_on = today
    document.save()
    _doc_step(
        document,
        "登记反馈" if feedback.strip() else "登记签收",
        user,
        feedback.strip() or f"{document.recipient} {receipt_on:%Y-%m-%d} 签收",
        before=before,
    )
    return document
