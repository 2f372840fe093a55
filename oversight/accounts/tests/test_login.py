"""Login security: lockout, password policy, idle expiry, first-login password change."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.models import LoginEvent, User
from oversight.accounts.services import login_attempt, password_change
from oversight.accounts.validators import PolicyPasswordValidator
from oversight.core.rules import rule_set

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive

GOOD = "Zhifa#2024ok"


@pytest.fixture
def alice(actors):
    user = actors.reporter_a
    user.set_password(GOOD)
    user.save()
    return user


def post_login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
class TestLoginAttempt:
    def test_correct_password_logs_in_and_is_logged(self, client, alice):
        response = post_login(client, "reporter_a", GOOD)
        assert response.status_code == 302
        assert LoginEvent.objects.filter(username="reporter_a", outcome="success").count() == 1

    def test_wrong_password_shows_chinese_error(self, client, alice):
        response = post_login(client, "reporter_a", "wrong")
        assert response.status_code == 200
        assert "账号或密码错误" in response.content.decode()
        assert LoginEvent.objects.get().outcome == "bad_password"

    def test_unknown_user_gets_the_same_message(self, client, alice):
        response = post_login(client, "nobody", "wrong")
        assert "账号或密码错误" in response.content.decode()
        assert LoginEvent.objects.get().outcome == "unknown_user"

    def test_five_failures_lock_the_account_for_fifteen_minutes(self, client, alice):
        for _ in range(5):
            post_login(client, "reporter_a", "wrong")
        alice.refresh_from_db()
        assert alice.is_locked()
        minutes = (alice.locked_until - timezone.now()).total_seconds() / 60
        assert 14 < minutes <= 15
        response = post_login(client, "reporter_a", GOOD)
        assert "账号或密码错误" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert LoginEvent.objects.order_by("-id").first().outcome == "locked"

    def test_answers_never_tell_whether_an_account_exists(self, client, alice):
        other = User.objects.create(username="bob")
        other.set_password(GOOD)
        other.is_active = False
        other.save()
        answers = set()
        for username in ("reporter_a", "nobody", "bob"):
            response = post_login(client, username, "wrong")
            page = response.content.decode()
            answers.add(page[page.index("账号或密码错误") : page.index("账号或密码错误") + 80])
            assert "再失败" not in page
        assert len(answers) == 1

    def test_many_failures_from_one_address_are_slowed_down(self, alice):
        rule_set(key="security.login_attempts_per_ip", value=5, note="测试")
        for n in range(5):
            login_attempt(username=f"guess{n}", password="wrong", ip="203.0.113.9")
        user, message = login_attempt(username="reporter_a", password=GOOD, ip="203.0.113.9")
        assert user is None
        assert "该地址登录失败次数过多" in message
        # Another address is not affected.
        user, _ = login_attempt(username="reporter_a", password=GOOD, ip="203.0.113.10")
        assert user == alice

    def test_four_failures_do_not_lock(self, alice):
        for _ in range(4):
            login_attempt(username="reporter_a", password="wrong")
        alice.refresh_from_db()
        assert not alice.is_locked()
        user, _ = login_attempt(username="reporter_a", password=GOOD)
        assert user == alice

    def test_success_resets_the_failure_count(self, alice):
        for _ in range(4):
            login_attempt(username="reporter_a", password="wrong")
        login_attempt(username="reporter_a", password=GOOD)
        for _ in range(4):
            login_attempt(username="reporter_a", password="wrong")
        alice.refresh_from_db()
        assert not alice.is_locked()

    def test_lock_expires(self, alice):
        alice.locked_until = timezone.now() - datetime.timedelta(seconds=1)
        alice.save()
        user, message = login_attempt(username="reporter_a", password=GOOD)
        assert user == alice, message

    def test_security_admin_can_change_the_limit(self, alice):
        rule_set(key="security.max_failed_logins", value=3, note="加强")
        for _ in range(3):
            login_attempt(username="reporter_a", password="wrong")
        alice.refresh_from_db()
        assert alice.is_locked()

    def test_inactive_account_is_refused(self, alice):
        alice.is_active = False
        alice.save()
        user, message = login_attempt(username="reporter_a", password=GOOD)
        assert user is None
        assert "账号或密码错误" in message
        assert LoginEvent.objects.get().outcome == "inactive"


class TestPasswordPolicy:
    @pytest.mark.parametrize("password", ["Ab1!", "abcdefgh", "abcdefg1", "ABCDEFGH12"])
    @pytest.mark.django_db
    def test_weak_passwords_are_refused(self, password):
        with pytest.raises(ValidationError):
            PolicyPasswordValidator().validate(password)

    @pytest.mark.parametrize(
        "password",
        ["AAAAAAA1!", "Abcd1234!", "Password123!", "Qwer@5721x", "Aa1!Aa1!Aa1!", "reporter_a#X9"],
    )
    @pytest.mark.django_db
    def test_repeats_sequences_common_words_and_the_username_are_refused(self, password, actors):
        with pytest.raises(ValidationError):
            PolicyPasswordValidator().validate(password, actors.reporter_a)

    @pytest.mark.parametrize("password", ["Zhifa#2024ok", "Tz8#kLm2pQ", "Xialu@2024", "shu1!Ke9w"])
    @pytest.mark.django_db
    def test_three_classes_and_eight_characters_pass(self, password):
        PolicyPasswordValidator().validate(password)

    @pytest.mark.django_db
    def test_policy_values_are_editable(self):
        rule_set(key="security.password_min_length", value=12)
        with pytest.raises(ValidationError, match="至少需要 12 个字符"):
            PolicyPasswordValidator().validate("Abcdefg1!")

    @pytest.mark.django_db
    def test_rule_bounds_are_enforced(self):
        with pytest.raises(ValidationError, match="不能小于 8"):
            rule_set(key="security.password_min_length", value=4)

    def test_production_hashes_passwords_with_argon2(self, db):
        # Tests use a fast hasher; what production uses is the settings' own default.
        from django.conf import settings

        production = settings.PRODUCTION_PASSWORD_HASHERS
        assert production[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
        from django.test import override_settings

        with override_settings(PASSWORD_HASHERS=production):
            user = User(username="x")
            user.set_password(GOOD)
            assert user.password.startswith("argon2$")


@pytest.mark.django_db
class TestFirstLogin:
    def test_must_change_password_redirects_everything(self, client, alice):
        alice.must_change_password = True
        alice.save()
        client.force_login(alice)
        response = client.get(reverse("organisations:unit_list"))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_change")

    def test_changing_the_password_lifts_the_requirement(self, client, alice):
        alice.must_change_password = True
        alice.save()
        client.force_login(alice)
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": GOOD, "new_password": "Shu1!Ke9wq", "new_password2": "Shu1!Ke9wq"},
        )
        assert response.status_code == 302
        alice.refresh_from_db()
        assert not alice.must_change_password
        assert client.get(reverse("organisations:unit_list")).status_code == 200

    def test_new_password_must_meet_policy(self, alice):
        with pytest.raises(ValidationError):
            password_change(user=alice, old_password=GOOD, new_password="short")


@pytest.mark.django_db
class TestSessionIdle:
    def test_idle_session_expires(self, client, alice):
        client.force_login(alice)
        assert client.get(reverse("core:home")).status_code == 200
        session = client.session
        session["last_seen"] = time.time() - 31 * 60
        session.save()
        response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
        assert LoginEvent.objects.filter(outcome="timeout").exists()
        assert client.get(reverse("core:home")).status_code == 302

    def test_activity_within_the_limit_keeps_the_session(self, client, alice):
        client.force_login(alice)
        client.get(reverse("core:home"))
        session = client.session
        session["last_seen"] = time.time() - 29 * 60
        session.save()
        assert client.get(reverse("core:home")).status_code == 200

    def test_activity_moves_the_idle_clock_but_the_session_is_written_once_a_minute(
        self, client, alice
    ):
        from django.contrib.sessions.models import Session
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(alice)
        client.get(reverse("core:home"))
        first = client.session["last_seen"]
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("core:home"))
        writes = [q for q in queries if Session._meta.db_table in q["sql"] and "UPDATE" in q["sql"]]
        assert writes == [] and client.session["last_seen"] == first
        session = client.session
        session["last_seen"] = time.time() - 5 * 60
        session.save()
        client.get(reverse("core:home"))
        assert time.time() - client.session["last_seen"] < 5
