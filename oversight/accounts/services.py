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
from oversight.core.context import require_actor
from oversight.core.roles import ADMIN_ROLES, UNIT_ROLES, Role
from oversight.core.rules import rule_value

from .models import ApiToken, LoginEvent, User, UserRole
from .validators import MIN_DISTINCT, has_sequence

IP_WINDOW_MINUTES = 10


def _login_failed_message() -> str:
    return (
        f"账号或密码错误。连续失败 {rule_value('security.max_failed_logins')} 次账号将锁定 "
        f"{rule_value('security.lockout_minutes')} 分钟;忘记密码或账号被锁定请联系安全管理员。"
    )


LOGIN_THROTTLED = "该地址登录失败次数过多,请 10 分钟后再试。"


def _event(username: str, outcome: str, *, user=None, ip=None, agent: str = "") -> None:
    LoginEvent.objects.create(
        username=username[:150], user=user, outcome=outcome, ip=ip, user_agent=agent[:300]
    )


def _failures_from(ip: str | None, since) -> int:
    if not ip:
        return 0
    return (
        LoginEvent.objects.filter(time__gte=since, ip=ip)
        .exclude(
            outcome__in=[
                LoginEvent.Outcome.SUCCESS,
                LoginEvent.Outcome.LOGOUT,
                LoginEvent.Outcome.TIMEOUT,
            ]
        )
        .count()
    )


@audit.exempt("每次登录尝试记入登录日志(LoginEvent);自动锁定另记审计")
def login_attempt(
    *, username: str, password: str, ip: str | None = None, user_agent: str = "", request=None
) -> tuple[User | None, str]:
    """Check credentials, counting failures: after N in a row the account locks for M minutes.

    Returns the user, or None and a Chinese message. Every failure gets the same answer, so the
    answer never tells whether an account exists, is locked or is disabled (the login log does).
    Too many failures from one address in 10 minutes refuse that address for a while, whatever
    the account (等保: limit illegal login attempts).
    """
    now = timezone.now()
    username = username.strip()
    window = now - datetime.timedelta(minutes=IP_WINDOW_MINUTES)
    if _failures_from(ip, window) >= rule_value("security.login_attempts_per_ip"):
        _event(username, LoginEvent.Outcome.THROTTLED, ip=ip, agent=user_agent)
        return None, LOGIN_THROTTLED
    user = User.objects.filter(username=username).first()
    if user is None:
        # Hash a password anyway, so the answer takes as long as for a real account.
        User().set_password(password)
        _event(username, LoginEvent.Outcome.UNKNOWN_USER, ip=ip, agent=user_agent)
        return None, _login_failed_message()
    if user.is_locked(now):
        _event(username, LoginEvent.Outcome.LOCKED, user=user, ip=ip, agent=user_agent)
        return None, _login_failed_message()
    if not user.is_active:
        _event(username, LoginEvent.Outcome.INACTIVE, user=user, ip=ip, agent=user_agent)
        return None, _login_failed_message()
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
                audit.record(
                    action="action",
                    obj=user,
                    after={"locked_until": user.locked_until.isoformat()},
                    message=f"连续 {limit} 次登录失败,自动锁定 {minutes} 分钟",
                )
        _event(username, LoginEvent.Outcome.BAD_PASSWORD, user=user, ip=ip, agent=user_agent)
        return None, _login_failed_message()
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
        if all(classes) and len(set(candidate)) >= MIN_DISTINCT and not has_sequence(candidate):
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
    admin = roles & ADMIN_ROLES
    if admin and roles - ADMIN_ROLES:
        # 三员分立: administrators hold no business role.
        raise ValidationError({"roles": "系统管理员、安全管理员、审计员不能兼任业务角色。"})
    if len(admin) > 1:
        raise ValidationError({"roles": "系统管理员、安全管理员、审计员三员须由不同账号担任。"})
    if roles & (UNIT_ROLES | {Role.SUPERVISOR, Role.JUSTICE_OFFICE}) and primary_unit is None:
        raise ValidationError(
            {
                "primary_unit": "单位填报员、单位负责人、执法人员、监督机构和司法所账号须选择所属单位。"
            }
        )
    if Role.JUSTICE_OFFICE in roles and primary_unit.kind != "justice_office":
        raise ValidationError({"primary_unit": "司法所账号的所属单位应为类别为“司法所”的单位。"})
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
    actor: User | None = None,
) -> tuple[User, str]:
    """Create an account; returns it and its initial password, which must be changed at first login.

    The system administrator (`actor`) creates accounts without roles (三员分立: the security
    administrator grants them); roles are given here only by the command line and the demo loader.
    """
    require_actor(actor)
    if actor is not None:
        if Role.SYSADMIN not in actor.role_codes:
            raise PermissionDenied("只有系统管理员可以创建账号。")
        if roles or primary_unit is not None or units:
            raise PermissionDenied("角色和数据范围由安全管理员授予。")
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
    """Change an account's details (the system administrator), or, through `user_grant`, its
    roles and units. Roles and units passed here come only from the command line and the demo
    loader (no actor)."""
    require_actor(actor)
    if actor is not None and (roles is not None or units is not None or "primary_unit" in data):
        raise PermissionDenied("角色和数据范围由安全管理员授予。")
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
def user_grant(
    *, actor: User, user: User, roles: set[str], primary_unit=None, units=(), note: str
) -> User:
    """The security administrator grants an account its business roles and units (三员分立).

    Administrators' roles are never granted here (they are made on the command line), no
    administrator may hold a business role, and nobody grants to their own account.
    """
    if Role.SECADMIN not in actor.role_codes:
        raise PermissionDenied("只有安全管理员可以授予角色和数据范围。")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError("不能为自己的账号授权。")
    if user.role_codes & ADMIN_ROLES:
        raise ValidationError("系统管理员、安全管理员、审计员账号不能授予业务角色。")
    roles = set(roles)
    if roles & ADMIN_ROLES:
        raise ValidationError({"roles": "管理员角色只能在服务器上用命令行创建。"})
    if not note.strip():
        raise ValidationError({"note": "请填写授权依据。"})
    units = list(units)
    _check_roles_and_units(roles, primary_unit, units)
    before = _snapshot(user)
    user.primary_unit = primary_unit
    user.full_clean()
    user.save(update_fields=["primary_unit"])
    user.units.set(units)
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=r) for r in sorted(roles)], ignore_conflicts=True
    )
    user.__dict__.pop("role_codes", None)
    user.__dict__.pop("scope_unit_ids", None)
    audit.record(
        action="update",
        obj=user,
        before=before,
        after=_snapshot(user),
        message=f"授权:{note.strip()}"[:500],
    )
    return user


@transaction.atomic
def user_reset_password(*, user: User, actor: User | None = None) -> str:
    """The security administrator issues a new initial password; the user must change it at
    login and is told in the platform that it was reset. Administrators' passwords are reset
    on the command line only, and nobody resets their own."""
    require_actor(actor)
    if actor is not None:
        if Role.SECADMIN not in actor.role_codes:
            raise PermissionDenied("只有安全管理员可以重置密码。")
        if actor.pk == user.pk:
            raise ValidationError("请在“修改密码”中修改自己的密码。")
        if user.role_codes & ADMIN_ROLES:
            raise ValidationError("管理员账号的密码只能在服务器上用命令行重置。")
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    audit.record(action="action", obj=user, message="重置密码")
    from oversight.core.notifications import Message, notify

    notify(
        [user],
        Message(
            key=f"password-reset:{user.pk}:{timezone.now().isoformat()}",
            title="您的登录密码已被重置",
            body="安全管理员重置了您的密码;请使用告知您的初始密码登录并立即修改。如非本人申请,请联系区司法局。",
            urgent=True,
        ),
    )
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


def _token_days() -> int:
    return rule_value("security.api_token_days")


@transaction.atomic
def token_create(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token of the actor's own account; returns it and the key, shown only now."""
    from .authentication import hash_key

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌名称,例如使用它的业务系统。"})
    limit = _token_days()
    days = days or limit
    if not 1 <= days <= limit:
        raise ValidationError({"days": f"有效期为 1 至 {limit} 天。"})
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor,
        name=name[:60],
        key_hash=hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit.record(
        action="create",
        obj=token,
        after={
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The owner, or the security administrator, revokes a token at once."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk and Role.SECADMIN not in actor.role_codes:
        raise PermissionDenied("只能撤销本人的令牌。")
    if token.revoked_at is not None:
        raise ValidationError("该令牌已撤销。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(action="action", obj=token, message=f"撤销 API 令牌(账号 {token.user.username})")
    return token
