"""The leaders' overview (驾驶舱): one screen of the district's figures, each leading to its records.

Read-only and district-wide for the roles that see the whole district (区领导, 监督机构); every
figure is counted from the records the linked page lists, nothing is estimated.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from oversight.cases.selectors import lit_cases_by_unit
from oversight.enforcement.selectors import training_by_unit
from oversight.supervision.models import Clue, Document, Matter
from oversight.supervision.selectors import light_counts
from oversight.workplans.lights import Light, states
from oversight.workplans.models import Assignment, Plan
from oversight.workplans.selectors import assignment_rows, overdue_items, with_history

from .figures import end_of

TREND_MONTHS = 6
LIGHT_NAMES = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


@dataclass
class UnitLights:
    unit_id: int
    name: str
    red: int = 0
    yellow: int = 0
    green: int = 0


@dataclass
class Cockpit:
    plan: Plan | None
    today: datetime.date
    lights: dict[str, int] = field(default_factory=dict)
    by_unit: list[UnitLights] = field(default_factory=list)
    trend: list[tuple[str, int, int, int]] = field(default_factory=list)  # (month, r, y, g)
    overdue: list = field(default_factory=list)  # the reddest assignments, most overdue first
    overdue_total: int = 0
    cases: list[tuple[int, str, int, int]] = field(
        default_factory=list
    )  # (unit, name, red, yellow)
    cases_red: int = 0
    training: list[tuple[int, str, float | None, int]] = field(default_factory=list)
    training_rate: float | None = None
    clues: dict[str, int] = field(default_factory=dict)
    open_matters: int = 0
    documents_waiting: int = 0


def current_plan(user) -> Plan | None:
    """The plan the overview is about: the latest issued one the user may read."""
    return (
        Plan.objects.restrict(user, "view")
        .filter(status=Plan.Status.ISSUED)
        .order_by("-issued_at", "-pk")
        .first()
    )


def _month_ends(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    ends = []
    year, month = today.year, today.month
    for _ in range(TREND_MONTHS):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if end < start:
            break
        ends.append(end)
    return [*reversed(ends), today]


def _trend(plan: Plan, today: datetime.date) -> list[tuple[str, int, int, int]]:
    """Lights as they stood at each recent month's end (and today), rebuilt from the records'
    history the way a bulletin counts them (figures.compute): the history is read once and
    replayed for each date; the result is kept for the day."""
    key = f"cockpit-trend:{plan.pk}:{today.isoformat()}"
    rows = cache.get(key)
    if rows is not None:
        return rows
    issued = timezone.localdate(plan.issued_at) if plan.issued_at else today
    ends = _month_ends(issued, today)
    assignments = with_history(
        Assignment.objects.filter(plan=plan, issued_at__lte=end_of(today)).order_by("pk")
    )
    rows = []
    for end in ends:
        at = end_of(end)
        counts = {Light.RED: 0, Light.YELLOW: 0, Light.GREEN: 0}
        issued_by_then = [a for a in assignments if a.issued_at and a.issued_at <= at]
        for state in states(issued_by_then, end, at=at):
            if state.snapshot.status != Assignment.Status.HANDED_BACK:
                counts[state.light] += 1
        label = "今天" if end == today else f"{end.month}月末"
        rows.append((label, counts[Light.RED], counts[Light.YELLOW], counts[Light.GREEN]))
    cache.set(key, rows, 3600)
    return rows


def cockpit(*, user, today: datetime.date | None = None, plan: Plan | None = None) -> Cockpit:
    today = today or timezone.localdate()
    plan = plan or current_plan(user)
    view = Cockpit(plan=plan, today=today)
    if plan is not None:
        qs = assignment_rows(user=user, plan=plan, today=today)
        units: dict[int, UnitLights] = {}
        for unit_id, name, light, count in (
            qs.order_by()
            .values_list("unit_id", "unit__short_name", "light")
            .annotate(n=Count("pk"))
        ):
            row = units.setdefault(unit_id, UnitLights(unit_id, name))
            code = Light(light).code
            setattr(row, code, getattr(row, code) + count)
        view.lights = {name: sum(getattr(u, name) for u in units.values()) for name in LIGHT_NAMES}
        view.by_unit = sorted(units.values(), key=lambda u: (-u.red, -u.yellow, u.name))
        red = qs.filter(light=Light.RED).order_by(F("next_due_on").asc(nulls_last=True), "pk")
        # Plain rows of the columns shown, not ten assignments made with their tasks and plans.
        view.overdue = overdue_items(red, today, limit=10)
        view.overdue_total = view.lights["red"]
        view.trend = _trend(plan, today)
    view.cases_red, view.cases = lit_cases_by_unit(user=user, limit=15)
    units_training = training_by_unit(user=user, year=today.year)
    view.training = sorted(
        (
            (unit_id, name, round(100 * met / officers, 1), officers)
            for unit_id, name, officers, met in units_training
        ),
        key=lambda row: (row[2], row[1]),
    )[:15]
    officers = sum(row[2] for row in units_training)
    view.training_rate = (
        round(100 * sum(row[3] for row in units_training) / officers, 1) if officers else None
    )
    open_clues = Clue.objects.restrict(user, "view").exclude(
        status__in=[Clue.Status.CLOSED, Clue.Status.REFUSED, Clue.Status.MERGED]
    )
    clues = light_counts(open_clues, today)
    view.clues = {"open": clues.pop("total"), **clues}
    view.open_matters = Matter.objects.restrict(user, "view").filter(status="open").count()
    view.documents_waiting = (
        Document.objects.restrict(user, "view").filter(status=Document.Status.ISSUED).count()
    )
    return view


def charts(view: Cockpit) -> list[tuple[str, dict, dict, int]]:
    """(title, ECharts option, {clicked name → page of its records}, height) for the template."""
    ledger = reverse("workplans:assignment_list")
    plan_query = f"plan={view.plan.pk}&" if view.plan else ""
    found = []
    if view.by_unit:
        units = view.by_unit[:20]
        links = {}
        for u in units:
            links[u.name] = f"{ledger}?{plan_query}unit={u.unit_id}"
            for key, label in LIGHT_NAMES.items():
                links[f"{label}|{u.name}"] = f"{ledger}?{plan_query}unit={u.unit_id}&light={key}"
        found.append(
            (
                "各单位任务亮灯",
                {
                    "tooltip": {"trigger": "axis"},
                    "legend": {"data": list(LIGHT_NAMES.values())},
                    "grid": {"left": 110, "right": 20, "top": 30, "bottom": 20},
                    "xAxis": {"type": "value", "minInterval": 1},
                    "yAxis": {"type": "category", "inverse": True, "data": [u.name for u in units]},
                    "series": [
                        {
                            "name": label,
                            "type": "bar",
                            "stack": "lights",
                            "color": color,
                            "data": [getattr(u, key) for u in units],
                        }
                        for (key, label), color in zip(
                            LIGHT_NAMES.items(), ("#dc3545", "#ffc107", "#198754"), strict=True
                        )
                    ],
                },
                links,
                max(260, 22 * len(units) + 60),
            )
        )
    if view.trend:
        labels = [row[0] for row in view.trend]
        found.append(
            (
                "亮灯走势(各月末)",
                {
                    "tooltip": {"trigger": "axis"},
                    "legend": {"data": ["红灯", "黄灯"]},
                    "grid": {"left": 40, "right": 20, "top": 30, "bottom": 30},
                    "xAxis": {"type": "category", "data": labels},
                    "yAxis": {"type": "value", "minInterval": 1},
                    "series": [
                        {
                            "name": "红灯",
                            "type": "line",
                            "color": "#dc3545",
                            "data": [row[1] for row in view.trend],
                        },
                        {
                            "name": "黄灯",
                            "type": "line",
                            "color": "#ffc107",
                            "data": [row[2] for row in view.trend],
                        },
                    ],
                },
                {label: reverse("bulletins:bulletin_list") for label in labels[:-1]}
                | {labels[-1]: f"{ledger}?{plan_query}light=red"},
                260,
            )
        )
    if view.cases:
        cases_url = reverse("cases:case_list")
        links = {}
        for unit_id, name, _, _ in view.cases:
            links[name] = f"{cases_url}?unit={unit_id}&light=red"
            links[f"有违规|{name}"] = f"{cases_url}?unit={unit_id}&light=red"
            links[f"需关注|{name}"] = f"{cases_url}?unit={unit_id}&light=yellow"
        found.append(
            (
                "执法案件亮灯(按单位)",
                {
                    "tooltip": {"trigger": "axis"},
                    "legend": {"data": ["有违规", "需关注"]},
                    "grid": {"left": 110, "right": 20, "top": 30, "bottom": 20},
                    "xAxis": {"type": "value", "minInterval": 1},
                    "yAxis": {
                        "type": "category",
                        "inverse": True,
                        "data": [row[1] for row in view.cases],
                    },
                    "series": [
                        {
                            "name": "有违规",
                            "type": "bar",
                            "stack": "c",
                            "color": "#dc3545",
                            "data": [row[2] for row in view.cases],
                        },
                        {
                            "name": "需关注",
                            "type": "bar",
                            "stack": "c",
                            "color": "#ffc107",
                            "data": [row[3] for row in view.cases],
                        },
                    ],
                },
                links,
                max(220, 22 * len(view.cases) + 60),
            )
        )
    if view.training:
        training_url = f"{reverse('enforcement:training')}?year={view.today.year}"
        found.append(
            (
                f"{view.today.year}年培训学时达标率(由低到高)",
                {
                    "tooltip": {"trigger": "axis"},
                    "grid": {"left": 110, "right": 30, "top": 20, "bottom": 20},
                    "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
                    "yAxis": {
                        "type": "category",
                        "inverse": True,
                        "data": [row[1] for row in view.training],
                    },
                    "series": [
                        {
                            "name": "达标率",
                            "type": "bar",
                            "color": "#1f4e8c",
                            "data": [row[2] or 0 for row in view.training],
                        }
                    ],
                },
                {row[1]: training_url for row in view.training},
                max(220, 22 * len(view.training) + 40),
            )
        )
    return found
