"""The figures of a bulletin (定期通报) for a plan and a period, as of the end of the period.

Built from the same lights and obligations as the dashboard, rebuilt from history as of the last
moment of the period, so a bulletin for a past period does not change when later reports arrive.
Each figure keeps the rows behind it for the Excel ledger.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

from oversight.core.calendar import local_date, workdays_between
from oversight.workplans.lights import related, states
from oversight.workplans.models import Assignment, Plan
from oversight.workplans.selectors import with_history


@dataclass
class Item:
    """One obligation of one unit, as the ledger sheet lists it."""

    unit: str
    task_number: str
    task_title: str
    label: str
    due: str
    state: str  # 按时完成 / 逾期完成 / 逾期未完成 / 待审核 / 未到期
    overdue_workdays: int = 0
    done_on: str = ""


@dataclass
class UnitRow:
    unit_id: int
    unit: str
    sort_order: int
    assignments: int = 0
    dated: int = 0
    completed: int = 0
    completed_on_time: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    due_in_period: int = 0
    on_time_in_period: int = 0
    late_in_period: int = 0
    returned_in_period: int = 0
    overdue_items: list[dict[str, Any]] = field(default_factory=list)
    rank: int = 0

    @property
    def overdue(self) -> int:
        return len(self.overdue_items)

    @property
    def on_time_rate(self) -> float | None:
        return (
            round(100 * self.on_time_in_period / self.due_in_period, 1)
            if self.due_in_period
            else None
        )

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.dated, 1) if self.dated else None


@dataclass
class Figures:
    plan_id: int
    plan_title: str
    date_from: str
    date_to: str
    as_of: str
    assignments: int = 0
    dated: int = 0
    completed: int = 0
    completed_on_time: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    due_in_period: int = 0
    on_time_in_period: int = 0
    late_in_period: int = 0
    returned_in_period: int = 0
    units: list[UnitRow] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    # Each unit's supervision record in the period (supervision.selectors.UnitRecord as a dict),
    # for the units that have one; bulletins frozen before it existed have none.
    supervision: list[dict[str, Any]] = field(default_factory=list)

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.dated, 1) if self.dated else None

    @property
    def on_time_rate(self) -> float | None:
        return (
            round(100 * self.on_time_in_period / self.due_in_period, 1)
            if self.due_in_period
            else None
        )

    @property
    def laggards(self) -> list[UnitRow]:
        return [u for u in self.units if u.overdue or u.late_in_period]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figures:
        data = dict(data)
        data["units"] = [UnitRow(**u) for u in data.get("units", [])]
        data["items"] = [Item(**i) for i in data.get("items", [])]
        return cls(**data)


def end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _local(moment: datetime.datetime | None) -> datetime.date | None:
    return local_date(moment) if moment else None


def compute(plan: Plan, date_from: datetime.date, date_to: datetime.date) -> Figures:
    """The bulletin figures for `plan` over [date_from, date_to], as recorded at the end of date_to."""
    at = end_of(date_to)
    figures = Figures(
        plan.pk, plan.title, date_from.isoformat(), date_to.isoformat(), at.isoformat()
    )
    assignments = with_history(Assignment.objects.filter(plan=plan, issued_at__lte=at).order_by())
    # In the ledger's order, sorted here: PostgreSQL sorting ten thousand whole rows by the joined
    # task and unit costs more than loading them.
    assignments.sort(key=lambda a: (a.task.kind, a.task.order, a.unit.sort_order, a.pk))
    rows: dict[int, UnitRow] = {}
    for state in states(assignments, date_to, at=at):
        a, snap = state.assignment, state.snapshot
        if snap.status == Assignment.Status.HANDED_BACK:
            continue
        row = rows.setdefault(a.unit_id, UnitRow(a.unit_id, str(a.unit), a.unit.sort_order))
        row.assignments += 1
        if not a.task.is_standing:
            row.dated += 1
            if snap.status == Assignment.Status.COMPLETED:
                row.completed += 1
                done = _local(snap.completed_at)
                if snap.due_date is None or (done and done <= snap.due_date):
                    row.completed_on_time += 1
        setattr(row, state.light.code, getattr(row, state.light.code) + 1)
        for event in related(a, "events"):
            if event.action == "report_return" and date_from <= _local(event.time) <= date_to:
                row.returned_in_period += 1
        for ob in state.obligations:
            done_at = None
            if ob.kind == "sign":
                done_at = snap.signed_at
            elif ob.kind == "final":
                done_at = snap.completed_at if ob.met else None
            elif ob.report is not None:
                found = snap.reports.get((ob.kind, ob.due))
                done_at = found[1] if found else None
            done_on = _local(done_at)
            in_period = date_from <= ob.due <= date_to
            overdue = not ob.met and not ob.pending and ob.due < date_to
            if in_period and ob.kind != "sign":
                row.due_in_period += 1
                if done_on and done_on <= ob.due:
                    row.on_time_in_period += 1
                else:
                    row.late_in_period += 1
            if not (in_period or overdue):
                continue
            if overdue:
                label = "逾期未完成"
            elif done_on and done_on <= ob.due:
                label = "按时完成"
            elif done_on:
                label = "逾期完成"
            elif ob.pending:
                label = "待审核"
            else:
                label = "未到期" if ob.due >= date_to else "逾期未完成"
            item = Item(
                unit=str(a.unit),
                task_number=a.task.number,
                task_title=a.task.title,
                label=ob.label,
                due=ob.due.isoformat(),
                state=label,
                overdue_workdays=workdays_between(ob.due, date_to) if overdue else 0,
                done_on=done_on.isoformat() if done_on else "",
            )
            figures.items.append(item)
            if overdue:
                row.overdue_items.append(dict(item.__dict__))
    units = list(rows.values())

    # Ranking: fewer overdue items, then a higher on-time rate, fewer returns, a higher completion
    # rate; units equal on all four share a rank (1, 1, 3), listed in the registry's order.
    def merit(u):
        return (
            u.overdue,
            -(u.on_time_rate if u.on_time_rate is not None else 100.0),
            u.returned_in_period,
            -(u.completion_rate if u.completion_rate is not None else 100.0),
        )

    units.sort(key=lambda u: (*merit(u), u.sort_order, u.unit_id))
    for unit, rank in zip(units, shared_ranks([merit(u) for u in units]), strict=True):
        unit.rank = rank
    figures.units = units
    for name in (
        "assignments", "dated", "completed", "completed_on_time", "red", "yellow", "green",
        "due_in_period", "on_time_in_period", "late_in_period", "returned_in_period",
    ):  # fmt: skip
        setattr(figures, name, sum(getattr(u, name) for u in units))
    from oversight.supervision.selectors import unit_records

    records = unit_records(date_from, date_to).values()
    order = {u.unit_id: u.rank for u in units}
    figures.supervision = [
        asdict(r)
        for r in sorted(records, key=lambda r: (order.get(r.unit_id, 10**6), r.unit))
        if not r.empty
    ]
    return figures


def shared_ranks(keys: list) -> list[int]:
    """Ranks of items already sorted by `keys`: equal keys share a rank and the next rank skips
    (1, 1, 3), as official rankings count them."""
    ranks: list[int] = []
    for position, key in enumerate(keys, start=1):
        ranks.append(ranks[-1] if ranks and key == keys[position - 2] else position)
    return ranks
