"""Adjusting the catalogue: a unit (or the bureau) proposes, the bureau reviews, an approved
adjustment takes effect on its date as a new version (or closes the current one)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.roles import Role

from .models import FIELDS, Adjustment, CatalogItem, ItemClass, ItemVersion

A = Adjustment.Kind
REQUIRED = {
    "name": "事项名称",
    "item_class": "事项类别",
    "legal_basis": "设定依据",
    "subject": "实施主体",
}


def _own_unit(unit, user) -> None:
    if (
        user is not None
        and Role.SUPERVISOR not in user.role_codes
        and unit.pk not in user.scope_unit_ids
    ):
        raise PermissionDenied("只能调整本单位的执法事项清单。")


def current_version(item: CatalogItem, day: datetime.date | None = None) -> ItemVersion | None:
    day = day or timezone.localdate()
    return (
        item.versions.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .first()
    )


def catalogue_as_of(day: datetime.date, units=None, base=None) -> QuerySet[ItemVersion]:
    """The catalogue in force on `day`: each item's version valid that day (within `base`, a
    user's restricted queryset, when given)."""
    qs = (
        (base if base is not None else ItemVersion.objects.all())
        .filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    )
    if units is not None:
        qs = qs.filter(item__unit__in=units)
    return qs.select_related("item__unit").order_by("item__unit__sort_order", "item__code")


def _clean_data(data: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    merged = dict(base or {})
    for key in FIELDS:
        if key in data and data[key] not in (None, ""):
            merged[key] = str(data[key]).strip()
    missing = [label for key, label in REQUIRED.items() if not merged.get(key)]
    if missing:
        raise ValidationError(f"请填写{'、'.join(missing)}。")
    if merged["item_class"] not in ItemClass.values:
        raise ValidationError({"item_class": f"事项类别“{merged['item_class']}”不在清单类别之中。"})
    return merged


@transaction.atomic
def adjustment_propose(
    *, unit, kind: str, code: str, data: dict[str, Any], reason: str, document: str,
    effective_on: datetime.date, user=None,
) -> Adjustment:  # fmt: skip
    """Propose adding, changing or abolishing an item of `unit`'s catalogue."""
    require_actor(user)
    _own_unit(unit, user)
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": "请填写事项编码。"})
    if kind not in A.values:
        raise ValidationError({"kind": "调整类型应为新增、变更或取消。"})
    if len((reason or "").strip()) < 2:
        raise ValidationError({"reason": "请写明调整理由。"})
    if len((document or "").strip()) < 2:
        raise ValidationError({"document": "请写明作出调整的文件(名称和文号)。"})
    item = CatalogItem.objects.filter(unit=unit, code=code).first()
    current = current_version(item, effective_on) if item else None
    if kind == A.ADD:
        if item is not None and current is not None:
            raise ValidationError({"code": f"事项编码 {code} 已在清单中,请选择“变更”。"})
        clean = _clean_data(data)
    else:
        if item is None or current is None:
            raise ValidationError({"code": f"{unit} 的清单中没有编码为 {code} 的有效事项。"})
        base = {k: getattr(current, k) for k in FIELDS}
        clean = _clean_data(data, base) if kind == A.CHANGE else base
        if kind == A.CHANGE and clean == base:
            raise ValidationError("变更后的内容与现行内容相同。")
    if Adjustment.objects.filter(unit=unit, code=code, status=Adjustment.Status.PENDING).exists():
        raise ValidationError({"code": f"事项 {code} 已有待审核的调整,请等待审核后再提出。"})
    adjustment = Adjustment.objects.create(
        unit=unit, kind=kind, item=item, code=code, data=clean, reason=reason.strip(),
        document=document.strip(), effective_on=effective_on, proposed_by=user,
    )  # fmt: skip
    audit.record(action="create", obj=adjustment, after=audit.snapshot(adjustment))
    return adjustment


@transaction.atomic
def adjustment_review(
    *, adjustment: Adjustment, approve: bool, comment: str = "", user=None
) -> Adjustment:
    """The bureau approves (the adjustment takes effect on its date) or rejects it with a reason."""
    require_actor(user)
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("事项清单调整由区司法局审核。")
    adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != Adjustment.Status.PENDING:
        raise ValidationError("该调整已审核。")
    before = {"status": adjustment.status}
    if not approve:
        if len(comment.strip()) < 2:
            raise ValidationError({"comment": "不予通过须写明理由。"})
        adjustment.status = Adjustment.Status.REJECTED
    else:
        _apply(adjustment)
        adjustment.status = Adjustment.Status.APPROVED
    adjustment.review_comment = comment.strip()
    adjustment.reviewed_by = user
    adjustment.reviewed_at = timezone.now()
    adjustment.save()
    audit.record(
        action="update",
        obj=adjustment,
        before=before,
        after={"status": adjustment.status, "comment": adjustment.review_comment},
    )
    return adjustment


def _apply(adjustment: Adjustment) -> None:
    day = adjustment.effective_on
    item = adjustment.item
    if adjustment.kind == A.ADD:
        item, _ = CatalogItem.objects.get_or_create(unit=adjustment.unit, code=adjustment.code)
        adjustment.item = item
    current = current_version(item, day)
    if adjustment.kind != A.ADD and current is None:
        raise ValidationError("该事项在生效日期已无有效内容,不能再调整。")
    if current is not None:
        if current.valid_from >= day:
            raise ValidationError(
                f"生效日期应晚于现行内容的生效日期 {current.valid_from:%Y-%m-%d}。"
            )
        current.valid_to = day
        current.save(update_fields=["valid_to"])
    if item.versions.filter(valid_from__gt=day).exists():
        raise ValidationError("该事项在生效日期之后已有调整,请按时间顺序提出。")
    if adjustment.kind != A.ABOLISH:
        ItemVersion.objects.create(
            item=item, valid_from=day, adjustment=adjustment, **adjustment.data
        )


def idle_items(day: datetime.date, base=None) -> QuerySet[ItemVersion]:
    """Items in force on `day` under which no case was decided or filed in the rule's number of
    years: candidates for clean-up (清理)."""
    from oversight.core.rules import rule_value

    years = rule_value("catalogue.idle_years")
    since = (
        day.replace(year=day.year - years)
        if not (day.month == 2 and day.day == 29)
        else day.replace(year=day.year - years, day=28)
    )
    used = Q(item__cases__decided_on__gte=since) | Q(item__cases__filed_on__gte=since)
    return catalogue_as_of(day, base=base).exclude(
        pk__in=ItemVersion.objects.filter(used).values("pk")
    )
