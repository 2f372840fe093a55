"""The certificate lifecycle, each change and the forbidden ones."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.models import AuditEntry
from oversight.enforcement import services

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive

LATER = datetime.date.today() + datetime.timedelta(days=60)


def change(cert, action, actors, **extra):
    return services.certificate_change(
        certificate=cert, action=action, reason="依规处理", user=actors.supervisor, **extra
    )


@pytest.fixture
def cert(actors, officer_factory, certificate_factory):
    return certificate_factory(officer_factory())


@pytest.mark.django_db
class TestCertificateChange:
    def test_suspend_needs_a_period_then_restore(self, cert, actors):
        with pytest.raises(ValidationError, match="暂扣期限"):
            change(cert, "suspend", actors)
        change(cert, "suspend", actors, until=LATER)
        cert.refresh_from_db()
        assert (cert.status, cert.suspended_until) == ("suspended", LATER)
        change(cert, "restore", actors)
        cert.refresh_from_db()
        assert (cert.status, cert.suspended_until) == ("valid", None)
        assert list(cert.events.values_list("action", flat=True)) == ["暂扣", "恢复"]
        assert AuditEntry.objects.filter(
            object_id=str(cert.pk), message__startswith="暂扣"
        ).exists()

    def test_withdraw_and_cancel(self, cert, actors):
        change(cert, "withdraw", actors)
        change(cert, "cancel", actors)
        cert.refresh_from_db()
        assert cert.status == "cancelled"

    @pytest.mark.parametrize(
        ("setup", "action", "message"),
        [
            (["cancel"], "suspend", "“注销”,不能暂扣"),
            (["cancel"], "cancel", "“注销”,不能注销"),
            ([], "restore", "“有效”,不能恢复"),
            (["withdraw"], "restore", "“收回”,不能恢复"),
            (["withdraw"], "suspend", "“收回”,不能暂扣"),
        ],
    )
    def test_forbidden_changes(self, cert, actors, setup, action, message):
        for step in setup:
            change(cert, step, actors)
        before = cert.__class__.objects.get(pk=cert.pk).status
        with pytest.raises(ValidationError, match=message):
            change(cert, action, actors, until=LATER)
        assert cert.__class__.objects.get(pk=cert.pk).status == before

    def test_reason_is_required(self, cert, actors):
        with pytest.raises(ValidationError, match="理由"):
            services.certificate_change(
                certificate=cert, action="cancel", reason="", user=actors.supervisor
            )

    def test_units_cannot_change_certificates(self, cert, actors):
        with pytest.raises(PermissionDenied):
            services.certificate_change(
                certificate=cert, action="cancel", reason="自行注销", user=actors.reporter_a
            )

    def test_annual_review(self, cert, actors):
        services.certificate_review(
            certificate=cert, year=2026, result="passed", user=actors.supervisor
        )
        services.certificate_review(
            certificate=cert, year=2026, result="failed", note="复核不合格", user=actors.supervisor
        )
        assert list(cert.reviews.values_list("year", "result")) == [(2026, "failed")]


@pytest.mark.django_db
class TestIssue:
    def test_duplicate_number_is_refused(self, cert, actors, officer_factory):
        with pytest.raises(ValidationError, match="已登记"):
            services.certificate_issue(
                officer=officer_factory(),
                data={
                    "number": cert.number,
                    "kind": "enforcement",
                    "areas": "x",
                    "issuing_authority": "x",
                    "issue_date": datetime.date(2024, 1, 1),
                    "expiry_date": datetime.date(2029, 1, 1),
                },
            )

    def test_expiry_before_issue_is_refused(self, actors, officer_factory):
        with pytest.raises(ValidationError, match="不能早于发证日期"):
            services.certificate_issue(
                officer=officer_factory(),
                data={
                    "number": "X1",
                    "kind": "enforcement",
                    "areas": "x",
                    "issuing_authority": "x",
                    "issue_date": datetime.date(2025, 1, 1),
                    "expiry_date": datetime.date(2024, 1, 1),
                },
            )


@pytest.mark.django_db
class TestExpiryReminders:
    def test_the_nearest_notice_only_and_each_once(
        self, actors, officer_factory, certificate_factory
    ):
        import time_machine

        from oversight.core.models import Notification
        from oversight.enforcement.jobs import certificate_expiry

        start = datetime.date(2026, 3, 2)
        soon = certificate_factory(
            officer_factory(),
            issue_date=datetime.date(2021, 1, 1),
            expiry_date=start + datetime.timedelta(days=20),
        )
        later = certificate_factory(
            officer_factory(),
            issue_date=datetime.date(2021, 1, 1),
            expiry_date=start + datetime.timedelta(days=80),
        )
        with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 30), tick=False):
            certificate_expiry()
            certificate_expiry()  # a second scheduler, or the next tick: nothing new
        notices = Notification.objects.filter(user=actors.reporter_a)
        # First run: the certificate 20 days out gets the 30-day notice only, not both.
        assert [
            (n.urgent, soon.number in n.body) for n in notices.filter(body__contains=soon.number)
        ] == [(True, True)]
        assert [n.urgent for n in notices.filter(body__contains=later.number)] == [False]  # 90-day
        with time_machine.travel(datetime.datetime(2026, 4, 27, 8, 30), tick=False):
            certificate_expiry()  # 24 days before the later one expires: its 30-day notice
        assert sorted(n.urgent for n in notices.filter(body__contains=later.number)) == [
            False,
            True,
        ]


@pytest.mark.django_db
def test_a_refused_certificate_form_keeps_what_was_typed(actors, client_as, officer_factory):
    from django.urls import reverse

    officer = officer_factory(unit=actors.unit_a, name="王五")
    response = client_as(actors.supervisor).post(
        reverse("enforcement:certificate_issue", args=[officer.pk]),
        {
            "number": "鄂B2026-0099",
            "kind": "enforcement",
            "areas": "城市管理",
            "issuing_authority": "黄石市人民政府",
            "issue_date": "2026-05-01",
            "expiry_date": "2026-04-01",  # before the issue date
        },
    )
    assert response.status_code == 200  # the page again, not a redirect to an empty form
    page = response.content.decode()
    assert 'value="鄂B2026-0099"' in page and 'value="城市管理"' in page
    assert "发证日期不能晚于有效期截止日期" in page  # the constraint, in words
    assert not officer.certificates.exists()
