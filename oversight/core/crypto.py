"""Encrypting personal data at rest (ID numbers) and keyed hashes to find or de-duplicate it.

The key is FIELD_ENCRYPTION_KEY (a Fernet key: 32 random bytes, URL-safe Base64); production refuses
to start without one. Demo and test derive one from SECRET_KEY so they need no set-up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=1)
def _key() -> bytes:
    key = settings.FIELD_ENCRYPTION_KEY
    if key:
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEY 格式不正确:应为 Fernet 密钥(32 字节随机数的 URL 安全 Base64)。"
            ) from exc
        return key.encode()
    return base64.urlsafe_b64encode(
        hashlib.sha256(f"field-key:{settings.SECRET_KEY}".encode()).digest()
    )


def encrypt(text: str) -> str:
    return Fernet(_key()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return Fernet(_key()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "无法解密:FIELD_ENCRYPTION_KEY 与加密时使用的密钥不一致。"
        ) from exc


def keyed_hash(text: str) -> str:
    """Stable HMAC-SHA256 of a value, for unique constraints and look-ups without decrypting."""
    return hmac.new(_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
