"""Stored lights agree with lights computed from scratch: after every event, on every day.

A plan is played day by day from 1 September 2026 to 31 January 2027 (National Day, a make-up
Sunday, a year's end), with signing, a unit that never signs, milestone and periodic reports
(accepted, returned, resubmitted, one saying 存在风险), an extension, completion, a hand-back, a
rule change and a calendar change. Each morning, before the scheduler runs, every light the
scheduler would not touch (its `light_next_on` not yet come) must already equal what `decide`
computes for that day; after the scheduler's run and after every event, every light must.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from oversight.core.calendar import calendar_day_set
from oversight.core.rules import rule_set
from oversight.workplans import services
from oversight.workplans.lights import Light, decide
from oversight.workplans.models import Assignment, Extension, Plan, Report
from oversight.workplans.selectors import assignment_rows, dashboard, with_light_data
from oversight.workplans.services.lights import lights_due, stale_q

from .conftest import make_task

COMPARED = ("light", "next_due_on", "next_due_label", "obligations_due", "obligations_on_time")
START, END = dt.date(2026, 9, 1), dt.date(2027, 1, 31)


def _differences(day: dt.date, *, only_fresh: bool) -> list[str]:
    qs = Assignment.objects.exclude(status=Assignment.Status.HANDED_BACK)
    if only_fresh:
        qs = qs.exclude(stale_q(day))
    found = []
    for a in with_light_data(qs):
        decision = decide(a, day)
        for name in COMPARED:
            if getattr(a, name) != getattr(decision, name):
                found.append(
                    f"{day} {a}: {name} stored {getattr(a, name)!r}, "
                    f"decided {getattr(decision, name)!r}"
                )
    return found


def _at(day: dt.date, hour: int = 9):
    return time_machine.travel(
        timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), tick=False
    )


@pytest.fixture
def played(actors, calendar):
    with _at(START, 8):
        from oversight.workplans.notify import ensure_default_rules

        ensure_default_rules()
        plan = Plan.objects.create(title="亮灯一致性", year=2026)
        make_task(
            plan,
            "1",
            units=[(actors.unit_a, True), (actors.unit_b, False)],
            due=dt.date(2026, 10, 9),
            milestones=[(dt.date(2026, 9, 20), "报送方案")],
            order=1,
        )
        standing = make_task(plan, "2", units=[(actors.unit_a, False)], standing=True, order=2)
        standing.report_cadence = "monthly"
        standing.save()
        make_task(plan, "3", units=[(actors.unit_b, True)], due=dt.date(2026, 11, 30), order=3)
        make_task(plan, "4", units=[(actors.unit_a, True)], due=dt.date(2027, 1, 15), order=4)
        services.plan_issue(plan=plan, user=actors.supervisor)
    return plan


def _assignment(plan, number, unit) -> Assignment:
    return Assignment.objects.get(task__plan=plan, task__number=number, unit=unit)


def _report(plan, actors, number, kind, due, *, status="on_track", period=None, user=None):
    user = user or actors.reporter_a
    a = _assignment(plan, number, user.primary_unit)
    report = services.report_save(
        assignment=a,
        kind=kind,
        due_date=due,
        data={"done_text": "按计划推进", "self_status": status},
        period=period,
        milestone_id=a.task.milestones.first().pk if kind == "milestone" else None,
        user=user,
    )
    return services.report_submit(report=report, user=user)


def _events(plan, actors):
    """What happens on each day, in the users' own steps."""
    a, b, sup = actors.reporter_a, actors.reporter_b, actors.supervisor

    def sign(number, user):
        services.assignment_sign(assignment=_assignment(plan, number, user.primary_unit), user=user)

    def accept(number, kind, unit):
        report = Report.objects.get(
            assignment=_assignment(plan, number, unit), kind=kind, status="submitted"
        )
        services.report_accept(report=report, user=sup)

    def give_back(number, kind, unit):
        report = Report.objects.get(
            assignment=_assignment(plan, number, unit), kind=kind, status="submitted"
        )
        services.report_return(report=report, comment="请补充佐证材料", user=sup)

    september = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    return {
        dt.date(2026, 9, 2): [lambda: sign("1", a), lambda: sign("2", a), lambda: sign("3", b)],
        dt.date(2026, 9, 14): [lambda: sign("4", a)],
        dt.date(2026, 9, 18): [
            lambda: _report(plan, actors, "1", "milestone", dt.date(2026, 9, 20))
        ],
        dt.date(2026, 9, 22): [lambda: accept("1", "milestone", actors.unit_a)],
        dt.date(2026, 10, 8): [
            lambda: services.extension_request(
                assignment=_assignment(plan, "1", actors.unit_a),
                new_date=dt.date(2026, 10, 30),
                reason="需协调多个部门",
                user=a,
            )
        ],
        dt.date(2026, 10, 9): [
            lambda: services.extension_decide(
                extension=Extension.objects.get(status="pending"), approve=True, user=sup
            ),
            lambda: _report(
                plan,
                actors,
                "2",
                "periodic",
                dt.date(2026, 10, 15),
                status="at_risk",
                period=september,
            ),
        ],
        dt.date(2026, 10, 13): [lambda: give_back("2", "periodic", actors.unit_a)],
        dt.date(2026, 10, 19): [
            lambda: services.report_submit(
                report=Report.objects.get(status="returned"), user=actors.reporter_a
            )
        ],
        dt.date(2026, 10, 20): [
            lambda: accept("2", "periodic", actors.unit_a),
            lambda: rule_set(key="workplans.yellow_workdays", value=5, user=actors.supervisor),
        ],
        dt.date(2026, 10, 28): [
            lambda: services.completion_request(
                assignment=_assignment(plan, "1", actors.unit_a), note="已全部完成", user=a
            )
        ],
        dt.date(2026, 11, 2): [
            lambda: calendar_day_set(
                day=dt.date(2026, 11, 27), is_workday=False, name="调休", user=actors.sysadmin
            )
        ],
        dt.date(2026, 11, 4): [
            lambda: services.completion_confirm(
                assignment=_assignment(plan, "1", actors.unit_a), approve=True, user=sup
            )
        ],
        dt.date(2026, 11, 16): [
            lambda: services.assignment_hand_back_request(
                assignment=_assignment(plan, "3", actors.unit_b), reason="不属于本单位职责", user=b
            )
        ],
        dt.date(2026, 11, 18): [
            lambda: services.assignment_hand_back_decide(
                assignment=_assignment(plan, "3", actors.unit_b),
                approve=False,
                comment="属于贵单位职责",
                user=sup,
            )
        ],
    }


@pytest.mark.django_db
def test_stored_lights_match_a_fresh_decision_every_day(played, actors, settings):
    events = _events(played, actors)
    seen = set()
    day = START
    while day <= END:
        with _at(day, 7):
            # Before the scheduler: what it would not touch must already be right.
            assert _differences(day, only_fresh=True) == []
            lights_due(today=day)
            assert _differences(day, only_fresh=False) == []
        for step in events.get(day, []):
            with _at(day, 10):
                step()
                lights_due(today=day)  # after a rule or calendar change, as the job does
                assert _differences(day, only_fresh=False) == []
        seen |= set(Assignment.objects.values_list("light", flat=True))
        day += dt.timedelta(days=1)
    # The play went through every colour, so the comparison above compared something.
    assert seen == {Light.GREEN, Light.YELLOW, Light.RED}


@pytest.mark.django_db
def test_a_page_shows_todays_light_even_before_the_scheduler_runs(played, actors):
    """B never signed task 1: red from the day after its signing limit, on the ledger at once."""
    b_task1 = _assignment(played, "1", actors.unit_b)
    assert b_task1.light == Light.GREEN
    with _at(dt.date(2026, 9, 10)):
        rows = assignment_rows(user=actors.supervisor, plan=played, today=dt.date(2026, 9, 10))
        assert rows.get(pk=b_task1.pk).light == Light.RED
        board = dashboard(user=actors.supervisor, plan=played, today=dt.date(2026, 9, 10))
        assert board.lights["red"] >= 1
        assert b_task1.pk in {item.pk for item in board.overdue}
        # Each unit's assignments with a deadline (standing tasks never close): the plan has
        # both kinds, so counting the wrong ones would show.
        dated = {f.unit.pk: f.dated for f in board.units}
        expected = {
            unit: Assignment.objects.filter(plan=played, unit=unit, task__is_standing=False)
            .exclude(status=Assignment.Status.HANDED_BACK)
            .count()
            for unit in dated
        }
        assert dated == expected and sum(dated.values()) > 0
        assert Assignment.objects.filter(plan=played, task__is_standing=True).exists()


@pytest.mark.django_db
def test_a_rule_change_marks_every_light_for_a_new_decision(played, actors):
    with _at(dt.date(2026, 9, 3)):
        lights_due()
        assert not Assignment.objects.filter(light_on=None).exists()
        rule_set(key="workplans.yellow_workdays", value=10, user=actors.supervisor)
        assert not Assignment.objects.exclude(light_on=None).exists()
        # A rule of another app leaves the lights alone.
        lights_due()
        rule_set(key="cases.min_officers", value=3, user=actors.supervisor)
        assert not Assignment.objects.filter(light_on=None).exists()
