"""Special rectification (专项整治): a campaign with themes, units and phases; its problem list from
self-checks and the platform's own sources; each unit's rectification ledger until the bureau
closes the problem (销号) and calls back later (回访)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.roles import Role

from ..models import Campaign, Problem
from .clues import _supervisor

PHASES = ("自查", "整改", "督查", "总结")
P = Problem.Status


@transaction.atomic
def campaign_start(
    *, title: str, themes: str, units: list, phases: list[dict[str, Any]], started_on: datetime.date,
    is_demo: bool = False, user=None,
) -> Campaign:  # fmt: skip
    """Start a campaign; its phases are dated milestones in order."""
    require_actor(user)
    _supervisor(user)
    if not units:
        raise ValidationError({"units": "请选择参加单位。"})
    if len(themes.strip()) < 4:
        raise ValidationError({"themes": "请写明整治重点。"})
    dues = [p["due"] for p in phases]
    if len(phases) != len(PHASES) or any(d is None for d in dues):
        raise ValidationError({"phases": "请为自查、整改、督查、总结四个阶段填写完成日期。"})
    if dues != sorted(dues) or dues[0] < started_on:
        raise ValidationError({"phases": "各阶段的完成日期应晚于开始日期并按先后排列。"})
    campaign = Campaign.objects.create(
        title=title.strip(), themes=themes.strip(), started_on=started_on, is_demo=is_demo,
        phases=[{"name": name, "due": due.isoformat()} for name, due in zip(PHASES, dues, strict=True)],
    )  # fmt: skip
    campaign.units.set(units)
    audit.record(
        action="create",
        obj=campaign,
        after=audit.snapshot(campaign) | {"units": [u.short_name for u in units]},
    )
    return campaign


@transaction.atomic
def problem_add(*, campaign: Campaign, data: dict[str, Any], user=None) -> Problem:
    """Put a problem on the list: the bureau from any source; a unit from its own self-check."""
    require_actor(user)
    unit = data["unit"]
    if not campaign.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"{unit} 不是本次专项整治的参加单位。"})
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        if unit.pk not in user.scope_unit_ids:
            raise PermissionDenied("只能登记本单位自查发现的问题。")
        if data.get("source") != Problem.Source.SELF_CHECK:
            raise ValidationError({"source": "单位登记的问题来源应为“单位自查”。"})
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError("专项整治已总结,不能再登记问题。")
    if len((data.get("description") or "").strip()) < 4:
        raise ValidationError({"description": "请写明问题。"})
    problem = Problem(
        campaign=campaign, unit=unit, problem_type=data.get("problem_type"), source=data["source"],
        source_note=(data.get("source_note") or "").strip(), description=data["description"].strip(),
        deadline=data["deadline"], is_demo=bool(data.get("is_demo")),
    )  # fmt: skip
    problem.full_clean()
    problem.save()
    audit.record(action="create", obj=problem, after=audit.snapshot(problem))
    return problem


def _lock(problem: Problem, user) -> Problem:
    qs = Problem.objects.select_for_update()
    if user is not None:
        qs = qs.filter(pk__in=Problem.objects.restrict(user, "change").values("pk"))
    try:
        return qs.get(pk=problem.pk)
    except Problem.DoesNotExist as exc:
        raise PermissionDenied("该问题不在您的权限范围内。") from exc


@transaction.atomic
def problem_report(
    *, problem: Problem, measures: str, responsible: str, evidence: str,
    refund_amount: Decimal | None = None, accountability: str = "", user=None,
) -> Problem:  # fmt: skip
    """The unit's ledger entry: measures, who is responsible, the evidence, refunds and
    accountability; it then asks for 销号."""
    require_actor(user)
    problem = _lock(problem, user)
    if problem.status not in {P.OPEN, P.RETURNED}:
        raise ValidationError(f"问题当前为“{problem.get_status_display()}”,不能报送。")
    if len(measures.strip()) < 4 or len(evidence.strip()) < 4 or len(responsible.strip()) < 2:
        raise ValidationError("请填写整改措施、责任人和整改佐证。")
    if refund_amount is not None and refund_amount < 0:
        raise ValidationError({"refund_amount": "退还金额不能为负。"})
    before = audit.snapshot(problem)
    problem.measures, problem.responsible, problem.evidence = (
        measures.strip(),
        responsible.strip(),
        evidence.strip(),
    )
    problem.refund_amount = refund_amount or Decimal(0)
    problem.accountability = accountability.strip()
    problem.status = P.SUBMITTED
    problem.submitted_on = timezone.localdate()
    problem.save()
    audit.record(action="update", obj=problem, before=before, after=audit.snapshot(problem))
    return problem


@transaction.atomic
def problem_close(*, problem: Problem, approve: bool, comment: str = "", user=None) -> Problem:
    """销号 after review, or back to the unit with what is missing. A problem of arbitrary fines or
    charges is closed only with the refund recorded (or a reason there is none)."""
    require_actor(user)
    _supervisor(user)
    problem = _lock(problem, user)
    if problem.status != P.SUBMITTED:
        raise ValidationError("只有已报送的问题可以审核销号。")
    before = audit.snapshot(problem)
    if approve:
        money = problem.problem_type and problem.problem_type.code in {
            "arbitrary_fine",
            "arbitrary_charge",
            "profit_driven",
        }
        if money and not problem.refund_amount and len(comment.strip()) < 4:
            raise ValidationError(
                {
                    "comment": "乱罚款、乱收费、趋利性执法问题须退还违规款项;没有退还的,须在审核意见中写明理由。"
                }
            )
        problem.status = P.CLOSED
        problem.closed_on = timezone.localdate()
    else:
        if len(comment.strip()) < 4:
            raise ValidationError({"comment": "退回须写明还需整改的内容。"})
        problem.status = P.RETURNED
    problem.review_comment = comment.strip()
    problem.save()
    audit.record(
        action="update",
        obj=problem,
        before=before,
        after=audit.snapshot(problem),
        message="销号" if approve else "退回整改",
    )
    return problem


@transaction.atomic
def problem_follow_up(*, problem: Problem, note: str, user=None) -> Problem:
    """回访 after 销号: whether the problem stayed put right."""
    require_actor(user)
    _supervisor(user)
    problem = _lock(problem, user)
    if problem.status != P.CLOSED:
        raise ValidationError("销号后才能回访。")
    if len(note.strip()) < 4:
        raise ValidationError({"note": "请写明回访情况。"})
    problem.follow_up_on = timezone.localdate()
    problem.follow_up_note = note.strip()
    problem.save(update_fields=["follow_up_on", "follow_up_note"])
    audit.record(
        action="update",
        obj=problem,
        after={"follow_up_on": problem.follow_up_on.isoformat(), "note": problem.follow_up_note},
    )
    return problem


@transaction.atomic
def campaign_close(*, campaign: Campaign, summary: str, user=None) -> Campaign:
    require_actor(user)
    _supervisor(user)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    open_problems = campaign.problems.exclude(status=P.CLOSED).count()
    if open_problems:
        raise ValidationError(f"还有 {open_problems} 个问题未销号。")
    if len(summary.strip()) < 4:
        raise ValidationError({"summary": "请写明整治总结。"})
    campaign.status = Campaign.Status.CLOSED
    campaign.summary = summary.strip()
    campaign.save(update_fields=["status", "summary"])
    audit.record(
        action="update", obj=campaign, after={"status": "closed", "summary": campaign.summary}
    )
    return campaign
