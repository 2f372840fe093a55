"""Enterprises, inspections (with the caps on repeated and multiple inspections), declared
conflicts and double-random draws (reproducible, verifiable, published)."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import random
import secrets
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.calendar import add_workdays
from oversight.core.context import require_actor
from oversight.core.identifiers import credit_code_error
from oversight.core.rules import rule_value
from oversight.enforcement.guards import (
    certificate_valid_on,
    check_acting_unit,
    check_officers_of,
)
from oversight.enforcement.models import Certificate, Officer

from .models import Draw, DrawChange, DrawTarget, Enterprise, Inspection, OfficerConflict


# -- enterprise inspections -------------------------------------------------------------------------
@transaction.atomic
def enterprise_save(
    *, enterprise: Enterprise | None, data: dict[str, Any], user=None
) -> Enterprise:
    require_actor(user)
    creating = enterprise is None
    enterprise = enterprise or Enterprise()
    for key in ("name", "credit_code", "risk", "address", "industry", "is_demo"):
        if key in data:
            setattr(enterprise, key, data[key])
    enterprise.credit_code = (enterprise.credit_code or "").strip().upper()
    error = credit_code_error(enterprise.credit_code)
    if error:
        raise ValidationError({"credit_code": error})
    clash = (
        Enterprise.objects.filter(credit_code=enterprise.credit_code)
        .exclude(pk=enterprise.pk)
        .first()
    )
    if clash:
        raise ValidationError({"credit_code": f"该代码已登记为“{clash}”。"})
    enterprise.full_clean(validate_unique=False)
    enterprise.save()
    audit.record(
        action="create" if creating else "update", obj=enterprise, after=audit.snapshot(enterprise)
    )
    return enterprise


@transaction.atomic
def conflict_declare(
    *, officer: Officer, enterprise: Enterprise, reason: str, user=None
) -> OfficerConflict:
    """An officer's declared link with an enterprise: the draw never sends them there."""
    require_actor(user)
    if (
        user is not None
        and not Officer.objects.restrict(user, "change").filter(pk=officer.pk).exists()
    ):
        raise PermissionDenied("只能为本单位的执法人员登记回避关系。")
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": "请写明关系,如“配偶在该企业任职”。"})
    if OfficerConflict.objects.filter(officer=officer, enterprise=enterprise).exists():
        raise ValidationError(f"{officer.name}与{enterprise}的回避关系已经登记。")
    conflict = OfficerConflict.objects.create(
        officer=officer, enterprise=enterprise, reason=reason.strip()
    )
    audit.record(
        action="create",
        obj=conflict,
        after={"officer": officer.name, "enterprise": str(enterprise), "reason": reason.strip()},
    )
    return conflict


# Inspections a department makes on its own initiative count toward the yearly cap; those that
# answer a complaint or check a rectification are counted apart (国办发〔2024〕54号).
UNCAPPED_KINDS = (Inspection.Kind.COMPLAINT, Inspection.Kind.FOLLOW_UP)


def inspection_warnings(
    enterprise: Enterprise, unit, day: datetime.date, kind: str, exclude_pk=None
) -> list[str]:
    """The cap per department and enterprise and year, a department's repeat visit within a short
    window, and several departments within a short window (综合查一次)."""
    warnings = []
    others = Inspection.objects.filter(enterprise=enterprise).exclude(pk=exclude_pk)
    mine = others.filter(unit=unit)
    if kind not in UNCAPPED_KINDS:
        limit = rule_value("cases.routine_inspections_per_year")
        this_year = mine.filter(date__year=day.year)
        count = this_year.exclude(kind__in=UNCAPPED_KINDS).count() + 1
        apart = this_year.filter(kind__in=UNCAPPED_KINDS).count()
        if count > limit:
            also = f"(另有投诉举报核查、整改复查 {apart} 次不计入)" if apart else ""
            warnings.append(
                f"{unit}本年度第 {count} 次检查{enterprise}{also},超过每年 {limit} 次上限(国办发〔2024〕54号),应报经批准"
            )
        repeat_days = rule_value("cases.repeat_inspection_days")
        recent = (
            mine.exclude(kind__in=UNCAPPED_KINDS)
            .filter(date__gte=day - datetime.timedelta(days=repeat_days), date__lte=day)
            .order_by("-date")
            .first()
        )
        if recent is not None:
            warnings.append(
                f"{unit}已于 {recent.date:%Y-%m-%d} 检查过该企业,{repeat_days} 日内再次检查属重复检查"
            )
    window = rule_value("cases.multi_inspection_window_days")
    nearby = others.filter(
        date__gte=day - datetime.timedelta(days=window),
        date__lte=day + datetime.timedelta(days=window),
    ).exclude(unit=unit)
    units = sorted({str(i.unit) for i in nearby.select_related("unit")})
    if units:
        warnings.append(
            f"{window} 日内{'、'.join(units)}也检查了该企业,存在多头检查,建议“综合查一次”联合检查"
        )
    return warnings


@transaction.atomic
def inspection_record(
    *, data: dict[str, Any], officers: list[Officer], items=(), user=None
) -> Inspection:
    require_actor(user)
    unit = data["unit"]
    check_acting_unit(unit, user)
    if len(officers) < rule_value("cases.min_officers"):
        raise ValidationError(
            {"officers": f"检查人员不得少于 {rule_value('cases.min_officers')} 人。"}
        )
    check_officers_of(unit, officers, user)
    day = data["date"]

    invalid = [
        o.name
        for o in officers
        if not any(certificate_valid_on(c, list(c.events.all()), day) for c in o.certificates.all())
    ]
    if invalid:
        raise ValidationError(
            {"officers": f"{'、'.join(invalid)} 在 {day:%Y-%m-%d} 未持有效执法证,不能从事检查。"}
        )
    inspection = Inspection(
        **{
            k: v
            for k, v in data.items()
            if k in ("enterprise", "unit", "kind", "date", "result", "draw_target")
        }
    )
    inspection.warnings = inspection_warnings(inspection.enterprise, unit, day, inspection.kind)
    unpublished = [str(i) for i in items if i.unit_id != unit.pk]
    if unpublished:
        # 国办发〔2024〕54号: an item the unit has not published may not be inspected.
        inspection.warnings.append(
            f"检查事项“{'、'.join(unpublished)}”不在{unit}公布的涉企行政检查事项清单中,未公布的事项不得实施检查(国办发〔2024〕54号)"
        )
    inspection.full_clean(exclude=["warnings"])
    inspection.save()
    inspection.officers.set(officers)
    inspection.items.set(items)
    audit.record(
        action="create",
        obj=inspection,
        after={
            "enterprise": str(inspection.enterprise),
            "date": day.isoformat(),
            "warnings": inspection.warnings,
        },
    )
    return inspection


# -- double-random draws -------------------------------------------------------------------------------
ALGORITHM = "v1-sha256-mt"


def _hash(rows) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def draw_pools(unit, day: datetime.date) -> tuple[list[list], list[int]]:
    """The target pool (enterprise id, risk) and officer pool (certified on the day, on duty)."""
    targets = [[e.pk, e.risk] for e in Enterprise.objects.order_by("pk")]
    officers = sorted(
        {
            c.officer_id
            for c in Certificate.objects.filter(
                officer__unit=unit, officer__status=Officer.Status.ON_DUTY, kind="enforcement", status="valid",
                issue_date__lte=day, expiry_date__gte=day,
            )
        }
    )  # fmt: skip
    return targets, officers


def _history(unit, before: datetime.date) -> dict[int, set[int]]:
    """Officers on each enterprise in the unit's previous draw: not drawn there twice running."""
    previous = (
        Draw.objects.filter(unit=unit, drawn_on__lt=before).order_by("-drawn_on", "-pk").first()
    )
    if previous is None:
        return {}
    return {t.enterprise_id: set(t.officer_ids) for t in previous.targets.all()}


def compute_draw(*, seed: str, target_pool: list[list], officer_pool: list[int], quotas: dict, per_target: int,
                 exclusions: dict[str, list[int]]) -> list[tuple[int, list[int]]]:  # fmt: skip
    """The draw itself, a pure function of its inputs: the same seed and pools give the same result.

    `exclusions` maps an enterprise id (as a string, as stored in JSON) to the officers who may not
    be drawn to it: declared conflicts and the officers who inspected it in the previous draw."""
    rng = random.Random(int(seed, 16))
    by_tier: dict[str, list[int]] = defaultdict(list)
    for pk, risk in target_pool:
        by_tier[risk].append(pk)
    chosen: list[int] = []
    for tier in sorted(quotas):
        pool = sorted(by_tier.get(tier, []))
        quota = quotas[tier]
        n = (
            quota.get("count")
            if "count" in quota
            else math.ceil(len(pool) * float(quota.get("ratio", 0)))
        )
        n = min(int(n), len(pool))
        chosen.extend(rng.sample(pool, n))
    result = []
    for target in chosen:
        excluded = set(exclusions.get(str(target), ()))
        candidates = [o for o in officer_pool if o not in excluded]
        if len(candidates) < per_target:
            raise ValidationError(
                f"企业 {target} 可选的检查人员不足 {per_target} 人(已排除回避关系和上次抽查的人员)。"
            )
        result.append((target, sorted(rng.sample(candidates, per_target))))
    return result


def _exclusions(unit, day: datetime.date) -> dict[str, list[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, officers in _conflicts().items():
        found[enterprise_id] |= officers
    for enterprise_id, officers in _history(unit, day).items():
        found[enterprise_id] |= officers
    return {str(k): sorted(v) for k, v in sorted(found.items())}


def _conflicts() -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for officer_id, enterprise_id in OfficerConflict.objects.values_list(
        "officer_id", "enterprise_id"
    ):
        found[enterprise_id].add(officer_id)
    return found


def _validate_quotas(quotas: dict) -> None:
    if not quotas:
        raise ValidationError({"quotas": "请至少为一个风险等级设置抽取比例或数量。"})
    for tier, quota in quotas.items():
        if tier not in Enterprise.Risk.values:
            raise ValidationError({"quotas": f"未知的风险等级:{tier}"})
        if "count" in quota:
            if int(quota["count"]) < 0:
                raise ValidationError({"quotas": "抽取数量不能为负。"})
        elif not 0 <= float(quota.get("ratio", -1)) <= 1:
            raise ValidationError({"quotas": "抽取比例应在 0 到 1 之间。"})


@transaction.atomic
def draw_perform(
    *,
    unit,
    title: str,
    quotas: dict,
    officers_per_target: int = 2,
    day: datetime.date | None = None,
    user=None,
) -> Draw:
    """Draw targets and officers; record the seed, the algorithm and the hashes of both pools."""
    require_actor(user)
    check_acting_unit(unit, user)
    _validate_quotas(quotas)
    if officers_per_target < rule_value("cases.min_officers"):
        raise ValidationError(
            {"officers_per_target": f"每户检查人员不得少于 {rule_value('cases.min_officers')} 人。"}
        )
    day = day or timezone.localdate()
    targets, officers = draw_pools(unit, day)
    seed = secrets.token_hex(16)
    exclusions = _exclusions(unit, day + datetime.timedelta(days=1))
    result = compute_draw(
        seed=seed,
        target_pool=targets,
        officer_pool=officers,
        quotas=quotas,
        per_target=officers_per_target,
        exclusions=exclusions,
    )
    draw = Draw.objects.create(
        unit=unit, title=title.strip() or f"{day:%Y年%m月}双随机抽查", drawn_on=day, quotas=quotas, officers_per_target=officers_per_target,
        seed=seed, algorithm=ALGORITHM, targets_hash=_hash(targets), officers_hash=_hash(officers),
        target_pool=targets, officer_pool=officers, exclusions=exclusions, exclusions_hash=_hash(exclusions),
        created_by=user,
    )  # fmt: skip
    DrawTarget.objects.bulk_create(
        DrawTarget(draw=draw, enterprise_id=t, officer_ids=o) for t, o in result
    )
    audit.record(
        action="create",
        obj=draw,
        after={"seed": seed, "algorithm": ALGORITHM, "targets": len(result)},
    )
    return draw


def draw_verify(draw: Draw) -> tuple[bool, str]:
    """Re-run the draw from its recorded seed and pools; the pools must match their hashes and the
    result must match the stored one (officers as drawn, before any logged change)."""
    if _hash(draw.target_pool) != draw.targets_hash:
        return False, "检查对象库与抽取时记录的摘要不一致:抽取后对象名单或风险等级被改动。"
    if _hash(draw.officer_pool) != draw.officers_hash:
        return False, "执法人员库与抽取时记录的摘要不一致:抽取后人员名单被改动。"
    if _hash(draw.exclusions) != draw.exclusions_hash:
        return False, "回避排除名单与抽取时记录的摘要不一致。"
    if draw.algorithm != ALGORITHM:
        return False, f"抽取算法版本 {draw.algorithm} 与当前版本 {ALGORITHM} 不同,无法重新抽取。"
    try:
        expected = compute_draw(seed=draw.seed, target_pool=draw.target_pool, officer_pool=draw.officer_pool,
                                quotas=draw.quotas, per_target=draw.officers_per_target, exclusions=draw.exclusions)  # fmt: skip
    except ValidationError:
        return False, "按记录的随机种子和人员库无法重新抽取。"
    original = []
    for target in draw.targets.order_by("pk").prefetch_related("changes"):
        changes = sorted(target.changes.all(), key=lambda c: (c.time, c.pk))
        officers = changes[0].before["officer_ids"] if changes else target.officer_ids
        original.append((target.enterprise_id, sorted(officers)))
    if sorted(expected) != sorted(original):
        return False, "按记录的随机种子重新抽取,结果与保存的抽取结果不一致。"
    return True, f"验证通过:按种子 {draw.seed[:8]}… 和算法 {draw.algorithm} 重新抽取,结果一致。"


@transaction.atomic
def draw_change(
    *, target: DrawTarget, officer_ids: list[int], reason: str, user=None
) -> DrawTarget:
    """Replace the officers of a drawn target (e.g. illness); the reason is logged, the draw stays."""
    require_actor(user)
    draw = target.draw
    check_acting_unit(draw.unit, user)
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请写明变更理由。"})
    if len(set(officer_ids)) < draw.officers_per_target:
        raise ValidationError(
            {"officer_ids": f"每户检查人员不得少于 {draw.officers_per_target} 人。"}
        )
    _, certified = draw_pools(draw.unit, timezone.localdate())
    if not set(officer_ids) <= set(certified):
        raise ValidationError({"officer_ids": "只能选择本单位在岗且持有效执法证的人员。"})
    if any(o in _conflicts().get(target.enterprise_id, set()) for o in officer_ids):
        raise ValidationError({"officer_ids": "所选人员与该企业存在回避关系。"})
    before = {"officer_ids": target.officer_ids}
    target.officer_ids = sorted(set(officer_ids))
    target.save(update_fields=["officer_ids"])
    DrawChange.objects.create(
        draw=draw,
        target=target,
        before=before,
        after={"officer_ids": target.officer_ids},
        reason=reason.strip(),
        actor=user,
    )
    audit.record(
        action="update",
        obj=draw,
        before=before,
        after={"officer_ids": target.officer_ids},
        message=f"变更抽查人员:{reason.strip()}",
    )
    return target


@transaction.atomic
def draw_result(
    *, target: DrawTarget, result: str, result_on: datetime.date | None = None, user=None
) -> DrawTarget:
    """Enter one target's inspection result and the day it was formed (default today): the
    20-working-day publication limit runs from it."""
    require_actor(user)
    check_acting_unit(target.draw.unit, user)
    if not result.strip():
        raise ValidationError({"result": "请填写抽查结果。"})
    result_on = result_on or timezone.localdate()
    if result_on < target.draw.drawn_on or result_on > timezone.localdate():
        raise ValidationError({"result_on": "结果形成日期应在抽取日期之后、不晚于今天。"})
    target.result, target.result_on = result.strip(), result_on
    target.save(update_fields=["result", "result_on"])
    audit.record(action="update", obj=target.draw, message=f"录入抽查结果:{target.enterprise}")
    return target


@transaction.atomic
def draw_publish(*, draw: Draw, user=None) -> Draw:
    require_actor(user)
    check_acting_unit(draw.unit, user)
    missing = draw.targets.filter(result="").count()
    if missing:
        raise ValidationError(f"还有 {missing} 户未录入抽查结果。")
    draw.status, draw.published_on = Draw.Status.PUBLISHED, timezone.localdate()
    draw.save(update_fields=["status", "published_on"])
    audit.record(action="action", obj=draw, message="公示抽查结果")
    return draw


def draw_publication_due(draw: Draw) -> datetime.date | None:
    """Results are published within 20 working days of an inspection result being formed: of the
    first result entered (a draw is published as a whole). None until a result is entered."""
    first = min((t.result_on for t in draw.targets.all() if t.result_on), default=None)
    if first is None:
        return None
    return add_workdays(first, rule_value("cases.draw_publish_workdays"))
