"""Special supervisors and contact points: term, activity, assessment, dismissal; clues they bring."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.core.calendar import calendar_seed_from_package
from oversight.core.context import acting_as_system
from oversight.core.roles import Role
from oversight.core.testing.fixtures import make_user
from oversight.supervision import services
from oversight.supervision.models import Clue, SpecialSupervisor

TODAY = datetime.date(2026, 9, 21)


@pytest.fixture(autouse=True)
def pinned(db):
    with acting_as_system("test"):
        calendar_seed_from_package()
    with time_machine.travel(datetime.datetime(2026, 9, 21, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def member(actors):
    account = make_user("tejian", Role.SPECIAL_SUPERVISOR)
    person = services.special_supervisor_save(
        supervisor=None,
        data={
            "name": "刘某",
            "user": account,
            "organisation": "某律师事务所",
            "phone": "13907140200",
            "appointed_on": datetime.date(2024, 2, 29),
        },
        user=actors.supervisor,
    )
    return person


def test_appointment_runs_five_years_and_keeps_the_phone_encrypted(member):
    assert member.term_end == datetime.date(2029, 2, 28)
    assert member.phone_masked == "139****0200" and "13907140200" not in member.phone_cipher


def test_an_account_without_the_role_cannot_be_bound(actors):
    with pytest.raises(ValidationError, match="没有“特邀监督员”角色"):
        services.special_supervisor_save(
            supervisor=None,
            data={"name": "王某", "user": actors.reporter_a, "organisation": "某企业", "appointed_on": TODAY},
            user=actors.supervisor,
        )  # fmt: skip


def test_the_supervisor_reports_a_clue_and_sees_only_their_own(client, actors, member):
    client.force_login(member.user)
    response = client.post(
        reverse("supervision:supervisor_clues"),
        {"unit": actors.unit_a.pk, "matter": "市场监管执法人员检查某超市时未出示证件。"},
        follow=True,
    )
    clue = Clue.objects.get()
    assert clue.source == "special_supervisor" and clue.special_supervisor == member
    assert member.activities.get().clue == clue
    page = response.content.decode()
    assert clue.number in page and "已收到,正在研判" in page
    other = services.clue_register(
        data={"source": "letter", "received_on": TODAY, "matter": "别人的线索内容。"},
        user=actors.supervisor,
    )
    assert other.number not in client.get(reverse("supervision:supervisor_clues")).content.decode()
    # The clue pages themselves stay the bureau's and the units'.
    assert client.get(clue.get_absolute_url()).status_code == 403


def test_a_dismissed_supervisor_can_no_longer_report(actors, member):
    services.special_supervisor_dismiss(
        supervisor=member, reason="本人申请", user=actors.supervisor
    )
    with pytest.raises(PermissionDenied):
        services.clue_submit_by_supervisor(
            data={"matter": "反映的问题内容内容。"}, user=member.user
        )


def test_terms_end_by_the_daily_job(actors, member):
    assert services.expire_terms(datetime.date(2029, 3, 1)) == 1
    member.refresh_from_db()
    assert member.status == SpecialSupervisor.Status.EXPIRED


def test_assessment_once_a_year_and_within_the_term(actors, member):
    services.supervisor_assess(
        supervisor=member, year=2025, result="competent", user=actors.supervisor
    )
    services.supervisor_assess(
        supervisor=member, year=2025, result="excellent", user=actors.supervisor
    )
    assert member.assessments.get().result == "excellent"
    with pytest.raises(ValidationError, match="考核年度"):
        services.supervisor_assess(
            supervisor=member, year=2023, result="competent", user=actors.supervisor
        )


def test_a_clue_from_a_contact_point_names_it(actors):
    with pytest.raises(ValidationError, match="请选择联系点"):
        services.clue_register(
            data={"source": "contact_point", "received_on": TODAY, "matter": "企业反映的问题。"},
            user=actors.supervisor,
        )
    point = services.contact_point_save(
        point=None,
        data={"name": "区工商联", "kind": "federation", "liaison": "周某", "established_on": TODAY},
        user=actors.supervisor,
    )
    clue = services.clue_register(
        data={"source": "contact_point", "contact_point": point, "received_on": TODAY, "matter": "企业反映的问题。"},
        user=actors.supervisor,
    )  # fmt: skip
    assert list(point.clues.all()) == [clue]


def test_the_supervisors_home_shows_their_clues_and_the_bureaus_shows_its_queue(
    client, actors, member
):
    clue = services.clue_submit_by_supervisor(
        data={"matter": "执法人员检查时未出示证件。"}, user=member.user
    )
    client.force_login(member.user)
    home = client.get(reverse("core:home")).content.decode()
    assert "我反映的问题" in home and clue.number in home
    client.force_login(actors.supervisor)
    home = client.get(reverse("core:home")).content.decode()
    assert "行政执法监督" in home and "待研判线索" in home
    client.force_login(actors.reporter_a)
    assert "待研判线索" not in client.get(reverse("core:home")).content.decode()


def test_problem_types_are_data_the_bureau_keeps(client, actors):
    from oversight.supervision.models import ProblemType

    client.force_login(actors.supervisor)
    response = client.post(
        reverse("supervision:problem_type_add"),
        {"name": "选择性执法", "code": "selective", "sort_order": 200, "is_active": "on"},
        follow=True,
    )
    assert ProblemType.objects.filter(name="选择性执法").exists()
    assert "选择性执法" in response.content.decode()
    response = client.post(
        reverse("supervision:problem_type_add"),
        {"name": "选择性执法", "code": "other_code", "sort_order": 210},
    )
    assert "已存在" in response.content.decode()
    client.force_login(actors.reporter_a)
    assert client.get(reverse("supervision:problem_type_list")).status_code == 403
