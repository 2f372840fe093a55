"""Officers: identity checks and encryption, masking, scoping; the public pages show no personal data."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.core.identifiers import credit_code_error, id_number_error
from oversight.core.models import AuditEntry
from oversight.enforcement import services
from oversight.enforcement.models import Officer

from .conftest import make_id

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive


class TestIdentifiers:
    def test_valid_id_number(self):
        assert id_number_error("11010519491231002X") is None
        assert id_number_error(make_id()) is None

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("110105194912310021", "校验位不正确"),
            ("11010519491231002", "应为 18 位"),
            ("11010519491331002X", "出生日期无效"),
            ("1101051949123100AX", "前 17 位应为数字"),
        ],
    )
    def test_invalid_id_numbers(self, value, message):
        assert message in id_number_error(value)

    def test_credit_code(self):
        assert credit_code_error("91350100M000100Y43") is None
        assert "校验位不正确" in credit_code_error("91350100M000100Y44")
        assert "无效字符" in credit_code_error("91350100M000100YI3")


@pytest.mark.django_db
class TestOfficerCreate:
    def test_id_number_is_encrypted_hashed_and_masked(self, actors, officer_factory):
        officer = officer_factory()
        raw = make_id(seq=1)
        assert raw not in officer.id_cipher and officer.id_hash != raw
        assert officer.id_masked == raw[:6] + "********" + raw[-4:]
        assert services.officer_identity(officer=officer, user=actors.supervisor) == raw

    def test_the_audit_log_never_holds_the_id_number(self, actors, officer_factory):
        officer = officer_factory()
        entry = AuditEntry.objects.get(object_id=str(officer.pk), action="create")
        text = str(entry.data_after)
        assert make_id(seq=1) not in text and "id_cipher" not in text and "13800000001" not in text

    def test_duplicate_id_number_is_refused_without_naming_the_officer(
        self, actors, officer_factory
    ):
        existing = officer_factory()
        with pytest.raises(ValidationError, match="已登记为执法人员") as caught:
            services.officer_create(
                data={"unit": actors.unit_b, "name": "重复"}, id_number=make_id(seq=1)
            )
        assert existing.name not in str(caught.value)
        assert str(existing.unit) not in str(caught.value)
        assert "区司法局" in str(caught.value)

    def test_invalid_id_number_is_a_field_error(self, actors):
        with pytest.raises(ValidationError) as caught:
            services.officer_create(
                data={"unit": actors.unit_a, "name": "甲"}, id_number="110105194912310021"
            )
        assert "校验位不正确" in str(caught.value.message_dict["id_number"])

    def test_unit_registers_only_its_own_officers(self, actors):
        with pytest.raises(PermissionDenied):
            services.officer_create(
                data={"unit": actors.unit_b, "name": "乙"},
                id_number=make_id(seq=9),
                user=actors.reporter_a,
            )


@pytest.mark.django_db
class TestIdentityReveal:
    def test_unit_head_reveals_and_it_is_audited(self, actors, officer_factory, client_as):
        officer = officer_factory()
        response = client_as(actors.head_a).post(
            reverse("enforcement:officer_identity", args=[officer.pk])
        )
        assert response.json()["id_number"] == make_id(seq=1)
        assert (
            AuditEntry.objects.filter(object_id=str(officer.pk), message="查看完整身份证号").count()
            == 1
        )

    def test_reporter_cannot_reveal(self, actors, officer_factory, client_as):
        officer = officer_factory()
        assert (
            client_as(actors.reporter_a)
            .post(reverse("enforcement:officer_identity", args=[officer.pk]))
            .status_code
            == 403
        )

    def test_other_units_head_gets_404(self, actors, officer_factory, client_as):
        from oversight.core.testing.fixtures import make_user

        head_b = make_user("head_b", "unit_head", actors.unit_b)
        officer = officer_factory()
        assert (
            client_as(head_b)
            .post(reverse("enforcement:officer_identity", args=[officer.pk]))
            .status_code
            == 404
        )

    def test_pages_show_only_the_masked_number(self, actors, officer_factory, client_as):
        officer = officer_factory()
        for user in (actors.reporter_a, actors.supervisor):
            page = client_as(user).get(officer.get_absolute_url()).content.decode()
            assert make_id(seq=1) not in page and officer.id_masked in page
            assert "13800000001" not in page and "138****0001" in page


@pytest.mark.django_db
class TestScoping:
    def test_unit_lists_only_its_officers(self, actors, officer_factory, client_as):
        officer_factory(unit=actors.unit_a, name="甲局人员")
        officer_factory(unit=actors.unit_b, name="乙局人员")
        page = (
            client_as(actors.reporter_a).get(reverse("enforcement:officer_list")).content.decode()
        )
        assert "甲局人员" in page and "乙局人员" not in page

    def test_other_units_officer_is_404(self, actors, officer_factory, client_as):
        officer = officer_factory(unit=actors.unit_b)
        client = client_as(actors.reporter_a)
        assert client.get(officer.get_absolute_url()).status_code == 404
        assert (
            client.post(
                reverse("enforcement:officer_edit", args=[officer.pk]), {"name": "改名"}
            ).status_code
            == 404
        )
        officer.refresh_from_db()
        assert officer.name == "人员1"

    def test_officer_sees_own_record_only(self, actors, officer_factory, client_as):
        from oversight.core.testing.fixtures import make_user

        account = make_user("zhifa", "officer", actors.unit_a)
        mine = officer_factory(user=account)
        other = officer_factory()
        assert set(Officer.objects.restrict(account, "view")) == {mine}
        assert client_as(account).get(other.get_absolute_url()).status_code == 404

    def test_leader_reads_but_cannot_change(self, actors, officer_factory):
        officer = officer_factory()
        assert Officer.objects.restrict(actors.leader, "view").filter(pk=officer.pk).exists()
        assert not Officer.objects.restrict(actors.leader, "change").exists()


@pytest.mark.django_db
class TestPublicPages:
    def test_public_officer_list_has_no_id_numbers_or_phones(
        self, client, actors, officer_factory, certificate_factory
    ):
        officer = officer_factory(name="公示人员")
        certificate_factory(officer)
        html = client.get(reverse("portal:officers")).content.decode()
        assert "公示人员" in html and "42020400" in html
        assert make_id(seq=1) not in html and officer.id_masked not in html
        assert "13800000001" not in html and "138****" not in html

    def test_suspended_or_left_officers_are_not_listed(
        self, client, actors, officer_factory, certificate_factory
    ):
        suspended = certificate_factory(officer_factory(name="暂扣人员"))
        services.certificate_change(
            certificate=suspended,
            action="suspend",
            reason="违规执法",
            until=suspended.expiry_date,
            user=actors.supervisor,
        )
        certificate_factory(officer_factory(name="退休人员", status="retired"))
        html = client.get(reverse("portal:officers")).content.decode()
        assert "暂扣人员" not in html and "退休人员" not in html

    def test_subjects_listed_after_confirmation(self, client, actors, subject):
        assert subject.name not in client.get(reverse("portal:subjects")).content.decode()
        import datetime

        services.subjects_confirm(
            announcement_date=datetime.date(2026, 3, 1), user=actors.supervisor
        )
        assert subject.name in client.get(reverse("portal:subjects")).content.decode()


@pytest.mark.django_db
def test_list_links_only_where_the_user_may_follow(actors, client_as):
    """The subject list links each name to its edit page, which only the bureau may open: a
    unit's reporter and the district leader see the names as text, never a link to a 403."""
    from django.urls import reverse

    from oversight.enforcement.models import EnforcementSubject

    subject = EnforcementSubject.objects.create(
        unit=actors.unit_a,
        name="测试区市场监督管理局",
        legal_status="agency",
        legal_basis="《中华人民共和国行政处罚法》",
        enforcement_types=["penalty"],
        status="active",
    )
    edit = reverse("enforcement:subject_edit", args=[subject.pk])
    for user, linked in (
        (actors.supervisor, True),
        (actors.reporter_a, False),
        (actors.leader, False),
    ):
        page = client_as(user).get(reverse("enforcement:subject_list")).content.decode()
        assert "测试区市场监督管理局" in page
        assert (f'href="{edit}"' in page) is linked, user


@pytest.mark.django_db
def test_an_officers_home_shows_their_own_qualification_and_each_figure_opens(
    actors, client_as, officer_factory, certificate_factory
):
    import time_machine

    from oversight.core.testing.fixtures import make_user

    user = make_user("zhifa", "officer", actors.unit_a)
    officer = officer_factory(unit=actors.unit_a, name="赵执法", user=user)
    certificate_factory(
        officer, issue_date=datetime.date(2022, 1, 1), expiry_date=datetime.date(2026, 8, 1)
    )
    officer_factory(unit=actors.unit_a, name="同单位的人")  # counted nowhere on this home
    with time_machine.travel(datetime.datetime(2026, 6, 17, 9), tick=False):
        client = client_as(user)
        page = client.get("/").content.decode()
        assert "我的执法资格" in page and "本单位执法人员" not in page
        assert "2026-08-01" in page  # expiring within 90 days: a warning figure
        links = set(re.findall(r'class="col figure"><a href="([^"]+)"', page))
        assert officer.get_absolute_url() in links
        for href in links:
            assert client.get(href).status_code == 200
