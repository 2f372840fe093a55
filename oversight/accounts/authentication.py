"""REST API authentication by hashed, expiring, revocable tokens (`Authorization: Token <key>`)."""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from oversight.core import context

from .models import ApiToken

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_refusal(token: ApiToken, now: datetime.datetime) -> str | None:
    """Why a stored token cannot be used now, in Chinese; None when it can."""
    user = token.user
    if token.revoked_at is not None:
        return "令牌已撤销。"
    if token.expires_at <= now:
        return "令牌已过期,请生成新令牌。"
    if not user.is_active:
        return "令牌所属账号已停用。"
    if user.is_locked(now):
        return "令牌所属账号已锁定。"
    if user.password_changed_at and user.password_changed_at > token.created_at:
        return "令牌所属账号已修改密码,原令牌失效,请生成新令牌。"
    return None


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in {"token", "bearer"}:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "令牌格式错误:请求头应为 Authorization: Token 令牌。"
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("令牌格式错误。") from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效。")
        now = timezone.now()
        refusal = token_refusal(token, now)
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # Writes made with the token are audited as its account, through the token.
        context.bind_user(token.user, via=f"API 令牌“{token.name}”(#{token.pk})")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the API documentation (/api/docs/) describes the token."""

    target_class = "oversight.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "在“系统管理 → API 令牌”生成;请求头写作 `Token <令牌>`。",
        }
