"""Checking Chinese identifiers: 居民身份证号 (GB 11643) and 统一社会信用代码 (GB 32100)."""

from __future__ import annotations

import datetime

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_error(value: str) -> str | None:
    """None when `value` is a valid 18-digit ID number, else a Chinese explanation."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return f"身份证号应为 18 位,当前为 {len(value)} 位。"
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "身份证号前 17 位应为数字,最后一位为数字或 X。"
    if value[:2] in {"00"} or value[:6] == "000000":
        return "身份证号的地址码无效。"
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效。"
    if born.year < 1900 or born > datetime.date.today():
        return "身份证号中的出生日期无效。"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True)) % 11]
    if value[17] != check:
        return "身份证号校验位不正确,请核对(GB 11643)。"
    return None


def mask_middle(value: str) -> str:
    """A phone number or another identifier with only its first 3 and last 4 characters shown."""
    text = value.strip()
    return text[:3] + "*" * (len(text) - 7) + text[-4:] if len(text) > 7 else "****"


def mask_id_number(value: str) -> str:
    value = value.strip().upper()
    return f"{value[:6]}********{value[-4:]}"


# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V), check character by mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_error(value: str) -> str | None:
    """None when `value` is a valid 统一社会信用代码, else a Chinese explanation."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return f"统一社会信用代码应为 18 位,当前为 {len(value)} 位。"
    if any(c not in _USCC_CHARS for c in value):
        return "统一社会信用代码含有无效字符(不使用 I、O、Z、S、V)。"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    check = _USCC_CHARS[(31 - total % 31) % 31]
    if value[17] != check:
        return "统一社会信用代码校验位不正确,请核对(GB 32100)。"
    return None


def credit_code_complete(body: str) -> str:
    """The 18-character code for a 17-character body, with its GB 32100 check character (used to
    build test and demo enterprises; real codes come from the registration authority)."""
    body = body.strip().upper()
    if len(body) != 17 or any(c not in _USCC_CHARS for c in body):
        raise ValueError("body must be 17 characters of the GB 32100 alphabet")
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]
