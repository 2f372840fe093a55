"""Accounts: users with their units and roles, and the login log."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from oversight.core.querysets import RestrictedQuerySet, split_joined
from oversight.core.roles import Role
from oversight.core.validation import validate_mobile

__all__ = ["ApiToken", "LoginEvent", "User", "UserRole"]


class UserQuerySet(RestrictedQuerySet):
    pass


class PlatformUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in: belongs to a primary unit (and maybe others) and holds roles."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True, validators=[validate_mobile])
    primary_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="primary_users",
    )
    units = models.ManyToManyField(
        "organisations.Unit", verbose_name="兼管单位", blank=True, related_name="extra_users"
    )
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    is_demo = models.BooleanField("演示账号", default=False)

    objects = PlatformUserManager()

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if self.pk is None:
            return frozenset()
        if "loaded_role_codes" in self.__dict__:  # read with the signed-in user
            return split_joined(self.loaded_role_codes)
        if (
            hasattr(self, "_prefetched_objects_cache")
            and "role_rows" in self._prefetched_objects_cache
        ):
            return frozenset(r.role for r in self.role_rows.all())
        return frozenset(self.role_rows.values_list("role", flat=True))

    @property
    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.role_codes]

    @cached_property
    def scope_unit_ids(self) -> frozenset[int]:
        """The units whose records this user's unit roles reach: own units and those below,
        in one query."""
        from oversight.organisations.models import Unit
        from oversight.organisations.selectors import units_below

        if self.pk is None:
            return frozenset()
        through = User.units.through._meta.db_table
        seed = f"SELECT unit_id FROM {through} WHERE user_id = %s"
        params: list[object] = [self.pk]
        if self.primary_unit_id:
            seed = f"SELECT id FROM {Unit._meta.db_table} WHERE id = %s OR id IN ({seed})"
            params.insert(0, self.primary_unit_id)
        return frozenset(units_below(seed, params))

    @property
    def supervised_unit_ids(self) -> frozenset[int]:
        """For a 司法所 account: the 街办 its 司法所 is linked to, and the units below it."""
        from oversight.organisations.models import Unit
        from oversight.organisations.selectors import unit_descendant_ids

        own = set(self.units.values_list("pk", flat=True))
        if self.primary_unit_id:
            own.add(self.primary_unit_id)
        linked = Unit.objects.filter(pk__in=own, supervised_unit__isnull=False).values_list(
            "supervised_unit_id", flat=True
        )
        return frozenset(unit_descendant_ids(set(linked))) if linked else frozenset()

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        # Accounts are administered by the system administrator (who creates them) and the
        # security administrator (who unlocks them); nobody else lists accounts.
        roles = user.role_codes
        if Role.SYSADMIN in roles:
            return Q()
        if Role.SECADMIN in roles and action in {"view", "change"}:
            return Q()
        return None


class UserRole(models.Model):
    """One role held by a user."""

    user = models.ForeignKey(
        User, verbose_name="账号", on_delete=models.CASCADE, related_name="role_rows"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "账号角色"
        verbose_name_plural = "账号角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class LoginEvent(models.Model):
    """A login attempt, successful or not, for the audit administrator."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        BAD_PASSWORD = "bad_password", "密码错误"
        UNKNOWN_USER = "unknown_user", "账号不存在"
        LOCKED = "locked", "账号已锁定"
        INACTIVE = "inactive", "账号已停用"
        LOGOUT = "logout", "退出"
        TIMEOUT = "timeout", "空闲超时"
        THROTTLED = "throttled", "同一地址失败过多"

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    username = models.CharField("账号", max_length=150)
    user = models.ForeignKey(
        User,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering = ["-time", "-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_outcome_display()}"


class ApiToken(models.Model):
    """A named API key of one account, for a unit's own system to call the REST API.

    Only a SHA-256 hash of the key is stored: the key itself is shown once, when it is made. A
    token stops working when it expires, is revoked, or its account is disabled, locked or
    changes its password.
    """

    user = models.ForeignKey(
        User, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=60)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}({self.prefix}…)"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return "已撤销"
        if self.expires_at <= now:
            return "已过期"
        return "有效"
