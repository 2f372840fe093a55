"""Lights across holidays and make-up working days; standing periods; the worst light wins."""

import datetime as dt

import pytest
from django.utils import timezone

from oversight.workplans import services
from oversight.workplans.lights import Light, assignment_light, obligations, periods, task_light
from oversight.workplans.models import Assignment, Plan
from oversight.workplans.selectors import _with_related

from .conftest import make_task

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive


def fresh(assignment):
    return _with_related(Assignment.objects.filter(pk=assignment.pk)).get()


@pytest.fixture
def dated(actors, calendar):
    """A task due Friday 9 October 2026, issued and signed on 1 September."""
    plan = Plan.objects.create(title="国庆前后", status=Plan.Status.ISSUED)
    task = make_task(plan, "1", units=[(actors.unit_a, True)], due=dt.date(2026, 10, 9))
    issued = timezone.make_aware(dt.datetime(2026, 9, 1, 9))
    return Assignment.objects.create(
        task=task,
        unit=actors.unit_a,
        is_lead=True,
        issued_at=issued,
        sign_due=dt.date(2026, 9, 4),
        due_date=dt.date(2026, 10, 9),
        status="signed",
        signed_at=issued,
    )


def light_on(assignment, day):
    return assignment_light(fresh(assignment), day)


@pytest.mark.django_db
class TestDatedAcrossNationalDay:
    def test_nine_calendar_days_before_is_yellow_because_of_the_holiday(self, dated):
        # 30 Sep → 9 Oct: only 8 and 9 October are working days (1–7 October is the holiday).
        assert light_on(dated, dt.date(2026, 9, 30)) == Light.YELLOW

    def test_further_ahead_is_green(self, dated):
        assert light_on(dated, dt.date(2026, 9, 24)) == Light.GREEN

    def test_on_the_day_is_yellow_and_after_is_red(self, dated):
        assert light_on(dated, dt.date(2026, 10, 9)) == Light.YELLOW
        assert light_on(dated, dt.date(2026, 10, 10)) == Light.RED

    def test_completion_pending_is_yellow_not_red(self, dated, actors):
        services.completion_request(assignment=dated, note="已完成", user=actors.reporter_a)
        assert light_on(dated, dt.date(2026, 10, 12)) == Light.YELLOW

    def test_completed_is_green(self, dated, actors):
        services.completion_request(assignment=dated, note="已完成", user=actors.reporter_a)
        services.completion_confirm(assignment=dated, approve=True, user=actors.supervisor)
        assert light_on(dated, dt.date(2026, 12, 1)) == Light.GREEN


@pytest.mark.django_db
class TestSignFor:
    """Issued Friday 25 September 2026, to be signed within 3 working days: 9-28, 9-29, 9-30."""

    @pytest.fixture
    def unsigned(self, dated):
        dated.status, dated.signed_at = "issued", None
        dated.issued_at = timezone.make_aware(dt.datetime(2026, 9, 25, 9))
        dated.sign_due = dt.date(2026, 9, 30)
        dated.due_date = dt.date(2026, 12, 31)  # the task itself is far off
        dated.save()
        return dated

    def test_a_freshly_issued_assignment_is_green(self, unsigned):
        assert light_on(unsigned, dt.date(2026, 9, 25)) == Light.GREEN
        assert light_on(unsigned, dt.date(2026, 9, 29)) == Light.GREEN

    def test_the_last_day_to_sign_is_yellow_and_the_next_working_day_red(self, unsigned):
        assert light_on(unsigned, dt.date(2026, 9, 30)) == Light.YELLOW
        assert light_on(unsigned, dt.date(2026, 10, 8)) == Light.RED

    def test_the_warning_is_a_rule(self, unsigned):
        from oversight.core.rules import rule_set

        rule_set(key="workplans.sign_yellow_workdays", value=3, note="测试")
        assert light_on(unsigned, dt.date(2026, 9, 25)) == Light.YELLOW


@pytest.mark.django_db
class TestMakeUpWorkingDay:
    def test_saturday_make_up_day_counts(self, actors, calendar, dated):
        # Friday 9 Oct → Monday 12 Oct: Saturday 10 Oct is a make-up working day, so the deadline is
        # two working days away (yellow); with three days' warning it would be yellow either way, so
        # check the count through the rule's edge.
        from oversight.core.calendar import workdays_between
        from oversight.core.rules import rule_set

        assert workdays_between(dt.date(2026, 10, 9), dt.date(2026, 10, 12)) == 2
        dated.due_date = dt.date(2026, 10, 12)
        dated.save()
        rule_set(key="workplans.yellow_workdays", value=1)
        assert light_on(dated, dt.date(2026, 10, 9)) == Light.GREEN  # 2 working days > 1
        assert light_on(dated, dt.date(2026, 10, 10)) == Light.YELLOW  # the make-up Saturday


@pytest.mark.django_db
class TestStanding:
    @pytest.fixture
    def standing(self, actors, calendar):
        plan = Plan.objects.create(title="长期", status=Plan.Status.ISSUED)
        task = make_task(plan, "2", units=[(actors.unit_a, False)], standing=True)
        issued = timezone.make_aware(dt.datetime(2026, 8, 19, 9))
        return Assignment.objects.create(
            task=task,
            unit=actors.unit_a,
            issued_at=issued,
            sign_due=dt.date(2026, 8, 24),
            status="signed",
            signed_at=issued,
        )

    def test_quarterly_periods_from_issuing(self):
        assert periods("quarterly", dt.date(2026, 8, 19), dt.date(2026, 11, 27)) == [
            (dt.date(2026, 8, 19), dt.date(2026, 9, 30)),
            (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ]

    def test_period_report_due_five_working_days_after_the_quarter(self, standing):
        q3 = next(
            ob
            for ob in obligations(fresh(standing), dt.date(2026, 11, 27))
            if ob.kind == "periodic"
        )
        # 30 Sep + 5 working days, skipping the National Day holiday and counting Saturday 10 Oct.
        assert q3.due == dt.date(2026, 10, 13)

    def test_missing_report_is_red_then_accepted_report_closes_the_period(self, standing, actors):
        assert light_on(standing, dt.date(2026, 11, 27)) == Light.RED
        q3 = next(
            ob
            for ob in obligations(fresh(standing), dt.date(2026, 11, 27))
            if ob.kind == "periodic"
        )
        report = services.report_save(
            assignment=standing,
            kind="periodic",
            due_date=q3.due,
            data={"done_text": "完成", "self_status": "on_track"},
            user=actors.reporter_a,
            period=(q3.period_start, q3.period_end),
        )
        services.report_submit(report=report, user=actors.reporter_a)
        assert light_on(standing, dt.date(2026, 11, 27)) == Light.YELLOW  # waiting for review
        services.report_accept(report=report, user=actors.supervisor)
        assert light_on(standing, dt.date(2026, 11, 27)) == Light.GREEN

    def test_self_reported_risk_is_yellow(self, standing, actors):
        q3 = next(
            ob
            for ob in obligations(fresh(standing), dt.date(2026, 11, 27))
            if ob.kind == "periodic"
        )
        report = services.report_save(
            assignment=standing,
            kind="periodic",
            due_date=q3.due,
            data={"done_text": "进展缓慢", "self_status": "at_risk"},
            user=actors.reporter_a,
            period=(q3.period_start, q3.period_end),
        )
        services.report_submit(report=report, user=actors.reporter_a)
        services.report_accept(report=report, user=actors.supervisor)
        assert light_on(standing, dt.date(2026, 11, 27)) == Light.YELLOW

    def test_monthly_cadence_per_task(self, standing):
        standing.task.report_cadence = "monthly"
        standing.task.save()
        kinds = [
            ob
            for ob in obligations(fresh(standing), dt.date(2026, 11, 27))
            if ob.kind == "periodic"
        ]
        assert [ob.period_end for ob in kinds] == [
            dt.date(2026, 8, 31),
            dt.date(2026, 9, 30),
            dt.date(2026, 10, 31),
            dt.date(2026, 11, 30),
        ]


@pytest.mark.django_db
def test_unsigned_past_the_sign_deadline_is_red(dated):
    Assignment.objects.filter(pk=dated.pk).update(status="issued", signed_at=None)
    assert light_on(dated, dt.date(2026, 9, 7)) == Light.RED


def test_task_light_is_the_worst():
    assert task_light([Light.GREEN, Light.RED, Light.YELLOW]) == Light.RED
    assert task_light([Light.GREEN, Light.YELLOW]) == Light.YELLOW
    assert task_light([]) == Light.GREEN
