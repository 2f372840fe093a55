"""Account administration: the system administrator creates accounts; 三员分立 holds."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.models import User
from oversight.accounts.services import user_create, user_unlock
from oversight.core.models import AuditEntry
from oversight.core.roles import Role

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive


@pytest.mark.django_db
class TestUserCreate:
    def test_created_account_must_change_password(self, actors):
        user, password = user_create(
            username="new", full_name="新用户", roles={Role.REPORTER}, primary_unit=actors.unit_a
        )
        assert user.must_change_password
        assert user.check_password(password)
        assert user.role_codes == {Role.REPORTER}

    def test_admin_roles_cannot_be_combined(self, actors):
        with pytest.raises(ValidationError, match="三员须由不同账号担任"):
            user_create(username="x", full_name="x", roles={Role.SYSADMIN, Role.AUDITOR})

    def test_admin_cannot_hold_business_role(self, actors):
        with pytest.raises(ValidationError, match="不能兼任业务角色"):
            user_create(
                username="x",
                full_name="x",
                roles={Role.SYSADMIN, Role.SUPERVISOR},
                primary_unit=actors.bureau,
            )

    def test_unit_role_needs_a_unit(self, actors):
        with pytest.raises(ValidationError, match="须选择所属单位"):
            user_create(username="x", full_name="x", roles={Role.REPORTER})

    def test_duplicate_username_is_refused(self, actors):
        with pytest.raises(ValidationError, match="已存在"):
            user_create(
                username="REPORTER_A",
                full_name="x",
                roles={Role.REPORTER},
                primary_unit=actors.unit_a,
            )

    def test_creation_is_audited_without_the_password(self, actors):
        user, _ = user_create(
            username="new", full_name="新用户", roles={Role.REPORTER}, primary_unit=actors.unit_a
        )
        entry = AuditEntry.objects.get(action="create", object_id=str(user.pk))
        assert "password" not in entry.data_after
        assert entry.data_after["roles"] == ["reporter"]


@pytest.mark.django_db
class TestUserViews:
    def test_sysadmin_creates_account_and_sees_initial_password_once(self, actors, client_as):
        client = client_as(actors.sysadmin)
        response = client.post(
            reverse("accounts:user_add"),
            {
                "username": "zhang",
                "full_name": "张三",
                "roles": ["supervisor"],
                "primary_unit": actors.bureau.pk,
            },
            follow=True,
        )
        assert "初始密码" in response.content.decode()
        created = User.objects.get(username="zhang")
        assert created.must_change_password
        # 三员分立: whatever the request says, the system administrator grants no role or scope.
        assert created.role_codes == frozenset()
        assert created.primary_unit is None

    @pytest.mark.parametrize("role", ["supervisor", "reporter_a", "secadmin", "auditor", "leader"])
    def test_only_sysadmin_manages_accounts(self, actors, client_as, role):
        response = client_as(getattr(actors, role)).get(reverse("accounts:user_add"))
        assert response.status_code == 403

    def test_security_admin_unlocks(self, actors, client_as):
        actors.reporter_b.locked_until = timezone.now() + timezone.timedelta(minutes=10)
        actors.reporter_b.save()
        response = client_as(actors.secadmin).post(
            reverse("accounts:user_unlock", args=[actors.reporter_b.pk])
        )
        assert response.status_code == 302
        actors.reporter_b.refresh_from_db()
        assert not actors.reporter_b.is_locked()

    def test_unlocking_an_unlocked_account_is_refused(self, actors):
        with pytest.raises(ValidationError, match="未被锁定"):
            user_unlock(user=actors.reporter_b)

    def test_security_admin_edits_policy_and_it_is_audited(self, actors, client_as):
        client = client_as(actors.secadmin)
        response = client.post(
            reverse("core:rules_security"),
            {
                "security__password_min_length": 10,
                "security__password_min_classes": 3,
                "security__max_failed_logins": 5,
                "security__lockout_minutes": 30,
                "security__session_idle_minutes": 30,
                "security__api_token_days": 180,
                "security__login_attempts_per_ip": 20,
                "note": "按等保测评意见调整",
            },
        )
        assert response.status_code == 302
        entry = AuditEntry.objects.filter(object_id="security.lockout_minutes").get()
        assert (entry.data_before, entry.data_after) == ({"value": 15}, {"value": 30})
        assert entry.username == "secadmin"

    @pytest.mark.parametrize("role", ["sysadmin", "supervisor", "auditor"])
    def test_others_cannot_edit_security_policy(self, actors, client_as, role):
        assert (
            client_as(getattr(actors, role)).get(reverse("core:rules_security")).status_code == 403
        )


@pytest.mark.django_db
class TestSeparationOfDuties:
    """三员分立: who may grant roles, reset passwords and move units."""

    def test_security_admin_grants_roles_and_units_with_a_basis(self, actors, client_as):
        from oversight.accounts.services import user_create

        user, _ = user_create(
            username="newbie", full_name="新人", roles=set(), actor=actors.sysadmin
        )
        response = client_as(actors.secadmin).post(
            reverse("accounts:user_grant", args=[user.pk]),
            {"roles": ["reporter"], "primary_unit": actors.unit_a.pk, "note": "审批单 2026-01"},
        )
        assert response.status_code == 302
        user = User.objects.get(pk=user.pk)
        assert user.role_codes == {"reporter"} and user.primary_unit == actors.unit_a
        entry = AuditEntry.objects.get(object_id=str(user.pk), message__startswith="授权")
        assert entry.data_after["roles"] == ["reporter"] and entry.username == "secadmin"

    @pytest.mark.parametrize("role", ["sysadmin", "supervisor", "auditor", "reporter_a"])
    def test_nobody_else_grants(self, actors, client_as, role):
        url = reverse("accounts:user_grant", args=[actors.reporter_b.pk])
        response = client_as(getattr(actors, role)).post(
            url, {"roles": ["supervisor"], "primary_unit": actors.bureau.pk, "note": "x"}
        )
        assert response.status_code == 403
        assert User.objects.get(pk=actors.reporter_b.pk).role_codes == {"reporter"}

    def test_no_grant_to_oneself_to_an_administrator_or_of_an_administrator_role(self, actors):
        from oversight.accounts.services import user_grant

        with pytest.raises(ValidationError, match="自己"):
            user_grant(actor=actors.secadmin, user=actors.secadmin, roles={"supervisor"}, note="x")
        with pytest.raises(ValidationError, match="审计员账号不能授予业务角色"):
            user_grant(actor=actors.secadmin, user=actors.sysadmin, roles={"leader"}, note="x")
        with pytest.raises(ValidationError, match="命令行"):
            user_grant(actor=actors.secadmin, user=actors.reporter_b, roles={"auditor"}, note="x")

    def test_the_system_administrator_cannot_reset_passwords(self, actors, client_as):
        before = User.objects.get(pk=actors.reporter_b.pk).password
        url = reverse("accounts:user_reset_password", args=[actors.reporter_b.pk])
        assert client_as(actors.sysadmin).post(url).status_code == 403
        assert User.objects.get(pk=actors.reporter_b.pk).password == before

    def test_the_security_administrator_resets_and_the_user_is_told(self, actors, client_as):
        from oversight.core.models import Notification

        url = reverse("accounts:user_reset_password", args=[actors.reporter_b.pk])
        response = client_as(actors.secadmin).post(url, follow=True)
        assert "新初始密码" in response.content.decode()
        assert User.objects.get(pk=actors.reporter_b.pk).must_change_password
        assert Notification.objects.filter(user=actors.reporter_b, title__contains="重置").exists()
        # An administrator's password is reset on the command line only.
        url = reverse("accounts:user_reset_password", args=[actors.auditor.pk])
        page = client_as(actors.secadmin).post(url, follow=True).content.decode()
        assert "命令行" in page

    def test_a_move_that_widens_scopes_is_the_security_administrators(self, actors):
        from oversight.organisations.services import unit_update

        # Unit B under unit A: unit A's reporter and head would see unit B's records.
        with pytest.raises(ValidationError, match="须由安全管理员办理"):
            unit_update(unit=actors.unit_b, data={"parent": actors.unit_a}, user=actors.sysadmin)
        unit_update(unit=actors.unit_b, data={"parent": actors.unit_a}, user=actors.secadmin)
        actors.unit_b.refresh_from_db()
        assert actors.unit_b.parent == actors.unit_a
        # The security administrator changes nothing but the parent.
        unit_update(unit=actors.unit_b, data={"name": "改名"}, user=actors.secadmin)
        actors.unit_b.refresh_from_db()
        assert actors.unit_b.name != "改名"


@pytest.mark.django_db
class TestApiTokens:
    def _get(self, key):
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client.get("/api/units/")

    def test_a_token_is_stored_hashed_and_expires(self, actors):
        import datetime

        import time_machine

        from oversight.accounts.models import ApiToken
        from oversight.accounts.services import token_create

        token, key = token_create(actor=actors.reporter_a, name="办案系统", days=30)
        assert key not in token.key_hash and token.prefix == key[:8]
        assert ApiToken.objects.filter(key_hash=key).count() == 0
        assert self._get(key).status_code == 200
        assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
        with time_machine.travel(token.expires_at + datetime.timedelta(seconds=1)):
            response = self._get(key)
        assert response.status_code == 401 and "过期" in response.json()["detail"]

    def test_validity_is_capped_by_the_security_rule(self, actors):
        from oversight.accounts.services import token_create

        with pytest.raises(ValidationError, match="1 至 180 天"):
            token_create(actor=actors.reporter_a, name="x", days=365)

    @pytest.mark.parametrize("change", ["disabled", "locked", "password"])
    def test_a_token_stops_when_its_account_changes(self, actors, change):
        from oversight.accounts.services import password_change, token_create

        user = actors.reporter_a
        user.set_password("Zhifa#2024ok")
        user.save()
        _token, key = token_create(actor=user, name="办案系统")
        assert self._get(key).status_code == 200
        if change == "disabled":
            User.objects.filter(pk=user.pk).update(is_active=False)
        elif change == "locked":
            User.objects.filter(pk=user.pk).update(
                locked_until=timezone.now() + timezone.timedelta(minutes=10)
            )
        else:
            password_change(user=user, old_password="Zhifa#2024ok", new_password="Shu1!Ke9wq")
        assert self._get(key).status_code == 401
