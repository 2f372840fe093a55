"""Writing units and groups: the tree, names and aliases, Excel import."""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from oversight.core import audit
from oversight.core.context import require_actor, require_capability
from oversight.core.roles import Role

from .models import RobotPost, Unit, UnitAlias, UnitGroup, UnitKind, WebhookTarget
from .selectors import normalise_name, unit_descendant_ids

UNIT_FIELDS = (
    "parent",
    "supervised_unit",
    "kind",
    "name",
    "short_name",
    "is_enforcement",
    "sort_order",
    "is_active",
    "contact_person",
    "contact_phone",
    "address",
)
# What a unit's own reporter or head may change about it.
CONTACT_FIELDS = ("contact_person", "contact_phone", "address")

KIND_BY_LABEL = {label: value for value, label in UnitKind.choices}


def _split_aliases(text: str | list[str] | None) -> list[str]:
    if not text:
        return []
    parts = (
        text
        if isinstance(text, list)
        else str(text).replace(",", ",").replace("、", ",").split(",")
    )
    seen: list[str] = []
    for part in parts:
        name = normalise_name(part)
        if name and name not in seen:
            seen.append(name)
    return seen


def _check_names(unit: Unit, aliases: list[str]) -> None:
    """A name must lead to one unit only: no clash with other units' names, aliases or groups."""
    errors: dict[str, str] = {}
    others = Unit.objects.exclude(pk=unit.pk) if unit.pk else Unit.objects.all()
    own = {unit.name, unit.short_name}
    for field, value in (("name", unit.name), ("short_name", unit.short_name)):
        clash = others.filter(name=value).first() or others.filter(short_name=value).first()
        if clash:
            errors[field] = f"“{value}”已是单位“{clash}”的名称。"
    alias_clash = UnitAlias.objects.exclude(unit_id=unit.pk).filter(name__in=own | set(aliases))
    for alias in alias_clash.select_related("unit"):
        errors.setdefault("aliases", f"“{alias.name}”已是单位“{alias.unit}”的别名。")
    for alias in aliases:
        if others.filter(name=alias).exists() or others.filter(short_name=alias).exists():
            errors.setdefault("aliases", f"别名“{alias}”已是另一个单位的名称。")
    group_names = set()
    for g in UnitGroup.objects.all():
        group_names |= {normalise_name(g.name), *(normalise_name(a) for a in g.aliases)}
    for value in own | set(aliases):
        if normalise_name(value) in group_names:
            errors.setdefault("short_name", f"“{value}”已是单位组的名称。")
    if errors:
        raise ValidationError(errors)


def _check_supervised(unit: Unit) -> None:
    """Only a 司法所 is linked to a 街办, and to a 街办 only."""
    if unit.supervised_unit_id is None:
        return
    if unit.kind != UnitKind.JUSTICE_OFFICE:
        raise ValidationError({"supervised_unit": "只有类别为“司法所”的单位可以设置对口街办。"})
    if unit.supervised_unit.kind != UnitKind.SUBDISTRICT:
        raise ValidationError({"supervised_unit": "对口单位应为街道(街办)。"})


def _check_parent(unit: Unit) -> None:
    if unit.parent_id is None:
        if unit.kind != UnitKind.GOVERNMENT:
            raise ValidationError({"parent": "请选择上级单位;只有区人民政府位于单位树的顶端。"})
        return
    if unit.pk and unit.parent_id in unit_descendant_ids([unit.pk]):
        raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})


def _set_aliases(unit: Unit, aliases: list[str]) -> None:
    UnitAlias.objects.filter(unit=unit).exclude(name__in=aliases).delete()
    existing = set(unit.aliases.values_list("name", flat=True))
    UnitAlias.objects.bulk_create(
        UnitAlias(unit=unit, name=a) for a in aliases if a not in existing
    )


def _snapshot(unit: Unit) -> dict[str, Any]:
    data = audit.snapshot(unit)
    data["aliases"] = sorted(unit.aliases.values_list("name", flat=True)) if unit.pk else []
    return data


@transaction.atomic
def unit_create(
    *,
    data: dict[str, Any],
    aliases: str | list[str] | None = None,
    user=None,
    named_in_notice: bool = False,
) -> Unit:
    """Add a unit to the tree. The system administrator keeps the tree; the one exception is a
    unit named in a notice the supervisor confirms (`named_in_notice`): a new unit without
    accounts, so it widens nobody's scope."""
    require_actor(user)
    unit = Unit(**{k: v for k, v in data.items() if k in (*UNIT_FIELDS, "is_demo")})
    unit.name = normalise_name(unit.name)
    unit.short_name = normalise_name(unit.short_name)
    alias_list = [a for a in _split_aliases(aliases) if a not in {unit.name, unit.short_name}]
    _check_supervised(unit)
    _check_parent(unit)
    _check_names(unit, alias_list)
    unit.full_clean()
    unit.save()
    _set_aliases(unit, alias_list)
    audit.record(action="create", obj=unit, after=_snapshot(unit))
    notice_unit = named_in_notice and Role.SUPERVISOR in getattr(user, "role_codes", ())
    if (
        user is not None
        and not notice_unit
        and not Unit.objects.restrict(user, "change").filter(pk=unit.pk).exists()
    ):
        raise PermissionDenied("无权新增该单位。")
    return unit


@transaction.atomic
def unit_update(
    *, unit: Unit, data: dict[str, Any], aliases: str | list[str] | None = None, user=None
) -> Unit:
    """Change a unit. A unit's own staff may change only its contact details."""
    require_actor(user)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _snapshot(unit)

    allowed = UNIT_FIELDS
    if user is not None and Role.SYSADMIN not in user.role_codes:
        allowed = (
            ("parent", "supervised_unit") if Role.SECADMIN in user.role_codes else CONTACT_FIELDS
        )
        aliases = None
    old_parent_id = unit.parent_id
    old_supervised_id = unit.supervised_unit_id
    for key, value in data.items():
        if key in allowed:
            setattr(unit, key, value)
    if (
        unit.parent_id != old_parent_id
        and user is not None
        and Role.SECADMIN not in user.role_codes
    ):
        widened = _accounts_widened_by_move(unit, old_parent_id)
        if widened:
            # 三员分立: who sees what is the security administrator's decision, not the system
            # administrator's; moving a unit under another hands its records to that unit's staff.
            raise ValidationError(
                {
                    "parent": f"调整隶属关系会扩大 {widened} 个业务账号的数据范围,须由安全管理员办理。"
                }
            )
    if (
        unit.supervised_unit_id != old_supervised_id
        and user is not None
        and Role.SECADMIN not in user.role_codes
        and _office_accounts(unit)
    ):
        # The link decides what the 司法所's accounts read: the security administrator's call.
        raise ValidationError(
            {
                "supervised_unit": "该司法所已有账号,变更对口街办会改变其数据范围,须由安全管理员办理。"
            }
        )
    _check_supervised(unit)
    unit.name = normalise_name(unit.name)
    unit.short_name = normalise_name(unit.short_name)
    alias_list = (
        [a for a in _split_aliases(aliases) if a not in {unit.name, unit.short_name}]
        if aliases is not None
        else list(unit.aliases.values_list("name", flat=True))
    )
    _check_parent(unit)
    _check_names(unit, alias_list)
    if not unit.is_active and unit.children.filter(is_active=True).exists():
        raise ValidationError({"is_active": "该单位还有启用的下级单位,请先停用或调整下级单位。"})
    unit.full_clean()
    unit.save()
    _set_aliases(unit, alias_list)
    audit.record(action="update", obj=unit, before=before, after=_snapshot(unit))
    # Re-check in the same transaction: the change must leave the unit inside the actor's scope.
    if user is not None and not Unit.objects.restrict(user, "change").filter(pk=unit.pk).exists():
        raise PermissionDenied("无权修改该单位。")
    return unit


def _ancestor_ids(unit_id: int | None) -> set[int]:
    ids: set[int] = set()
    while unit_id is not None and unit_id not in ids:
        ids.add(unit_id)
        unit_id = Unit.objects.filter(pk=unit_id).values_list("parent_id", flat=True).first()
    return ids


def _office_accounts(unit: Unit) -> bool:
    """Does this 司法所 have active 司法所 accounts (whose reach its link decides)?"""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, role_rows__role=Role.JUSTICE_OFFICE)
        .filter(Q(primary_unit=unit) | Q(units=unit))
        .exists()
    )


def _accounts_widened_by_move(unit: Unit, old_parent_id: int | None) -> int:
    """How many active accounts with unit roles would newly reach `unit` after the move."""
    from django.contrib.auth import get_user_model

    gained = _ancestor_ids(unit.parent_id) - _ancestor_ids(old_parent_id)
    if not gained:
        return 0
    return (
        get_user_model()
        .objects.filter(
            is_active=True, role_rows__role__in=[Role.REPORTER, Role.UNIT_HEAD, Role.OFFICER]
        )
        .filter(Q(primary_unit__in=gained) | Q(units__in=gained))
        .distinct()
        .count()
    )


@transaction.atomic
def unit_delete(*, unit: Unit, user=None) -> None:
    """Remove a unit entered by mistake. One in use is deactivated instead (the form says so)."""
    require_capability(user, "units.manage")
    if unit.children.exists():
        raise ValidationError("该单位还有下级单位,不能删除。")
    from django.db.models.deletion import ProtectedError

    before = _snapshot(unit)
    try:
        with transaction.atomic():
            audit.record(action="delete", obj=unit, before=before)
            unit.delete()
    except ProtectedError as exc:
        raise ValidationError("该单位已有账号或业务数据引用,不能删除;请改为停用。") from exc


def _group_snapshot(group: UnitGroup) -> dict[str, Any]:
    return audit.snapshot(group)


@transaction.atomic
def group_save(
    *,
    group: UnitGroup | None,
    data: dict[str, Any],
    members: list[Unit] | None = None,
    user=None,
) -> UnitGroup:
    """Create or change a unit group."""
    require_capability(user, "units.manage")
    creating = group is None
    group = group or UnitGroup()
    before = None if creating else _group_snapshot(group)
    for key in ("name", "rule", "kinds", "enforcement_only", "description", "sort_order"):
        if key in data:
            setattr(group, key, data[key])
    group.name = normalise_name(group.name)
    group.aliases = _split_aliases(data.get("aliases", group.aliases))
    if group.rule == UnitGroup.RuleKind.KINDS and not group.kinds:
        raise ValidationError({"kinds": "按单位类别定义的单位组至少要选择一个类别。"})
    if group.rule == UnitGroup.RuleKind.EXPLICIT and members is not None and not members:
        raise ValidationError({"members": "指定单位的单位组至少要有一个成员。"})
    for value in {group.name, *group.aliases}:
        clash = (
            Unit.objects.filter(short_name=value).first() or Unit.objects.filter(name=value).first()
        )
        if clash:
            raise ValidationError({"name": f"“{value}”已是单位“{clash}”的名称。"})
        for other in UnitGroup.objects.exclude(pk=group.pk):
            if value in {normalise_name(other.name), *map(normalise_name, other.aliases)}:
                raise ValidationError({"name": f"“{value}”已被单位组“{other}”使用。"})
    group.full_clean()
    group.save()
    if members is not None:
        group.members.set(members if group.rule == UnitGroup.RuleKind.EXPLICIT else [])
    audit.record(
        action="create" if creating else "update",
        obj=group,
        before=before,
        after=_group_snapshot(group),
    )
    return group


@transaction.atomic
def group_delete(*, group: UnitGroup, user=None) -> None:
    """Delete a unit group entered by mistake; one that tasks still name stays."""
    require_capability(user, "units.manage")
    from django.db.models.deletion import ProtectedError

    before = _group_snapshot(group)
    try:
        with transaction.atomic():
            group.delete()
    except ProtectedError as exc:
        used = len(exc.protected_objects)
        raise ValidationError(
            f"单位组“{group}”已被 {used} 项任务的责任单位引用,不能删除;如不再使用,请修改其名称或成员。"
        ) from exc
    audit.record(action="delete", obj=group, before=before)


def unit_export_rows(units) -> list[list[Any]]:
    rows = []
    for u in units:
        rows.append(
            [
                u.name,
                u.short_name,
                u.get_kind_display(),
                u.parent.name if u.parent else "",
                u.is_enforcement,
                "、".join(a.name for a in u.aliases.all()),
                u.sort_order,
                u.is_active,
                u.contact_person,
                u.contact_phone,
                u.address,
            ]
        )
    return rows


@transaction.atomic
def webhook_save(*, target: WebhookTarget | None, data: dict[str, Any], user=None) -> WebhookTarget:
    """Add or change a group robot; the secret never reaches the audit log."""
    require_capability(user, "units.webhooks")
    creating = target is None
    target = target or WebhookTarget()
    before = None if creating else audit.snapshot(target, exclude=frozenset({"secret"}))
    for key in ("name", "kind", "url", "secret", "unit", "active"):
        if key in data:
            setattr(target, key, data[key])
    target.full_clean()
    target.save()
    audit.record(
        action="create" if creating else "update",
        obj=target,
        before=before,
        after=audit.snapshot(target, exclude=frozenset({"secret"})),
    )
    return target


def notify_robots(unit_ids, title: str, text: str, url: str = "", *, key: str) -> int:
    """Queue a post to the active robots of these units (None stands for the supervisor's own
    robot), once per robot and `key`; a background task posts each once this transaction has
    committed (organisations/tasks.py). Returns how many posts were queued now."""
    from .tasks import post_robot

    ids = set(unit_ids)
    queued = 0
    for target in WebhookTarget.objects.filter(active=True):
        if target.unit_id not in ids:
            continue
        post, created = RobotPost.objects.get_or_create(
            target=target,
            key=key[:200],
            defaults={"title": title[:200], "text": text, "url": url[:300]},
        )
        if created:
            queued += 1
            transaction.on_commit(functools.partial(post_robot.enqueue, post.pk))
    return queued
