"""Numbers the platform applies, each with its source, editable without a release.

Laws and local rules change (DOMAIN.md), so no limit or threshold is written into the code: each is
declared here with a default and its source, may be overridden by a `Rule` row, and is read through
`rule_value(key)`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit
from .context import require_actor
from .models import Rule


@dataclass(frozen=True)
class RuleSpec:
    key: str
    name: str
    default: Any
    unit: str
    source: str
    category: str
    minimum: int | None = None
    maximum: int | None = None


RULES: dict[str, RuleSpec] = {}
# Which page edits which category of rules, and who may: {category: (title, capability)}.
CATEGORIES: dict[str, tuple[str, str]] = {"security": ("安全策略", "security.policy")}


def declare(spec: RuleSpec) -> RuleSpec:
    RULES[spec.key] = spec
    return spec


# Login security: 等保 2.0 (GB/T 22239-2019) 8.1.4.1 identification and authentication.
for _spec in [
    RuleSpec(
        "security.password_min_length",
        "密码最小长度",
        8,
        "个字符",
        "GB/T 22239-2019 身份鉴别:口令具有复杂度要求",
        "security",
        8,
        64,
    ),
    RuleSpec(
        "security.password_min_classes",
        "密码至少包含的字符类别数",
        3,
        "类",
        "GB/T 22239-2019 身份鉴别(大写、小写、数字、符号四类中)",
        "security",
        1,
        4,
    ),
    RuleSpec(
        "security.max_failed_logins",
        "连续登录失败锁定次数",
        5,
        "次",
        "GB/T 22239-2019 身份鉴别:登录失败处理功能",
        "security",
        3,
        20,
    ),
    RuleSpec(
        "security.lockout_minutes",
        "账号锁定时长",
        15,
        "分钟",
        "GB/T 22239-2019 身份鉴别:登录失败处理功能",
        "security",
        1,
        1440,
    ),
    RuleSpec(
        "security.api_token_days",
        "API 令牌最长有效期",
        180,
        "天",
        "GB/T 22239-2019 身份鉴别:鉴别信息定期更换",
        "security",
        1,
        730,
    ),
    RuleSpec(
        "security.login_attempts_per_ip",
        "同一 IP 每 10 分钟最多登录失败次数",
        20,
        "次",
        "GB/T 22239-2019 身份鉴别:登录失败处理功能(限制非法登录次数)",
        "security",
        5,
        1000,
    ),
    RuleSpec(
        "security.session_idle_minutes",
        "会话空闲超时",
        30,
        "分钟",
        "GB/T 22239-2019 身份鉴别:登录连接超时自动退出",
        "security",
        5,
        480,
    ),
]:
    declare(_spec)


# Rules are read on hot paths (a light per assignment); all overrides are loaded in one query and
# kept for a short while. A change made in this process clears it at once; other processes see it
# within _CACHE_SECONDS, and every background job and scheduler tick reads it afresh
# (background.forget_cached_settings), so work a change sets off never uses the old value.
_CACHE_SECONDS = 30
_cache: tuple[float, dict[str, Any]] | None = None


def _overrides() -> dict[str, Any]:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > _CACHE_SECONDS:
        _cache = (now, dict(Rule.objects.values_list("key", "value")))
    return _cache[1]


def clear_cache() -> None:
    global _cache
    _cache = None


def rule_value(key: str) -> Any:
    # The cache read inline: the checks ask for a rule several times per case, a million times in
    # a whole re-check.
    cache = _cache
    if cache is None or time.monotonic() - cache[0] > _CACHE_SECONDS:
        return _overrides().get(key, RULES[key].default)
    return cache[1].get(key, RULES[key].default)


def rules_in(category: str) -> list[tuple[RuleSpec, Any]]:
    overrides = dict(
        Rule.objects.filter(
            key__in=[k for k, s in RULES.items() if s.category == category]
        ).values_list("key", "value")
    )
    return [
        (spec, overrides.get(key, spec.default))
        for key, spec in RULES.items()
        if spec.category == category
    ]


@transaction.atomic
def rule_set(*, key: str, value: Any, note: str = "", user=None) -> Rule:
    """Change a rule's value; the old and new value go to the audit log."""
    require_actor(user)
    spec = RULES.get(key)
    if spec is None:
        raise ValidationError(f"未知的规则代码:{key}")
    if isinstance(spec.default, int) and not isinstance(spec.default, bool):
        try:
            value = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"“{spec.name}”必须是整数。") from exc
        if spec.minimum is not None and value < spec.minimum:
            raise ValidationError(f"“{spec.name}”不能小于 {spec.minimum}{spec.unit}。")
        if spec.maximum is not None and value > spec.maximum:
            raise ValidationError(f"“{spec.name}”不能大于 {spec.maximum}{spec.unit}。")
    before = rule_value(key)
    row, _ = Rule.objects.update_or_create(
        key=key, defaults={"value": value, "note": note, "updated_by": user}
    )
    clear_cache()
    audit.record(
        action="update",
        obj=row,
        before={"value": before},
        after={"value": value},
        message=f"修改规则“{spec.name}”",
    )
    return row
