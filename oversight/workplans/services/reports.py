"""Progress reports: drafting, evidence, the unit head's approval, submission, the bureau's review."""

from __future__ import annotations

import datetime
import hashlib
import mimetypes
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.roles import Role
from oversight.core.rules import rule_value
from oversight.core.uploads import check_upload

from .. import notify
from ..models import (
    Assignment,
    Evidence,
    Report,
    ReportRevision,
)
from .common import Action, _event, _lock, _require_unit_role, require_supervisor

REPORT_FIELDS = ("done_text", "problems", "next_steps", "self_status")


def _report_content(report: Report) -> dict[str, Any]:
    return {f: getattr(report, f) for f in REPORT_FIELDS} | {
        "evidence": [e.sha256 for e in report.evidence.all()]
    }


@transaction.atomic
def report_save(
    *,
    assignment: Assignment,
    kind: str,
    due_date: datetime.date,
    data: dict[str, Any],
    user=None,
    period: tuple[datetime.date, datetime.date] | None = None,
    milestone_id: int | None = None,
) -> Report:
    """Write or revise the draft report for one obligation (a period, a milestone, completion)."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    if assignment.status in {Assignment.Status.ISSUED, Assignment.Status.HAND_BACK}:
        raise ValidationError("请先签收任务,再报送进度。")
    if assignment.status in {Assignment.Status.HANDED_BACK, Assignment.Status.COMPLETED}:
        raise ValidationError("该任务已退回或已办结,不能再报送。")
    if kind not in Report.Kind.values:
        raise ValidationError("报告类型无效。")
    if not (data.get("done_text") or "").strip():
        raise ValidationError({"done_text": "请填写工作进展。"})
    if data.get("self_status") not in Report.SelfStatus.values:
        raise ValidationError({"self_status": "请选择自评状态。"})
    limit = rule_value("workplans.report_max_chars")
    too_long = {
        field: f"不能超过 {limit} 字(现有 {len(data.get(field) or '')} 字):详细材料请作为佐证附件上传。"
        for field in ("done_text", "problems", "next_steps")
        if len((data.get(field) or "").strip()) > limit
    }
    if too_long:
        raise ValidationError(too_long)
    report = (
        Report.objects.select_for_update()
        .filter(assignment=assignment, kind=kind, due_date=due_date)
        .first()
    )
    if report is not None and report.status not in {Report.Status.DRAFT, Report.Status.RETURNED}:
        raise ValidationError("该报告已报送,正在审核或已通过,不能修改。")
    creating = report is None
    report = report or Report(assignment=assignment, kind=kind, due_date=due_date, created_by=user)
    before = None if creating else {f: getattr(report, f) for f in REPORT_FIELDS}
    for field in REPORT_FIELDS:
        setattr(
            report,
            field,
            (data.get(field) or "").strip() if field != "self_status" else data[field],
        )
    if period:
        report.period_start, report.period_end = period
    report.milestone_id = milestone_id or report.milestone_id
    report.full_clean()
    report.save()
    audit.record(
        action="create" if creating else "update",
        obj=report,
        before=before,
        after={f: getattr(report, f) for f in REPORT_FIELDS},
    )
    return report


@transaction.atomic
def evidence_add(*, report: Report, name: str, data: bytes, user=None) -> Evidence:
    """Attach a file to a draft or returned report; it is kept under its SHA-256."""
    require_actor(user)
    _lock(report.assignment, user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in {Report.Status.DRAFT, Report.Status.RETURNED}:
        raise ValidationError("报告已报送,不能再添加材料。")
    check_upload(name, data)
    digest = hashlib.sha256(data).hexdigest()
    if report.evidence.filter(sha256=digest).exists():
        raise ValidationError(f"“{name}”已经上传过。")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    evidence = Evidence(
        report=report,
        original_name=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=user,
    )
    evidence.file.save(digest, ContentFile(data), save=False)
    evidence.save()
    audit.record(
        action="create", obj=evidence, after={"name": name, "sha256": digest, "size": len(data)}
    )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user=None) -> None:
    require_actor(user)
    _lock(evidence.report.assignment, user)
    if evidence.report.status not in {Report.Status.DRAFT, Report.Status.RETURNED}:
        raise ValidationError("报告已报送,不能删除材料。")
    audit.record(
        action="delete",
        obj=evidence,
        before={"name": evidence.original_name, "sha256": evidence.sha256},
    )
    evidence.delete()


@transaction.atomic
def report_submit(*, report: Report, user=None) -> Report:
    """Send the report on: to the unit head when the plan asks for it, else to the supervisor."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(report.assignment, user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in {Report.Status.DRAFT, Report.Status.RETURNED}:
        raise ValidationError("该报告已报送,不能重复报送。")
    if assignment.status in {Assignment.Status.ISSUED, Assignment.Status.HAND_BACK}:
        raise ValidationError("请先签收任务,再报送进度。")
    resubmission = report.status == Report.Status.RETURNED
    if resubmission:
        report.version += 1
    needs_head = assignment.task.plan.require_head_approval and Role.UNIT_HEAD not in (
        user.role_codes if user else set()
    )
    report.status = Report.Status.PENDING_APPROVAL if needs_head else Report.Status.SUBMITTED
    report.submitted_at = timezone.now()
    if not needs_head and user is not None and Role.UNIT_HEAD in user.role_codes:
        report.approved_by, report.approved_at = user, report.submitted_at
    report.save()
    ReportRevision.objects.create(
        report=report, version=report.version, content=_report_content(report), submitted_by=user
    )
    _event(assignment, Action.REPORT_SUBMIT, user, "重新报送" if resubmission else "", report)
    audit.record(
        action="action", obj=report, message="重新报送报告" if resubmission else "报送报告"
    )
    if needs_head:
        notify.to_unit_heads(assignment, "report_pending_approval", f"{report}待您审核", "", report)
    else:
        notify.to_supervisors(
            assignment,
            "report_submit",
            f"{assignment.unit}报送了{report.get_kind_display()}",
            "",
            report,
        )
    return report


@transaction.atomic
def report_approve(*, report: Report, approve: bool, comment: str = "", user=None) -> Report:
    """The unit head passes the report on to the supervisor, or sends it back within the unit."""
    require_actor(user)
    if user is not None and Role.UNIT_HEAD not in user.role_codes:
        raise PermissionDenied("只有单位负责人可以审核本单位报告。")
    assignment = _lock(report.assignment, user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.PENDING_APPROVAL:
        raise ValidationError("该报告不在待单位负责人审核状态。")
    if approve:
        report.status = Report.Status.SUBMITTED
        report.approved_by, report.approved_at = user, timezone.now()
    else:
        if not comment.strip():
            raise ValidationError({"comment": "退回时请写明修改意见。"})
        report.status = Report.Status.RETURNED
        report.review_comment = comment.strip()
    report.save()
    _event(
        assignment,
        Action.REPORT_APPROVE if approve else Action.REPORT_REJECT,
        user,
        comment,
        report,
    )
    audit.record(
        action="action", obj=report, message=("单位审核通过" if approve else "单位退回") + comment
    )
    if approve:
        notify.to_supervisors(
            assignment,
            "report_submit",
            f"{assignment.unit}报送了{report.get_kind_display()}",
            "",
            report,
        )
    else:
        notify.to_unit(assignment, "report_return", f"{report}被单位负责人退回", comment, report)
    return report


@transaction.atomic
def report_accept(*, report: Report, comment: str = "", user=None) -> Report:
    """The supervisor accepts the report; a standing task's period closes with it."""
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(report.assignment, user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == Report.Status.ACCEPTED:
        raise ValidationError("该报告已经通过,不能重复审核。")
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError("该报告尚未报送到监督机构。")
    report.status = Report.Status.ACCEPTED
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.review_comment = comment.strip()
    report.save()
    _event(assignment, Action.REPORT_ACCEPT, user, comment, report)
    audit.record(action="action", obj=report, message="报告通过")
    notify.to_unit(assignment, "report_accept", f"{report}已通过", comment, report)
    return report


@transaction.atomic
def report_return(*, report: Report, comment: str, user=None) -> Report:
    """The supervisor returns the report with comments; the unit revises and resubmits it."""
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(report.assignment, user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError("只有待审核的报告可以退回。")
    if not comment.strip():
        raise ValidationError({"comment": "退回报告时请写明修改意见。"})
    report.status = Report.Status.RETURNED
    report.review_comment = comment.strip()
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.save()
    ReportRevision.objects.filter(report=report, version=report.version).update(
        review_comment=comment.strip()
    )
    _event(assignment, Action.REPORT_RETURN, user, comment, report)
    audit.record(action="action", obj=report, message=f"报告退回:{comment}")
    notify.to_unit(assignment, "report_return", f"{report}被退回修改", comment, report)
    return report


@transaction.atomic
def lead_summary_save(*, assignment: Assignment, text: str, user=None) -> Assignment:
    """The lead unit sums up the progress of all units on its task."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    if not assignment.is_lead:
        raise ValidationError("只有牵头单位可以填写汇总。")
    if not text.strip():
        raise ValidationError({"text": "请填写汇总内容。"})
    assignment.lead_summary = text.strip()
    assignment.lead_summary_at = timezone.now()
    assignment.save(update_fields=["lead_summary", "lead_summary_at"])
    _event(assignment, Action.LEAD_SUMMARY, user, text.strip()[:200])
    audit.record(action="action", obj=assignment, message="牵头单位汇总")
    return assignment
