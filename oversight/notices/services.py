"""Reading a notice into a plan: parse to a draft, review and correct, map units, confirm."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.context import require_actor, require_capability
from oversight.organisations.models import Unit, UnitGroup, UnitKind
from oversight.organisations.selectors import normalise_name, resolve_name
from oversight.organisations.services import unit_create
from oversight.workplans.models import Milestone, Notice, Plan, Task, TaskDeadline, TaskUnit

from .models import NoticeDraft
from .parsing import NoticeError, parse_notice
from .parsing.dates import milestones_in_text, parse_deadline_cell
from .parsing.units import split_units

MAX_BYTES = getattr(settings, "NOTICE_MAX_BYTES", 20 * 1024 * 1024)


class DuplicateNotice(ValidationError):
    """The same notice (same text) was imported before; `plan` is the plan it became."""

    def __init__(self, notice: Notice):
        self.plan = notice.plan
        super().__init__(
            f"该通知已于 {notice.imported_at:%Y-%m-%d} 导入为工作计划《{notice.plan}》,内容没有变化,无需重复导入。"
        )


def registry_resolver(name: str) -> bool:
    return resolve_name(name) is not None


def content_hash(source_lines: list[str]) -> str:
    """A digest of the notice's text that ignores blank lines and spacing, so a re-save matches."""
    text = "\n".join("".join(line.split()) for line in source_lines if line.strip())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_upload(*, data: bytes, filename: str = "", year: int | None = None) -> dict[str, Any]:
    """Parse bytes into the plan JSON (with source lines); bad input becomes a ValidationError."""
    try:
        parsed = parse_notice(
            data, filename=filename, year=year, resolver=registry_resolver, max_bytes=MAX_BYTES
        )
    except NoticeError as exc:
        raise ValidationError(str(exc)) from exc
    return parsed.to_json(include_source=True)


def _existing_notice(digest: str) -> Notice | None:
    return Notice.objects.select_related("plan").filter(content_hash=digest).first()


def _revision_target(parsed: dict[str, Any]) -> Plan | None:
    """An earlier version of the same notice: same 文号, or same title when there is no 文号."""
    notices = Notice.objects.select_related("plan")
    if parsed.get("doc_number"):
        found = notices.filter(doc_number=parsed["doc_number"]).order_by("-imported_at").first()
        if found:
            return found.plan
    found = notices.filter(title=parsed["title"]).order_by("-imported_at").first()
    return found.plan if found else None


@transaction.atomic
def draft_create(
    *, data: bytes, filename: str = "", year: int | None = None, user=None
) -> NoticeDraft:
    """Parse a notice into a draft for review. The same notice twice is refused, not duplicated."""
    require_actor(user)
    parsed = parse_upload(data=data, filename=filename, year=year)
    digest = content_hash(parsed["source_lines"])
    existing = _existing_notice(digest)
    if existing:
        raise DuplicateNotice(existing)
    stale = past_deadlines_warning(parsed, timezone.localdate())
    if stale:
        parsed["warnings"].insert(0, stale)
    draft = NoticeDraft.objects.create(
        filename=filename[:200],
        source_format=parsed["format"],
        source_text="\n".join(parsed.pop("source_lines")),
        content_hash=digest,
        year=parsed.get("year"),
        parsed=parsed,
        target_plan=_revision_target(parsed),
        created_by=user,
    )
    audit.record(
        action="create", obj=draft, message=f"导入通知并解析出 {len(parsed['tasks'])} 项任务"
    )
    return draft


def past_deadlines_warning(parsed: dict[str, Any], today: datetime.date) -> str | None:
    """A notice whose every dated deadline is already past: most likely last year's notice reused,
    or the wrong year chosen for its relative dates."""
    dates = [
        datetime.date.fromisoformat(d["date"])
        for task in parsed["tasks"]
        for d in task["deadlines"]
        if d.get("date")
    ]
    if not dates or max(dates) >= today:
        return None
    return (
        f"通知中所有完成时限都已过去(最晚为 {max(dates):%Y-%m-%d}):如是沿用往年的通知,"
        "请修改“换算年份”或原文中的年份后再确认,否则各项任务一下发即为逾期。"
    )


def unit_names(draft: NoticeDraft) -> list[str]:
    seen: list[str] = []
    for task in draft.parsed["tasks"] + draft.parsed["body_tasks"]:
        for name in task["units"]:
            if name not in seen:
                seen.append(name)
    return seen


def resolve_with_mapping(draft: NoticeDraft, name: str) -> Unit | UnitGroup | dict | None:
    """What a name stands for: the reviewer's mapping first, then the registry."""
    mapped = draft.mapping.get(name)
    if mapped:
        if "unit" in mapped:
            return Unit.objects.filter(pk=mapped["unit"]).first()
        if "group" in mapped:
            return UnitGroup.objects.filter(pk=mapped["group"]).first()
        if "create" in mapped:
            return mapped["create"]
    return resolve_name(name)


def unresolved_names(draft: NoticeDraft) -> list[str]:
    return [n for n in unit_names(draft) if resolve_with_mapping(draft, n) is None]


def _refresh_unknown(draft: NoticeDraft) -> None:
    draft.parsed["unknown_units"] = unresolved_names(draft)


def _rederive(task: dict[str, Any], year: int | None) -> None:
    lead, units = split_units(task["units_text"])
    task["lead_units"], task["units"] = lead, units
    deadlines, event_milestones = parse_deadline_cell(task["deadline_text"], year)
    task["deadlines"] = [d.to_json() for d in deadlines]
    task["milestones"] = [
        m.to_json() for m in milestones_in_text(task["text"], year) + event_milestones
    ]


@transaction.atomic
def draft_update_task(
    *,
    draft: NoticeDraft,
    kind: str,
    index: int,
    title: str,
    text: str,
    units_text: str,
    deadline_text: str,
    user=None,
) -> dict[str, Any]:
    """Correct one parsed task; its units, deadlines and milestones are read again from the fields."""
    require_capability(user, "notices.import")
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    key = "body_tasks" if kind == "body" else "tasks"
    try:
        task = draft.parsed[key][index]
    except (IndexError, KeyError) as exc:
        raise ValidationError("找不到该任务,请刷新页面后重试。") from exc
    if not title.strip():
        raise ValidationError({"title": "任务名称不能为空。"})
    before = {k: task[k] for k in ("title", "text", "units_text", "deadline_text")}
    task.update(
        title=title.strip(),
        text=text.strip(),
        units_text=units_text.strip(),
        deadline_text=deadline_text.strip(),
    )
    _rederive(task, draft.year)
    task["doubts"] = {}  # the reviewer has looked at this task and set its fields
    if kind != "body" and not task["units"]:
        raise ValidationError(
            {"units_text": "请填写责任单位,多个单位用顿号分隔,牵头单位写在第一个逗号之前。"}
        )
    if (
        kind != "body"
        and not task["deadlines"]
        and not any(m["period"] for m in task["milestones"] if "period" in m)
    ):
        raise ValidationError(
            {"deadline_text": "无法识别完成时限:请写成“2024年11月15日”“2024年10月底”或“长期坚持”。"}
        )
    _refresh_unknown(draft)
    draft.save(update_fields=["parsed", "updated_at"])
    audit.record(
        action="update",
        obj=draft,
        before=before,
        after={k: task[k] for k in before},
        message=f"修改任务 {task['number']}",
    )
    return task


@transaction.atomic
def draft_set_year(*, draft: NoticeDraft, year: int, user=None) -> NoticeDraft:
    """Set the year relative phrases (3月底前, 年底前, 每年2月底前) count from, and re-read them."""
    require_capability(user, "notices.import")
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    if not 2000 <= year <= 2100:
        raise ValidationError("年份应在 2000 到 2100 之间。")
    draft.year = year
    draft.parsed["year"] = year
    for key in ("tasks", "body_tasks"):
        for task in draft.parsed[key]:
            if key == "tasks":
                _rederive(task, year)
            else:
                task["milestones"] = [m.to_json() for m in milestones_in_text(task["text"], year)]
    draft.save(update_fields=["year", "parsed", "updated_at"])
    return draft


def guess_kind(name: str) -> str:
    if "街办" in name or "街道" in name:
        return UnitKind.SUBDISTRICT
    if "园区" in name or name.endswith("园"):
        return UnitKind.PARK
    if name.startswith(("区委", "中共", "区纪委")):
        return UnitKind.PARTY
    if name.endswith(("法院", "检察院")):
        return UnitKind.JUDICIAL
    if name.endswith(("工商联", "总工会", "妇联", "团区委", "科协", "残联")):
        return UnitKind.MASS
    if name.startswith(("市", "省", "国家")):
        return UnitKind.OTHER
    return UnitKind.DEPARTMENT


@transaction.atomic
def draft_map_unit(
    *,
    draft: NoticeDraft,
    name: str,
    unit: Unit | None = None,
    group: UnitGroup | None = None,
    create: dict[str, Any] | None = None,
    user=None,
) -> NoticeDraft:
    """Say what an unknown name stands for: an existing unit or group, or a unit to create."""
    require_capability(user, "notices.import")
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    if name not in unit_names(draft):
        raise ValidationError(f"通知中没有“{name}”这个单位名称。")
    if sum(x is not None for x in (unit, group, create)) != 1:
        raise ValidationError("请选择一个已有单位、一个单位组,或新建单位,三者选一。")
    if unit is not None:
        draft.mapping[name] = {"unit": unit.pk}
    elif group is not None:
        draft.mapping[name] = {"group": group.pk}
    else:
        full = normalise_name(create.get("name") or name)
        kind = create.get("kind") or guess_kind(name)
        if kind not in UnitKind.values:
            raise ValidationError(f"单位类别“{kind}”无效。")
        if resolve_name(full) is not None:
            raise ValidationError(f"“{full}”已在单位库中,请直接选择该单位。")
        draft.mapping[name] = {
            "create": {"name": full, "short_name": normalise_name(name), "kind": kind}
        }
    _refresh_unknown(draft)
    draft.save(update_fields=["mapping", "parsed", "updated_at"])
    audit.record(
        action="update",
        obj=draft,
        after={"mapping": {name: draft.mapping[name]}},
        message=f"对应单位“{name}”",
    )
    return draft


def _require_open(draft: NoticeDraft) -> None:
    if draft.status != NoticeDraft.Status.DRAFT:
        raise ValidationError("该导入已确认或已放弃,不能再修改。")


def _created_units(draft: NoticeDraft, user) -> dict[str, Unit]:
    """Create the units the reviewer asked for, under the district government."""
    root = Unit.objects.filter(parent__isnull=True, kind=UnitKind.GOVERNMENT).first()
    created = {}
    for name, mapped in draft.mapping.items():
        if "create" in mapped and name in unit_names(draft):
            spec = mapped["create"]
            existing = resolve_name(spec["short_name"])
            if isinstance(existing, Unit):
                created[name] = existing
                continue
            created[name] = unit_create(
                data={
                    "parent": root,
                    "kind": spec["kind"],
                    "name": spec["name"],
                    "short_name": spec["short_name"],
                    "sort_order": 900,
                },
                user=user,
                named_in_notice=True,
            )
    return created


def _resolver(draft: NoticeDraft, created: dict[str, Unit]):
    def resolve(name: str) -> Unit | UnitGroup:
        if name in created:
            return created[name]
        found = resolve_with_mapping(draft, name)
        if found is None or isinstance(found, dict):
            raise ValidationError(f"单位“{name}”尚未对应到单位库,请先对应或新建。")
        return found

    return resolve


def task_ref(data: dict[str, Any]) -> str:
    """The task's number in the plan: unique within the notice (drafts read before references
    existed have only the number)."""
    return data.get("ref") or data["number"]


def _task_fields(data: dict[str, Any], kind: str, order: int) -> dict[str, Any]:
    dates = [datetime.date.fromisoformat(d["date"]) for d in data["deadlines"] if d.get("date")]
    section = data.get("section") or []
    return {
        "kind": kind,
        "number": task_ref(data),
        "order": order,
        "part": section[0] if section else "",
        "section": " › ".join(section[1:])[:100],
        "title": data["title"][:200],
        "text": data["text"],
        "units_text": data.get("units_text", "")[:500],
        "deadline_text": data.get("deadline_text", "")[:200],
        "is_standing": any(d.get("standing") for d in data["deadlines"]),
        "due_date": max(dates) if dates else None,
        "source_lines": data.get("lines", {}),
    }


def _write_children(task: Task, data: dict[str, Any], resolve) -> None:
    TaskDeadline.objects.bulk_create(
        TaskDeadline(
            task=task,
            date=datetime.date.fromisoformat(d["date"]) if d.get("date") else None,
            standing=bool(d.get("standing")),
            text=d.get("text", "")[:100],
        )
        for d in data["deadlines"]
        if d.get("standing") or d.get("date")
    )
    seen: set[tuple[str, int]] = set()
    rows = []
    for order, name in enumerate(data["units"]):
        target = resolve(name)
        key = ("group" if isinstance(target, UnitGroup) else "unit", target.pk)
        if key in seen:  # two spellings of one unit in the same cell
            continue
        seen.add(key)
        rows.append(
            TaskUnit(
                task=task,
                unit=target if isinstance(target, Unit) else None,
                group=target if isinstance(target, UnitGroup) else None,
                name=name[:100],
                is_lead=name in data.get("lead_units", []),
                order=order,
            )
        )
    TaskUnit.objects.bulk_create(rows)
    Milestone.objects.bulk_create(
        Milestone(
            task=task,
            date=datetime.date.fromisoformat(m["date"]) if m.get("date") else None,
            recurrence=m.get("recurrence") or "",
            month_day=m.get("month_day") or "",
            period=m.get("period") or "",
            text=m["text"],
            order=order,
        )
        for order, m in enumerate(data["milestones"])
    )


def _all_tasks(parsed: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    return [("table", i, t) for i, t in enumerate(parsed["tasks"])] + [
        ("body", i, t) for i, t in enumerate(parsed["body_tasks"])
    ]


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "text": data["text"],
        "units": list(data["units"]),
        "lead_units": list(data.get("lead_units", [])),
        "deadlines": sorted(
            (d.get("date") or "", bool(d.get("standing"))) for d in data["deadlines"]
        ),
    }


def _task_as_parsed(task: Task) -> dict[str, Any]:
    return {
        "title": task.title,
        "text": task.text,
        "units": [u.name for u in task.units.all()],
        "lead_units": [u.name for u in task.units.all() if u.is_lead],
        "deadlines": [
            {"date": d.date.isoformat() if d.date else None, "standing": d.standing}
            for d in task.deadlines.all()
        ],
    }


FIELD_LABELS = {
    "title": "任务名称",
    "text": "任务内容",
    "units": "责任单位",
    "lead_units": "牵头单位",
    "deadlines": "完成时限",
}


def plan_diff(plan: Plan, parsed: dict[str, Any]) -> dict[str, list]:
    """What a revised notice changes in a plan: tasks added, removed and changed (with fields)."""
    current = {
        (t.kind, t.number): t
        for t in plan.tasks.prefetch_related("units", "deadlines").order_by("kind", "order")
    }
    incoming = {(kind, task_ref(t)): t for kind, _, t in _all_tasks(parsed)}
    added = [incoming[k] for k in incoming if k not in current]
    removed = [current[k] for k in current if k not in incoming]
    changed = []
    for key in incoming.keys() & current.keys():
        old, new = _comparable(_task_as_parsed(current[key])), _comparable(incoming[key])
        fields = [FIELD_LABELS[f] for f in old if old[f] != new[f]]
        if fields:
            changed.append(
                {
                    "number": key[1],
                    "kind": key[0],
                    "title": incoming[key]["title"],
                    "fields": fields,
                }
            )
    changed.sort(
        key=lambda c: (
            c["kind"],
            [task_ref(t) for _, _, t in _all_tasks(parsed)].index(c["number"]),
        )
    )
    return {"added": added, "removed": removed, "changed": changed}


def _notice_row(draft: NoticeDraft, plan: Plan, version: int, user) -> Notice:
    parsed = draft.parsed
    return Notice.objects.create(
        plan=plan,
        version=version,
        title=parsed["title"][:300],
        issuer=(parsed.get("issuer") or "")[:100],
        doc_number=(parsed.get("doc_number") or "")[:60],
        date=datetime.date.fromisoformat(parsed["date"]) if parsed.get("date") else None,
        addressees=parsed.get("addressees", []),
        source_format=draft.source_format,
        filename=draft.filename,
        source_text=draft.source_text,
        content_hash=draft.content_hash,
        imported_by=user,
    )


@transaction.atomic
def draft_confirm(*, draft: NoticeDraft, user=None) -> Plan:
    """Create the plan, its tasks, unit links and milestones in one transaction (or apply a revision)."""
    require_actor(user)
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    missing = unresolved_names(draft)
    if missing:
        raise ValidationError(
            f"以下单位尚未对应到单位库:{'、'.join(missing)}。请逐一选择已有单位或新建单位后再确认。"
        )
    if _existing_notice(draft.content_hash):
        raise ValidationError("内容相同的通知已经导入,不会重复创建。")
    created = _created_units(draft, user)
    resolve = _resolver(draft, created)
    parsed = draft.parsed
    if draft.target_plan_id:
        plan = Plan.objects.select_for_update().get(pk=draft.target_plan_id)
        diff = plan_diff(plan, parsed)
        existing = {(t.kind, t.number): t for t in plan.tasks.all()}
        for task in diff["removed"]:
            task.delete()
        for order, (kind, _, data) in enumerate(_all_tasks(parsed)):
            task = existing.get((kind, task_ref(data)))
            fields = _task_fields(data, kind, order)
            if task is None:
                task = Task.objects.create(plan=plan, **fields)
            else:
                for key, value in fields.items():
                    setattr(task, key, value)
                task.save()
                task.deadlines.all().delete()
                task.units.all().delete()
                task.milestones.all().delete()
            _write_children(task, data, resolve)
        version = (
            plan.notices.order_by("-version").values_list("version", flat=True).first() or 0
        ) + 1
        plan.title = parsed["title"][:200]
        plan.save(update_fields=["title", "updated_at"])
        message = (
            f"按修订通知更新计划:新增 {len(diff['added'])} 项,删除 {len(diff['removed'])} 项,"
            f"修改 {len(diff['changed'])} 项"
        )
    else:
        plan = Plan.objects.create(title=parsed["title"][:200], year=draft.year, created_by=user)
        for order, (kind, _, data) in enumerate(_all_tasks(parsed)):
            task = Task.objects.create(plan=plan, **_task_fields(data, kind, order))
            _write_children(task, data, resolve)
        version = 1
        message = (
            f"由通知创建计划:{len(parsed['tasks'])} 项任务,{len(parsed['body_tasks'])} 项正文要求"
        )
    _notice_row(draft, plan, version, user)
    draft.status = NoticeDraft.Status.CONFIRMED
    draft.plan = plan
    draft.save(update_fields=["status", "plan", "updated_at"])
    audit.record(action="create" if version == 1 else "update", obj=plan, message=message)
    return plan


@transaction.atomic
def draft_discard(*, draft: NoticeDraft, user=None) -> None:
    require_capability(user, "notices.import")
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    draft.status = NoticeDraft.Status.DISCARDED
    draft.save(update_fields=["status", "updated_at"])
    audit.record(action="update", obj=draft, message="放弃导入")


@transaction.atomic
def notice_import(
    *,
    data: bytes,
    filename: str = "",
    year: int | None = None,
    create_units: bool = False,
    user=None,
) -> tuple[Plan, list[str]]:
    """The import without review, for scripts: refuses unknown units unless asked to create them."""
    require_actor(user)
    draft = draft_create(data=data, filename=filename, year=year, user=user)
    unknown = unresolved_names(draft)
    if unknown and not create_units:
        raise ValidationError(
            f"通知中有单位库里没有的单位:{'、'.join(unknown)}。请先在单位库中添加或设置别名,或使用 --create-units 自动新建。"
        )
    for name in unknown:
        draft = draft_map_unit(
            draft=draft, name=name, create={"name": name, "kind": guess_kind(name)}
        )
    return draft_confirm(draft=draft, user=user), unknown
