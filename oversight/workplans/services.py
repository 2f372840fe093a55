"""The work-plan loop: issue, sign, hand back, break down, report, review, extend, complete.

Every service takes the acting user, checks in the same transaction that the assignment is inside
what the user may change (a unit acting on another unit's assignment gets PermissionDenied, which
views turn into 404), records the step on the assignment's timeline and in the audit log, and tells
the people concerned.
"""

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
from oversight.core.calendar import add_workdays
from oversight.core.context import require_actor
from oversight.core.numbering import next_number
from oversight.core.roles import Role
from oversight.core.rules import rule_value
from oversight.core.uploads import check_upload
from oversight.organisations.models import Unit, UnitGroup
from oversight.organisations.selectors import group_members

from . import notify
from .models import (
    Assignment,
    AssignmentEvent,
    Evidence,
    Extension,
    Measure,
    Plan,
    Report,
    ReportRevision,
    SupervisionLetter,
    Task,
    TaskDeadline,
    TaskUnit,
)

Action = AssignmentEvent.Action


def _today() -> datetime.date:
    return timezone.localdate()


def _event(
    assignment: Assignment, action: str, user=None, comment: str = "", report: Report | None = None
):
    return AssignmentEvent.objects.create(
        assignment=assignment, action=action, actor=user, comment=comment, report=report
    )


def _lock(assignment: Assignment, user, action: str = "change") -> Assignment:
    """Re-read the assignment under a row lock, inside the user's scope, or refuse."""
    qs = Assignment.objects.select_for_update().select_related("task__plan", "unit")
    if user is not None:
        qs = qs.filter(pk__in=Assignment.objects.restrict(user, action).values("pk"))
    try:
        return qs.get(pk=assignment.pk)
    except Assignment.DoesNotExist as exc:
        raise PermissionDenied("该任务分工不在您的权限范围内。") from exc


def require_supervisor(user) -> None:
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以办理此事项。")


def _require_unit_role(user) -> None:
    if user is not None and not user.role_codes & {Role.REPORTER, Role.UNIT_HEAD}:
        raise PermissionDenied("只有责任单位的填报员或负责人可以办理此事项。")


def _status(assignment: Assignment, *allowed: str, message: str) -> None:
    if assignment.status not in allowed:
        raise ValidationError(message)


# -- issuing ---------------------------------------------------------------------------------
def _expand(task: Task) -> list[tuple[Unit, bool, UnitGroup | None]]:
    """The task's units with groups expanded to their current members; the lead keeps its flag."""
    result: dict[int, tuple[Unit, bool, UnitGroup | None]] = {}
    for link in task.units.select_related("unit", "group").order_by("order"):
        if link.unit_id:
            current = result.get(link.unit_id)
            result[link.unit_id] = (link.unit, link.is_lead or bool(current and current[1]), None)
        else:
            for unit in group_members(link.group):
                if unit.pk not in result:
                    result[unit.pk] = (unit, link.is_lead, link.group)
    return list(result.values())


def _create_assignments(
    task: Task, now: datetime.datetime, sign_due: datetime.date
) -> list[Assignment]:
    existing = set(task.assignments.values_list("unit_id", flat=True))
    created = []
    for unit, is_lead, group in _expand(task):
        if unit.pk in existing:
            continue
        created.append(
            Assignment.objects.create(
                task=task,
                unit=unit,
                is_lead=is_lead,
                via_group=group,
                issued_at=now,
                sign_due=sign_due,
                due_date=task.due_date,
            )
        )
    return created


@transaction.atomic
def plan_issue(*, plan: Plan, user=None) -> int:
    """下发: one assignment per responsible unit (groups expanded); every unit is told."""
    require_actor(user)
    require_supervisor(user)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.CONFIRMED:
        raise ValidationError("该计划已经下发。")
    now = timezone.now()
    sign_due = add_workdays(timezone.localdate(now), rule_value("workplans.sign_workdays"))
    created: list[Assignment] = []
    for task in plan.tasks.all():
        created += _create_assignments(task, now, sign_due)
    if not created:
        raise ValidationError("计划中没有可下发的责任单位。")
    AssignmentEvent.objects.bulk_create(
        AssignmentEvent(assignment=a, action=Action.ISSUE, actor=user) for a in created
    )
    plan.status = Plan.Status.ISSUED
    plan.issued_at = now
    plan.issued_by = user
    plan.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    audit.record(action="action", obj=plan, message=f"下发计划:{len(created)} 项任务分工")
    notify.plan_issued(plan, created)
    return len(created)


@transaction.atomic
def supervision_task_add(
    *, plan: Plan, unit: Unit, title: str, text: str, due: datetime.date, user
) -> Task:
    """A supervision item (督办事项) added to a plan for one unit, e.g. a breach found in a case:
    numbered 督1, 督2 … after the notice's own tasks; assigned and notified at once when the
    plan is already issued."""
    require_supervisor(user)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    count = plan.tasks.filter(number__startswith="督").count() + 1
    task = Task.objects.create(
        plan=plan,
        number=f"督{count}",
        order=10000 + count,
        part="执法监督督办事项",
        title=title[:200],
        text=text,
        due_date=due,
    )
    TaskDeadline.objects.create(task=task, date=due)
    audit.record(
        action="create",
        obj=task,
        after={"plan": plan.pk, "number": task.number, "title": task.title, "due": due.isoformat()},
    )
    if plan.status == Plan.Status.ISSUED:
        task_set_units(task=task, links=[(unit, True)], user=user)
    else:
        task.units.create(unit=unit, name=str(unit), is_lead=True)
    return task


@transaction.atomic
def task_set_units(*, task: Task, links: list[tuple[Unit | UnitGroup, bool]], user=None) -> Task:
    """Change a task's units before or after issuing. After issuing, new units get assignments;
    a removed unit's assignment goes only if it has no reports yet."""
    require_actor(user)
    require_supervisor(user)
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if not links:
        raise ValidationError("至少保留一个责任单位。")
    before = [str(link.unit or link.group) for link in task.units.all()]
    task.units.all().delete()
    for order, (target, is_lead) in enumerate(links):
        TaskUnit.objects.create(
            task=task,
            unit=target if isinstance(target, Unit) else None,
            group=target if isinstance(target, UnitGroup) else None,
            name=str(target),
            is_lead=is_lead,
            order=order,
        )
    if task.plan.status == Plan.Status.ISSUED:
        wanted = {unit.pk: is_lead for unit, is_lead, _ in _expand(task)}
        for assignment in task.assignments.all():
            if assignment.unit_id not in wanted:
                if assignment.reports.exclude(status=Report.Status.DRAFT).exists():
                    raise ValidationError(
                        f"{assignment.unit}已报送报告,不能从该任务中移除;可由其申请退回。"
                    )
                assignment.delete()
            elif assignment.is_lead != wanted[assignment.unit_id]:
                assignment.is_lead = wanted[assignment.unit_id]
                assignment.save(update_fields=["is_lead"])
        now = timezone.now()
        sign_due = add_workdays(timezone.localdate(now), rule_value("workplans.sign_workdays"))
        created = _create_assignments(task, now, sign_due)
        for assignment in created:
            _event(assignment, Action.ISSUE, user, "调整责任单位后补充下发")
        notify.plan_issued(task.plan, created)
    after = [str(t) for t, _ in links]
    audit.record(
        action="update",
        obj=task,
        before={"units": before},
        after={"units": after},
        message="调整责任单位",
    )
    return task


# -- the unit's side ---------------------------------------------------------------------------
@transaction.atomic
def assignment_sign(*, assignment: Assignment, user=None) -> Assignment:
    """签收: the unit acknowledges the assignment; reporting obligations run from issuing."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.ISSUED, message="该任务已签收或已在办理中,无需重复签收。")
    assignment.status = Assignment.Status.SIGNED
    assignment.signed_at = timezone.now()
    assignment.signed_by = user
    assignment.save(update_fields=["status", "signed_at", "signed_by"])
    _event(assignment, Action.SIGN, user)
    audit.record(action="action", obj=assignment, message="签收任务")
    return assignment


@transaction.atomic
def assignment_hand_back_request(*, assignment: Assignment, reason: str, user=None) -> Assignment:
    """Ask to hand the assignment back (e.g. 职能不符), with a reason; the supervisor decides."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(
        assignment,
        Assignment.Status.ISSUED,
        Assignment.Status.SIGNED,
        message="只有待签收或落实中的任务可以申请退回。",
    )
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请写明申请退回的理由,如“职能不符”并说明依据。"})
    assignment.hand_back_reason = reason.strip()
    assignment.status = Assignment.Status.HAND_BACK
    assignment.save(update_fields=["hand_back_reason", "status"])
    _event(assignment, Action.HAND_BACK_REQUEST, user, reason.strip())
    audit.record(action="action", obj=assignment, message=f"申请退回:{reason.strip()}")
    notify.to_supervisors(
        assignment, "hand_back_request", f"{assignment.unit}申请退回任务", reason.strip()
    )
    return assignment


@transaction.atomic
def assignment_hand_back_decide(
    *, assignment: Assignment, approve: bool, comment: str = "", user=None
) -> Assignment:
    """审定: the supervisor agrees (the assignment leaves the unit) or refuses (it stays)."""
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.HAND_BACK, message="该任务没有待审定的退回申请。")
    if approve:
        assignment.status = Assignment.Status.RETURNED
    else:
        if not comment.strip():
            raise ValidationError({"comment": "不同意退回时请写明理由。"})
        assignment.status = (
            Assignment.Status.SIGNED if assignment.signed_at else Assignment.Status.ISSUED
        )
    assignment.save(update_fields=["status"])
    _event(
        assignment, Action.HAND_BACK_APPROVE if approve else Action.HAND_BACK_REFUSE, user, comment
    )
    audit.record(
        action="action",
        obj=assignment,
        message=("同意" if approve else "不同意") + f"退回:{comment}",
    )
    notify.to_unit(
        assignment, "hand_back_decided", f"退回申请{'已同意' if approve else '未同意'}", comment
    )
    return assignment


@transaction.atomic
def assignment_breakdown(
    *, assignment: Assignment, measures: list[dict[str, Any]], user=None
) -> list[Measure]:
    """量化分解: replace the unit's measures (content, person, date, expected evidence)."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(
        assignment,
        Assignment.Status.SIGNED,
        Assignment.Status.COMPLETION,
        message="请先签收任务,再进行量化分解。",
    )
    errors = []
    for number, m in enumerate(measures, start=1):
        if not (m.get("content") or "").strip():
            errors.append(f"第 {number} 条措施:请填写具体措施。")
        if not (m.get("responsible_person") or "").strip():
            errors.append(f"第 {number} 条措施:请填写责任人。")
        if not m.get("planned_date"):
            errors.append(f"第 {number} 条措施:请填写时间节点。")
        elif assignment.due_date and m["planned_date"] > assignment.due_date:
            errors.append(
                f"第 {number} 条措施:时间节点不能晚于完成时限 {assignment.due_date:%Y-%m-%d}。"
            )
    if not measures:
        errors.append("至少填写一条措施。")
    if errors:
        raise ValidationError(errors)
    assignment.measures.all().delete()
    created = Measure.objects.bulk_create(
        Measure(
            assignment=assignment,
            content=m["content"].strip(),
            responsible_person=m["responsible_person"].strip(),
            planned_date=m["planned_date"],
            expected_evidence=(m.get("expected_evidence") or "").strip(),
            milestone_id=m.get("milestone_id"),
            done=bool(m.get("done")),
            order=i,
        )
        for i, m in enumerate(measures)
    )
    _event(assignment, Action.BREAKDOWN, user, f"{len(created)} 条措施")
    audit.record(action="action", obj=assignment, message=f"量化分解:{len(created)} 条措施")
    return created


def breakdown_prefill(assignment: Assignment) -> list[dict[str, Any]]:
    """The milestones found in the task text, as the first draft of the breakdown."""
    rows = []
    for milestone in assignment.task.milestones.all():
        if milestone.date:
            rows.append(
                {
                    "content": milestone.text,
                    "responsible_person": "",
                    "planned_date": milestone.date,
                    "expected_evidence": "",
                    "milestone_id": milestone.pk,
                }
            )
    if assignment.due_date and not any(r["planned_date"] == assignment.due_date for r in rows):
        rows.append(
            {
                "content": "完成任务并申请办结",
                "responsible_person": "",
                "planned_date": assignment.due_date,
                "expected_evidence": "",
                "milestone_id": None,
            }
        )
    return rows


# -- reports ------------------------------------------------------------------------------------
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
    if assignment.status in {Assignment.Status.RETURNED, Assignment.Status.COMPLETED}:
        raise ValidationError("该任务已退回或已办结,不能再报送。")
    if kind not in Report.Kind.values:
        raise ValidationError("报告类型无效。")
    if not (data.get("done_text") or "").strip():
        raise ValidationError({"done_text": "请填写工作进展。"})
    if data.get("self_status") not in Report.SelfStatus.values:
        raise ValidationError({"self_status": "请选择自评状态。"})
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


# -- deadlines and completion ---------------------------------------------------------------------
@transaction.atomic
def extension_request(
    *, assignment: Assignment, new_date: datetime.date, reason: str, user=None
) -> Extension:
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.SIGNED, message="只有落实中的任务可以申请延期。")
    if assignment.due_date is None:
        raise ValidationError("长期任务没有完成时限,无需申请延期。")
    if new_date <= assignment.due_date:
        raise ValidationError(
            {"new_date": f"申请的新时限应晚于当前时限 {assignment.due_date:%Y-%m-%d}。"}
        )
    if assignment.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ValidationError("已有一份延期申请在审批中。")
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请写明延期理由。"})
    extension = Extension.objects.create(
        assignment=assignment,
        old_date=assignment.due_date,
        requested_date=new_date,
        reason=reason.strip(),
        requested_by=user,
    )
    _event(
        assignment, Action.EXTENSION_REQUEST, user, f"申请延至 {new_date:%Y-%m-%d}:{reason.strip()}"
    )
    audit.record(
        action="create",
        obj=extension,
        after={"requested_date": new_date.isoformat(), "reason": reason},
    )
    notify.to_supervisors(
        assignment, "extension_request", f"{assignment.unit}申请延期至{new_date:%Y-%m-%d}", reason
    )
    return extension


@transaction.atomic
def extension_decide(
    *, extension: Extension, approve: bool, comment: str = "", user=None
) -> Extension:
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(extension.assignment, user)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != Extension.Status.PENDING:
        raise ValidationError("该延期申请已经审批。")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不批准时请写明理由。"})
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by, extension.decided_at = user, timezone.now()
    extension.decision_comment = comment.strip()
    extension.save()
    if approve:
        assignment.due_date = extension.requested_date
        assignment.save(update_fields=["due_date"])
    _event(
        assignment, Action.EXTENSION_APPROVE if approve else Action.EXTENSION_REFUSE, user, comment
    )
    audit.record(action="action", obj=extension, message=("批准" if approve else "不批准") + "延期")
    notify.to_unit(
        assignment, "extension_decided", f"延期申请{'已批准' if approve else '未批准'}", comment
    )
    return extension


@transaction.atomic
def completion_request(*, assignment: Assignment, note: str, user=None) -> Assignment:
    """办结申请 of a dated task. A standing task is never completed: its periods close instead."""
    require_actor(user)
    _require_unit_role(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.SIGNED, message="只有落实中的任务可以申请办结。")
    if assignment.task.is_standing:
        raise ValidationError("长期坚持的任务不办结,每个报告期的报告通过即视为该期完成。")
    if not note.strip():
        raise ValidationError({"note": "请简要说明完成情况。"})
    assignment.status = Assignment.Status.COMPLETION
    assignment.completion_note = note.strip()
    assignment.save(update_fields=["status", "completion_note"])
    _event(assignment, Action.COMPLETION_REQUEST, user, note.strip())
    audit.record(action="action", obj=assignment, message="申请办结")
    notify.to_supervisors(assignment, "completion_request", f"{assignment.unit}申请办结", note)
    return assignment


@transaction.atomic
def completion_confirm(
    *, assignment: Assignment, approve: bool, comment: str = "", user=None
) -> Assignment:
    """销号: the supervisor confirms completion, or sends the task back to work."""
    require_actor(user)
    require_supervisor(user)
    assignment = _lock(assignment, user)
    _status(assignment, Assignment.Status.COMPLETION, message="该任务没有待确认的办结申请。")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不予办结时请写明理由。"})
    if approve:
        assignment.status = Assignment.Status.COMPLETED
        assignment.completed_at = timezone.now()
    else:
        assignment.status = Assignment.Status.SIGNED
    assignment.save(update_fields=["status", "completed_at"])
    _event(
        assignment,
        Action.COMPLETION_CONFIRM if approve else Action.COMPLETION_REFUSE,
        user,
        comment,
    )
    audit.record(
        action="action", obj=assignment, message="确认办结" if approve else f"不予办结:{comment}"
    )
    notify.to_unit(
        assignment, "completion_decided", "任务已办结销号" if approve else "办结申请未通过", comment
    )
    return assignment


# -- escalation ------------------------------------------------------------------------------------
@transaction.atomic
def letter_propose(
    *, assignment: Assignment, due_date: datetime.date, overdue: int
) -> SupervisionLetter | None:
    """After long overdue, the scheduler proposes a 督办函 to the supervisor (once per obligation)."""
    letter, created = SupervisionLetter.objects.get_or_create(
        assignment=assignment, due_date=due_date
    )
    if not created:
        return None
    audit.record(
        action="create",
        obj=letter,
        after={"due_date": due_date.isoformat(), "overdue_workdays": overdue},
        message="逾期未完成,系统建议发督办函",
    )
    _event(assignment, Action.LETTER_PROPOSED, None, f"逾期 {overdue} 个工作日,建议发督办函")
    notify.to_supervisors(
        assignment,
        "letter_proposed",
        f"建议向{assignment.unit}发督办函",
        f"{assignment.task.number} {assignment.task.title}:截止 {due_date:%Y-%m-%d},已逾期 {overdue} 个工作日。",
        urgent=True,
    )
    return letter


@transaction.atomic
def letter_dismiss(*, letter: SupervisionLetter, user) -> SupervisionLetter:
    """The supervisor decides not to send a proposed 督办函."""
    require_supervisor(user)
    letter = SupervisionLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != SupervisionLetter.Status.PROPOSED:
        raise ValidationError("该督办函已处理。")
    letter.status = SupervisionLetter.Status.DISMISSED
    letter.save(update_fields=["status"])
    audit.record(
        action="action",
        obj=letter,
        before={"status": SupervisionLetter.Status.PROPOSED},
        after={"status": letter.status},
        message="决定不发督办函",
    )
    return letter


@transaction.atomic
def letter_issue(
    *, letter: SupervisionLetter, level: str, content: str, reply_due: datetime.date, user=None
) -> SupervisionLetter:
    """签发督办函: numbered 陆司督〔year〕N号 without gaps; the unit is told at once."""
    require_actor(user)
    require_supervisor(user)
    letter = (
        SupervisionLetter.objects.select_for_update()
        .select_related("assignment__unit", "assignment__task")
        .get(pk=letter.pk)
    )
    if letter.status != SupervisionLetter.Status.PROPOSED:
        raise ValidationError("该督办函已处理。")
    if level not in SupervisionLetter.Level.values:
        raise ValidationError({"level": "请选择督办等级。"})
    if not content.strip():
        raise ValidationError({"content": "请填写督办内容。"})
    if reply_due <= _today():
        raise ValidationError({"reply_due": "回复期限应晚于今天。"})
    now = timezone.now()
    letter.number = next_number(kind="督办函", year=timezone.localdate(now).year, prefix="陆司督")
    letter.level, letter.content, letter.reply_due = level, content.strip(), reply_due
    letter.status = SupervisionLetter.Status.ISSUED
    letter.issued_by, letter.issued_at = user, now
    letter.save()
    _event(
        letter.assignment,
        Action.LETTER_ISSUED,
        user,
        f"{letter.number}({letter.get_level_display()})",
    )
    audit.record(action="action", obj=letter, message=f"签发督办函 {letter.number}")
    notify.to_unit(
        letter.assignment,
        "letter_issued",
        f"督办函 {letter.number}",
        f"{content.strip()}\n请于 {reply_due:%Y-%m-%d} 前回复。",
        urgent=True,
    )
    return letter
