"""Evaluations (中期评估 / 终期评估): schemes, pre-scoring from the data, adjustment, objection, settlement.

Scoring, per assignment (item), from the record as of the evaluation date:
- 100 points to start;
- a dated task: minus `points_per_overdue_workday` for each working day it was (or is) completed late;
- a standing task: minus `points_per_missed_period` for each report period not met, and the per-day
  points for each working day a report came in late;
- signing late: the per-day points for each working day late;
- minus `points_per_returned_report` for each report returned up to the date;
- no item below 0. A unit's score is the average of its items weighted by `task_weights`; then the
  supervisor's adjustment (with a reason) and bonus (up to `max_bonus`, with the achievement).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.calendar import workdays_between
from oversight.core.context import require_actor
from oversight.core.notifications import Message, notify
from oversight.core.numbering import next_number
from oversight.core.roles import UNIT_ROLES, Role
from oversight.reviews.documents import unit_review_scores
from oversight.supervision.selectors import unit_records
from oversight.workplans.lights import related, states
from oversight.workplans.models import Assignment, Plan, Task
from oversight.workplans.selectors import with_history

from .figures import end_of, shared_ranks
from .models import EvaluationResult, EvaluationScheme

DEFAULT_GRADES = [[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]]
TWO = Decimal("0.01")


def _d(value) -> Decimal:
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def grade_of(score: Decimal, grades: list) -> str:
    for minimum, name in sorted(grades, key=lambda g: -g[0]):
        if score >= Decimal(str(minimum)):
            return name
    return grades[-1][1] if grades else ""


def _body_duty_date(plan: Plan, word: str) -> datetime.date | None:
    """The date the notice body gives for 中期评估 / 终期评估."""
    for task in plan.tasks.filter(kind=Task.Kind.BODY).prefetch_related("milestones"):
        for milestone in task.milestones.all():
            if word in milestone.text and milestone.date:
                return milestone.date
    return None


@transaction.atomic
def evaluation_create(
    *, plan: Plan, kind: str, as_of: datetime.date | None = None, user=None
) -> EvaluationScheme:
    """A scheme with the default rules; the date defaults to the one the notice sets, else today."""
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以组织评估。")
    if kind not in EvaluationScheme.Kind.values:
        raise ValidationError("评估类型无效。")
    label = EvaluationScheme.Kind(kind).label
    if as_of is None:
        as_of = _body_duty_date(plan, label)
        # A date the notice set before the plan was issued here (an old notice imported late)
        # would evaluate nothing, one still ahead would score work not yet due: today instead.
        if (
            as_of is None
            or (plan.issued_at and as_of < timezone.localdate(plan.issued_at))
            or as_of > timezone.localdate()
        ):
            as_of = timezone.localdate()
    if plan.status == Plan.Status.CONFIRMED or plan.issued_at is None:
        raise ValidationError("计划尚未下发,没有可评估的落实情况。")
    issued_on = timezone.localdate(plan.issued_at)
    if as_of < issued_on:
        raise ValidationError(
            {
                "as_of": f"评估截止日 {as_of:%Y-%m-%d} 早于计划下发日 {issued_on:%Y-%m-%d}:"
                "计划下发前没有可评估的落实情况,请选择下发之后的日期。"
            }
        )
    existing = EvaluationScheme.objects.filter(
        plan=plan, kind=kind, as_of=as_of, status=EvaluationScheme.Status.DRAFT
    ).first()
    if existing is not None:
        return existing  # pressed twice: one draft scheme per plan, kind and date
    scheme = EvaluationScheme.objects.create(
        plan=plan,
        kind=kind,
        title=f"{as_of.year}年行政执法协调监督工作任务{label}",
        as_of=as_of,
        grades=DEFAULT_GRADES,
    )
    audit.record(action="create", obj=scheme, after=audit.snapshot(scheme))
    return scheme


@transaction.atomic
def evaluation_delete(*, scheme: EvaluationScheme, user=None) -> None:
    """Discard an evaluation that is not published (its scores with it)."""
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以删除评估。")
    scheme = EvaluationScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status == EvaluationScheme.Status.PUBLISHED:
        raise ValidationError("评估结果已发布,是正式公文,不能删除。")
    audit.record(
        action="delete",
        obj=scheme,
        before=audit.snapshot(scheme),
        message=f"删除评估《{scheme.title}》({scheme.results.count()} 个单位的评分)",
    )
    scheme.delete()


@transaction.atomic
def evaluation_scheme_update(
    *, scheme: EvaluationScheme, data: dict[str, Any], user=None
) -> EvaluationScheme:
    """Change the scoring method of an evaluation not yet published (the supervisor only)."""
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有区司法局可以修改评分办法。")
    scheme = EvaluationScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status == EvaluationScheme.Status.PUBLISHED:
        raise ValidationError("评估结果已发布,评分办法不能修改。")
    before = audit.snapshot(scheme)
    for key, value in data.items():
        setattr(scheme, key, value)
    scheme.full_clean()
    scheme.save()
    audit.record(action="update", obj=scheme, before=before, after=audit.snapshot(scheme))
    return scheme


def _score_item(state, scheme: EvaluationScheme, as_of: datetime.date) -> tuple[Decimal, list[str]]:
    a, snap = state.assignment, state.snapshot
    per_day = scheme.points_per_overdue_workday
    score = Decimal(100)
    notes: list[str] = []
    for ob in state.obligations:
        if ob.due > as_of:
            continue
        if ob.kind == "sign":
            done = timezone.localdate(snap.signed_at) if snap.signed_at else None
        elif ob.kind == "final":
            done = timezone.localdate(snap.completed_at) if ob.met and snap.completed_at else None
        else:
            found = snap.reports.get((ob.kind, ob.due))
            done = timezone.localdate(found[1]) if found and found[1] else None
            if ob.kind == "periodic" and not ob.met and not ob.pending:
                score -= scheme.points_per_missed_period
                notes.append(f"{ob.label}未按要求报送:-{scheme.points_per_missed_period}")
                continue
        late = workdays_between(ob.due, done or as_of) if (done is None or done > ob.due) else 0
        if late > 0 and not (ob.kind == "periodic" and done is None):
            points = per_day * late
            score -= points
            notes.append(
                f"{ob.label}{'逾期' if done is None else '迟'} {late} 个工作日:-{_d(points)}"
            )
    returns = sum(
        1
        for e in related(a, "events")
        if e.action == "report_return" and timezone.localdate(e.time) <= as_of
    )
    if returns:
        points = scheme.points_per_returned_report * returns
        score -= points
        notes.append(f"报告被退回 {returns} 次:-{_d(points)}")
    return max(Decimal(0), score), notes


def _supervision_deduction(record, scheme: EvaluationScheme) -> tuple[Decimal, list[str]]:
    """Points off a unit's score for its supervision record in the evaluation year."""
    if record is None:
        return Decimal(0), []
    items = [
        (record.substantiated, scheme.points_per_substantiated_clue, "投诉线索经审核属实"),
        (record.late_replies, scheme.points_per_late_document_reply, "监督文书逾期回复或未回复"),
        (record.failed, scheme.points_per_failed_rectification, "监督文书整改未通过"),
        (record.sanctions, scheme.points_per_sanction, "被约谈、通报或移送"),
    ]
    points, notes = Decimal(0), []
    for count, per, label in items:
        if count and per:
            points += per * count
            notes.append(f"{label} {count} 次:-{_d(per * count)}")
    return points, notes


def _review_deduction(result, scheme: EvaluationScheme) -> tuple[Decimal, list[str]]:
    """Points off for the unit's case files graded 不合格 in the year's published reviews."""
    if result is None:
        return Decimal(0), []
    average, failed = result
    if not failed or not scheme.points_per_failed_review_file:
        return Decimal(0), [
            f"案卷评查平均 {average} 分,无不合格案卷"
        ] if average is not None else []
    points = scheme.points_per_failed_review_file * failed
    return points, [f"案卷评查平均 {average} 分,不合格 {failed} 份:-{_d(points)}"]


def _rank(scheme: EvaluationScheme) -> None:
    results = list(scheme.results.select_related("unit"))
    results.sort(key=lambda r: (-r.final_score, r.unit.sort_order, r.unit_id))
    ranks = shared_ranks([r.final_score for r in results])  # equal scores share a rank
    for rank, result in zip(ranks, results, strict=True):
        if result.rank != rank:
            EvaluationResult.objects.filter(pk=result.pk).update(rank=rank)


def _final(result: EvaluationResult, scheme: EvaluationScheme) -> None:
    result.final_score = _d(result.auto_score + result.adjustment + result.bonus)
    result.grade = grade_of(result.final_score, scheme.grades or DEFAULT_GRADES)


@transaction.atomic
def evaluation_score(*, scheme: EvaluationScheme, user=None) -> int:
    """Pre-score every unit from the data as of the evaluation date; adjustments are kept."""
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以评分。")
    scheme = EvaluationScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status == EvaluationScheme.Status.PUBLISHED:
        raise ValidationError("评估结果已发布,不能重新评分。")
    at = end_of(scheme.as_of)
    qs = with_history(Assignment.objects.filter(plan=scheme.plan, issued_at__lte=at))
    by_unit: dict[int, dict[str, Any]] = {}
    for state in states(qs, scheme.as_of, at=at):
        if state.snapshot.status == Assignment.Status.HANDED_BACK:
            continue
        a = state.assignment
        weight = Decimal(str(scheme.task_weights.get(a.task.number, 1)))
        score, notes = _score_item(state, scheme, scheme.as_of)
        entry = by_unit.setdefault(
            a.unit_id, {"unit": a.unit, "weighted": Decimal(0), "weights": Decimal(0), "items": []}
        )
        entry["weighted"] += score * weight
        entry["weights"] += weight
        entry["items"].append(
            {
                "task": f"{a.task.number} {a.task.title}",
                "weight": float(weight),
                "score": float(_d(score)),
                "notes": notes,
            }
        )
    existing = {r.unit_id: r for r in scheme.results.all()}
    records = unit_records(scheme.as_of.replace(month=1, day=1), scheme.as_of, by_unit)
    reviewed = unit_review_scores(scheme.as_of.year)
    for unit_id, entry in by_unit.items():
        auto = _d(entry["weighted"] / entry["weights"]) if entry["weights"] else Decimal(100)
        points, notes = _supervision_deduction(records.get(unit_id), scheme)
        review_points, review_notes = _review_deduction(reviewed.get(unit_id), scheme)
        points, notes = points + review_points, notes + review_notes
        if notes:
            auto = max(Decimal(0), _d(auto - points))
            entry["items"].append(
                {"task": "行政执法监督记录", "weight": 0, "score": float(-points), "notes": notes}
            )
        result = existing.get(unit_id) or EvaluationResult(scheme=scheme, unit=entry["unit"])
        result.auto_score = auto
        result.detail = entry["items"]
        _final(result, scheme)
        result.save()
    scheme.status = EvaluationScheme.Status.SCORED
    scheme.scored_at = timezone.now()
    scheme.save(update_fields=["status", "scored_at"])
    _rank(scheme)
    audit.record(action="action", obj=scheme, message=f"评分:{len(by_unit)} 个单位")
    return len(by_unit)


@transaction.atomic
def evaluation_adjust(
    *,
    result: EvaluationResult,
    adjustment: Decimal,
    reason: str,
    bonus: Decimal = Decimal(0),
    bonus_reason: str = "",
    user=None,
) -> EvaluationResult:
    """The supervisor adjusts a unit's score (with a reason) or adds bonus points (with the achievement)."""
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以调整分数。")
    result = EvaluationResult.objects.select_for_update().select_related("scheme").get(pk=result.pk)
    scheme = result.scheme
    if scheme.status == EvaluationScheme.Status.PUBLISHED and not result.objection:
        raise ValidationError("评估结果已发布;只有处理异议时可以调整。")
    adjustment, bonus = _d(adjustment), _d(bonus)
    if adjustment and not reason.strip():
        raise ValidationError({"reason": "调整分数须写明理由。"})
    if bonus < 0 or bonus > scheme.max_bonus:
        raise ValidationError({"bonus": f"加分应在 0 到 {scheme.max_bonus} 之间。"})
    if bonus and not bonus_reason.strip():
        raise ValidationError({"bonus_reason": "加分须写明加分事项。"})
    if not Decimal(-100) <= adjustment <= Decimal(100):
        raise ValidationError({"adjustment": "调整分应在 -100 到 100 之间。"})
    before = {
        "adjustment": str(result.adjustment),
        "bonus": str(result.bonus),
        "final": str(result.final_score),
    }
    result.adjustment, result.adjustment_reason = adjustment, reason.strip()
    result.bonus, result.bonus_reason = bonus, bonus_reason.strip()
    _final(result, scheme)
    result.save()
    _rank(scheme)
    audit.record(
        action="update",
        obj=result,
        before=before,
        after={
            "adjustment": str(adjustment),
            "bonus": str(bonus),
            "final": str(result.final_score),
        },
        message=f"调整评分:{reason.strip()} {bonus_reason.strip()}".strip(),
    )
    return result


def _unit_users(unit_ids):
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(is_active=True, role_rows__role__in=[Role.REPORTER, Role.UNIT_HEAD])
        .filter(Q(primary_unit__in=unit_ids) | Q(units__in=unit_ids))
        .distinct()
    )


@transaction.atomic
def evaluation_publish(*, scheme: EvaluationScheme, user=None) -> EvaluationScheme:
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以发布评估结果。")
    scheme = EvaluationScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != EvaluationScheme.Status.SCORED:
        raise ValidationError(
            "请先评分,再发布。" if scheme.status == "draft" else "评估结果已经发布。"
        )
    now = timezone.now()
    scheme.number = next_number(kind="评估", year=timezone.localdate(now).year, prefix="陆司评")
    scheme.status = EvaluationScheme.Status.PUBLISHED
    scheme.published_at = now
    scheme.save(update_fields=["number", "status", "published_at"])
    audit.record(action="action", obj=scheme, message=f"发布评估结果 {scheme.number}")
    unit_ids = list(scheme.results.values_list("unit_id", flat=True))
    notify(
        _unit_users(unit_ids),
        Message(
            key=f"evaluation:{scheme.pk}",
            title=f"{scheme.title}结果已发布",
            body="请查看本单位得分和等次;如有异议,可在结果页提出一次。",
            url=scheme.get_absolute_url(),
        ),
    )
    return scheme


@transaction.atomic
def evaluation_object(*, result: EvaluationResult, text: str, user=None) -> EvaluationResult:
    """A unit objects to its published score, once."""
    require_actor(user)
    if user is not None and not user.role_codes & UNIT_ROLES:
        raise PermissionDenied("只有本单位可以提出异议。")
    qs = EvaluationResult.objects.select_for_update().select_related("scheme")
    if user is not None:
        qs = qs.filter(pk__in=EvaluationResult.objects.restrict(user, "view").values("pk"))
    try:
        result = qs.get(pk=result.pk)
    except EvaluationResult.DoesNotExist as exc:
        raise PermissionDenied("该评估结果不在您的权限范围内。") from exc
    if result.scheme.status != EvaluationScheme.Status.PUBLISHED:
        raise ValidationError("评估结果发布后才能提出异议。")
    if result.objection:
        raise ValidationError("每个单位只能提出一次异议。")
    if len(text.strip()) < 6:
        raise ValidationError({"text": "请具体说明异议的事实和理由。"})
    result.objection, result.objection_at, result.objection_by = text.strip(), timezone.now(), user
    result.save(update_fields=["objection", "objection_at", "objection_by"])
    audit.record(action="action", obj=result, message=f"提出异议:{text.strip()[:100]}")
    from django.contrib.auth import get_user_model

    supervisors = get_user_model().objects.filter(is_active=True, role_rows__role=Role.SUPERVISOR)
    notify(
        supervisors,
        Message(
            key=f"objection:{result.pk}",
            title=f"{result.unit}对{result.scheme.title}提出异议",
            body=text.strip(),
            url=result.scheme.get_absolute_url(),
            urgent=True,
        ),
    )
    return result


@transaction.atomic
def evaluation_settle(
    *, result: EvaluationResult, text: str, adjustment: Decimal | None = None, user=None
) -> EvaluationResult:
    """The supervisor settles an objection; the score may change with the settlement as its reason."""
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以处理异议。")
    result = EvaluationResult.objects.select_for_update().select_related("scheme").get(pk=result.pk)
    if not result.objection:
        raise ValidationError("该单位没有提出异议。")
    if result.settled_at:
        raise ValidationError("该异议已经处理。")
    if not text.strip():
        raise ValidationError({"text": "请写明处理意见。"})
    if adjustment is not None and _d(adjustment) != result.adjustment:
        result = evaluation_adjust(
            result=result,
            adjustment=adjustment,
            reason=f"异议处理:{text.strip()}",
            bonus=result.bonus,
            bonus_reason=result.bonus_reason,
            user=user,
        )
    result.settlement, result.settled_at = text.strip(), timezone.now()
    result.save(update_fields=["settlement", "settled_at"])
    audit.record(action="action", obj=result, message=f"处理异议:{text.strip()[:100]}")
    notify(
        _unit_users([result.unit_id]),
        Message(
            key=f"settled:{result.pk}",
            title=f"{result.scheme.title}异议已处理",
            body=text.strip(),
            url=result.scheme.get_absolute_url(),
        ),
    )
    return result
