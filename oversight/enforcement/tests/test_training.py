"""Training hours against the rule: categories, organisers, years; rotation; plan filing; report."""

import datetime
from decimal import Decimal

import pytest

from oversight.enforcement import services
from oversight.enforcement.models import Attendance, Course
from oversight.enforcement.selectors import hours_by_officer, training_compliance

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive


def course(unit, category, hours, start, title=None):
    return Course.objects.create(
        title=title or f"{category}{start}",
        category=category,
        unit=unit,
        start_date=start,
        end_date=start,
        hours=hours,
    )


@pytest.fixture
def scenario(actors, officer_factory):
    """Officer 1: 20 h public law by the bureau + 40 h business/skills in 2026 (compliant).
    Officer 2: 20 h public law organised by its own unit (counts as its own training) + 40 h
    business: total 60 but public 0 (not compliant). Officer 3: 60 h, 10 of them political (not
    counted) and 20 h in 2025 (another year)."""
    o1, o2, o3 = officer_factory(name="甲"), officer_factory(name="乙"), officer_factory(name="丙")
    bureau, unit = actors.bureau, actors.unit_a
    law = course(bureau, "public_law", 20, datetime.date(2026, 5, 10))
    own_law = course(unit, "public_law", 20, datetime.date(2026, 5, 12))
    business = course(unit, "business", 25, datetime.date(2026, 6, 1))
    skills = course(unit, "skills", 15, datetime.date(2026, 12, 1))
    political = course(unit, "political", 10, datetime.date(2026, 7, 1))
    last_year = course(unit, "business", 20, datetime.date(2025, 6, 1))
    for c, people in (
        (law, [o1, o3]),
        (own_law, [o2]),
        (business, [o1, o2, o3]),
        (skills, [o1, o2]),
        (political, [o3]),
        (last_year, [o3]),
    ):
        for o in people:
            Attendance.objects.create(course=c, officer=o, hours=c.hours)
    return o1, o2, o3


@pytest.mark.django_db
class TestHours:
    def test_hours_by_kind(self, scenario):
        o1, o2, o3 = scenario
        hours = hours_by_officer(2026, scenario)
        assert (hours[o1.pk].public, hours[o1.pk].business, hours[o1.pk].counted) == (20, 40, 60)
        assert (hours[o2.pk].public, hours[o2.pk].business) == (0, 60)
        assert (
            hours[o3.pk].public,
            hours[o3.pk].business,
            hours[o3.pk].political,
            hours[o3.pk].counted,
        ) == (20, 25, 10, 45)

    def test_compliance(self, scenario):
        hours = hours_by_officer(2026, scenario)
        assert [hours[o.pk].compliant() for o in scenario] == [True, False, False]

    def test_rotation_by_the_fifteenth_of_november(self, scenario):
        hours = hours_by_officer(2026, scenario)
        assert all(hours[o.pk].rotated for o in scenario)  # everyone had a counted course by then
        assert not hours_by_officer(2025, scenario)[scenario[0].pk].rotated

    def test_rule_is_editable(self, scenario, actors):
        from oversight.core.rules import rule_set

        rule_set(key="enforcement.training_public_hours", value=0)
        hours = hours_by_officer(2026, scenario)
        assert hours[scenario[1].pk].compliant()

    def test_unit_figures(self, scenario, actors):
        [unit] = training_compliance(user=actors.supervisor, year=2026)
        assert (unit.officers, unit.compliant, unit.rate, unit.plan_filed) == (3, 1, 33.3, False)
        services.training_plan_file(
            unit=actors.unit_a,
            year=2026,
            content="全年安排公共法律知识与业务培训共 60 学时。",
            planned_hours=60,
            user=actors.reporter_a,
        )
        assert training_compliance(user=actors.supervisor, year=2026)[0].plan_filed


@pytest.mark.django_db
class TestAttendance:
    def test_unit_records_only_its_officers(self, actors, officer_factory):
        from django.core.exceptions import PermissionDenied

        mine, other = officer_factory(), officer_factory(unit=actors.unit_b)
        c = course(actors.bureau, "public_law", 8, datetime.date(2026, 3, 1))
        assert services.attendance_set(course=c, officers=[mine], user=actors.reporter_a) == 1
        with pytest.raises(PermissionDenied):
            services.attendance_set(course=c, officers=[other], user=actors.reporter_a)

    def test_hours_cannot_exceed_the_course(self, actors, officer_factory):
        from django.core.exceptions import ValidationError

        c = course(actors.bureau, "public_law", 8, datetime.date(2026, 3, 1))
        with pytest.raises(ValidationError):
            services.attendance_set(
                course=c, officers=[officer_factory()], hours=Decimal(9), user=actors.supervisor
            )


@pytest.mark.django_db
def test_training_report_command(scenario, tmp_path):
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    call_command("training_report", "--year", "2026", "--out", str(out))
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["各单位", "人员学时", "培训计划", "说明"]
    rows = list(wb["人员学时"].iter_rows(values_only=True))[1:]
    assert sorted((r[1], r[7]) for r in rows) == [("丙", "否"), ("乙", "否"), ("甲", "是")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rules",
    [
        {},
        {"enforcement.training_public_hours": 0},
        {"enforcement.training_total_hours": 45},
    ],
)
def test_the_home_figure_counts_what_the_training_page_counts(
    scenario, actors, rules, officer_factory
):
    """The home page and the cockpit count in SQL; the training page officer by officer: they
    must agree."""
    from oversight.core.rules import rule_set
    from oversight.enforcement.selectors import training_by_unit, training_counts

    officer_factory(unit=actors.unit_b)  # a second unit, with no hours
    for key, value in rules.items():
        rule_set(key=key, value=value, user=actors.sysadmin)
    units = training_compliance(user=actors.supervisor, year=2026)
    assert len(units) == 2 and sum(u.compliant for u in units) > 0
    assert training_counts(user=actors.supervisor, year=2026) == (
        sum(u.officers for u in units),
        sum(u.compliant for u in units),
    )
    assert training_by_unit(user=actors.supervisor, year=2026) == [
        (u.unit.pk, str(u.unit), u.officers, u.compliant) for u in units
    ]
    assert training_by_unit(user=actors.reporter_b, year=2026) == [
        (u.unit.pk, str(u.unit), u.officers, u.compliant)
        for u in training_compliance(user=actors.reporter_b, year=2026)
    ]
    assert training_counts(user=actors.reporter_b, year=2026) == (1, 0)


@pytest.mark.django_db
def test_the_cockpit_shows_each_units_training_rate(scenario, actors, officer_factory):
    """The leader's cockpit: the lowest rates first, and the district's rate over all officers."""
    from oversight.bulletins.cockpit import cockpit

    officer_factory(unit=actors.unit_b)
    view = cockpit(user=actors.leader, today=datetime.date(2026, 12, 20))
    units = training_compliance(user=actors.leader, year=2026)
    assert view.training == [
        (u.unit.pk, str(u.unit), u.rate, u.officers) for u in sorted(units, key=lambda u: u.rate)
    ]
    assert [row[2] for row in view.training] == [0.0, round(100 / 3, 1)]
    assert view.training_rate == 25.0  # one of four officers
