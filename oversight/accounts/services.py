"""Accounts: login with lockout, passwords, creating and changing users."""

from __future__ import annotations

import datetime
import secrets
import string
from typing import Any

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from oversight.core import audit
from oversight.core.roles import ADMIN_ROLES, UNIT_ROLES, Role
from oversight.core.rules import rule_value

from .models import LoginEvent, User, UserRole

LOGIN_FAILED = "账号或密码错误。"


def _event(username: str, outcome: str, *, user=None, ip=None, agent: str = "") -> None:
    LoginEvent.objects.create(
        username=username[:150], user=user, outcome=outcome, ip=ip, user_agent=agent[:300]
    )


def login_attempt(
    *, username: str, password: str, ip: str | None = None, user_agent: str = "", request=None
) -> tuple[User | None, str]:
    """Check credentials, counting failures: after N in a row the account locks for M minutes.

    Returns the user, or None and a Chinese message. The message does not say whether the account
    exists, except that a locked account is told when it unlocks.
    """
    now = timezone.now()
    username = username.strip()
    user = User.objects.filter(username=username).first()
    if user is None:
        _event(username, LoginEvent.Outcome.UNKNOWN_USER, ip=ip, agent=user_agent)
        return None, LOGIN_FAILED
    if user.is_locked(now):
        _event(username, LoginEvent.Outcome.LOCKED, user=user, ip=ip, agent=user_agent)
        local = timezone.localtime(user.locked_until)
        return (
            None,
            f"连续登录失败次数过多,账号已锁定,请于 {local:%H:%M} 后再试或联系安全管理员解锁。",
        )
    if not user.is_active:
        _event(username, LoginEvent.Outcome.INACTIVE, user=user, ip=ip, agent=user_agent)
        return None, "该账号已停用,请联系系统管理员。"
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        limit = rule_value("security.max_failed_logins")
        minutes = rule_value("security.lockout_minutes")
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
            user.refresh_from_db(fields=["failed_logins"])
            if user.failed_logins >= limit:
                user.locked_until = now + datetime.timedelta(minutes=minutes)
                user.failed_logins = 0
                user.save(update_fields=["locked_until", "failed_logins"])
                _event(
                    username, LoginEvent.Outcome.BAD_PASSWORD, user=user, ip=ip, agent=user_agent
                )
                return None, f"连续 {limit} 次登录失败,账号已锁定 {minutes} 分钟。"
        _event(username, LoginEvent.Outcome.BAD_PASSWORD, user=user, ip=ip, agent=user_agent)
        left = limit - user.failed_logins
        return None, f"{LOGIN_FAILED}再失败 {left} 次账号将被锁定。"
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=now)
    _event(username, LoginEvent.Outcome.SUCCESS, user=authenticated, ip=ip, agent=user_agent)
    return authenticated, ""


def login_event(*, user: User, outcome: str, ip: str | None = None) -> None:
    _event(user.username, outcome, user=user, ip=ip)


def generate_password(length: int = 12) -> str:
    """A random password that satisfies the policy (all four character classes)."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(max(length, 8)))
        classes = [
            any(c.isupper() for c in candidate),
            any(c.islower() for c in candidate),
            any(c.isdigit() for c in candidate),
            any(c in "!@#$%^&*" for c in candidate),
        ]
        if all(classes):
            return candidate


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A user changes their own password; this ends the must-change-at-first-login state."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "原密码不正确。"})
    if old_password == new_password:
        raise ValidationError({"new_password": "新密码不能与原密码相同。"})
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(action="action", obj=user, message="修改本人密码")
    return user


def _check_roles_and_units(roles: set[str], primary_unit, units) -> None:
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"未知角色:{'、'.join(sorted(unknown))}"})
    if not roles:
        raise ValidationError({"roles": "至少选择一个角色。"})
    admin = roles & ADMIN_ROLES
    if admin and roles - ADMIN_ROLES:
        # 三员分立: administrators hold no business role.
        raise ValidationError({"roles": "系统管理员、安全管理员、审计员不能兼任业务角色。"})
    if len(admin) > 1:
        raise ValidationError({"roles": "系统管理员、安全管理员、审计员三员须由不同账号担任。"})
    if roles & (UNIT_ROLES | {Role.SUPERVISOR}) and primary_unit is None:
        raise ValidationError(
            {"primary_unit": "单位填报员、单位负责人、执法人员和监督机构账号须选择所属单位。"}
        )
    if admin and (primary_unit is not None or units):
        raise ValidationError({"primary_unit": "管理员账号不属于业务单位,请不要选择单位。"})


def _snapshot(user: User) -> dict[str, Any]:
    data = audit.snapshot(
        user,
        exclude=frozenset({"last_login", "failed_logins", "locked_until", "password_changed_at"}),
    )
    data["roles"] = sorted(user.role_rows.values_list("role", flat=True)) if user.pk else []
    return data


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    roles: set[str],
    primary_unit=None,
    units=(),
    phone: str = "",
    email: str = "",
    password: str | None = None,
    must_change_password: bool = True,
    is_demo: bool = False,
) -> tuple[User, str]:
    """Create an account; returns it and its initial password, which must be changed at first login."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"账号“{username}”已存在。"})
    _check_roles_and_units(set(roles), primary_unit, list(units))
    password = password or generate_password()
    user = User(
        username=username,
        full_name=full_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        primary_unit=primary_unit,
        must_change_password=must_change_password,
        is_demo=is_demo,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.units.set(units)
    UserRole.objects.bulk_create(UserRole(user=user, role=r) for r in sorted(roles))
    audit.record(action="create", obj=user, after=_snapshot(user))
    return user, password


@transaction.atomic
def user_update(
    *, user: User, data: dict[str, Any], roles: set[str] | None = None, units=None, actor=None
) -> User:
    """Change an account's details, roles or units."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user)
    for key in ("full_name", "phone", "email", "primary_unit", "is_active"):
        if key in data:
            setattr(user, key, data[key])
    new_roles = set(roles) if roles is not None else set(user.role_codes)
    new_units = list(units) if units is not None else list(user.units.all())
    _check_roles_and_units(new_roles, user.primary_unit, new_units)
    if actor is not None and actor.pk == user.pk and not user.is_active:
        raise ValidationError({"is_active": "不能停用自己的账号。"})
    user.full_clean()
    user.save()
    if units is not None:
        user.units.set(new_units)
    if roles is not None:
        UserRole.objects.filter(user=user).exclude(role__in=new_roles).delete()
        UserRole.objects.bulk_create(
            [UserRole(user=user, role=r) for r in sorted(new_roles)], ignore_conflicts=True
        )
    user.__dict__.pop("role_codes", None)
    user.__dict__.pop("scope_unit_ids", None)
    audit.record(action="update", obj=user, before=before, after=_snapshot(user))
    if actor is not None and not User.objects.restrict(actor, "change").filter(pk=user.pk).exists():
        raise PermissionDenied("无权修改该账号。")
    return user


@transaction.atomic
def user_reset_password(*, user: User) -> str:
    """The system administrator issues a new initial password; the user must change it at login."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    audit.record(action="action", obj=user, message="重置密码")
    return password


@transaction.atomic
def user_unlock(*, user: User) -> User:
    """The security administrator lifts a lockout before it expires."""
    if not user.is_locked():
        raise ValidationError("该账号当前未被锁定。")
    before = {"locked_until": user.locked_until.isoformat()}
    user.locked_until = None
    user.failed_logins = 0
    user.save(update_fields=["locked_until", "failed_logins"])
    audit.record(
        action="action", obj=user, before=before, after={"locked_until": None}, message="解除锁定"
    )
    return user
