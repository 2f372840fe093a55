"""Input that no field accepts, and the range of dates the platform works with."""

from __future__ import annotations

import datetime
import json
import math
import re

from django.core.exceptions import ValidationError

# C0 control characters except tab, line feed and carriage return, and DEL.
INPUT_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
JSON_MAX_DEPTH = 20

# Dates outside this range are typing mistakes (9999-12-31, 0001-01-01) and would overflow the
# working-day arithmetic; every date field refuses them.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2099, 12, 31)


def validate_text(value: str) -> None:
    if isinstance(value, str) and (
        INPUT_CONTROL_CHARS.search(value) or LONE_SURROGATE.search(value)
    ):
        raise ValidationError("含有不可见的控制字符,请删除后重新输入。", code="control_chars")


# Phone numbers as people write them: spaces and dashes are ignored, +86 / 0086 may lead.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}|[2-9]\d{6,7}|[48]00\d{7}")


def _digits(value: str) -> str:
    text = re.sub(r"[\s\-()()]", "", value.strip())
    return re.sub(r"^(?:\+86|0086)", "", text)


def validate_mobile(value: str) -> None:
    """A mainland mobile number (11 digits starting 13–19)."""
    if value and not _MOBILE.fullmatch(_digits(value)):
        raise ValidationError(
            f"“{value[:20]}”不是有效的手机号:应为 11 位数字,以 13—19 开头。", code="mobile"
        )


def validate_phone(value: str) -> None:
    """A mobile number, or a landline with its area code (0714-6281234, 分机 转801 allowed)."""
    if not value:
        return
    main, has_extension, extension = value.strip().partition("转")
    core = _digits(main)
    if has_extension and not (extension.strip().isdigit() and len(extension.strip()) <= 6):
        core = ""
    if not (_MOBILE.fullmatch(core) or _LANDLINE.fullmatch(core)):
        raise ValidationError(
            f"“{value[:20]}”不是有效的电话号码:请填写 11 位手机号,或带区号的座机号码"
            "(如 0714-6281234)。",
            code="phone",
        )


def validate_platform_date(value) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if isinstance(day, datetime.date) and not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            f"日期 {day.isoformat()} 超出有效范围({DATE_MIN.year}—{DATE_MAX.year} 年),请检查年份。",
            code="date_range",
        )


class _Invalid(ValueError):
    pass


def _reject_constant(name: str):
    raise _Invalid(f"不支持数值 {name},请填写有限的数字。")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Invalid(f"数值 {text[:20]} 超出范围,请填写有限的数字。")
    return value


def check_json_text(text: str) -> str | None:
    """A Chinese message when the JSON text is unusable, else None."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except _Invalid as exc:
        return str(exc)
    except RecursionError:
        return f"JSON 嵌套层数过多(最多 {JSON_MAX_DEPTH} 层)。"
    except ValueError as exc:
        return f"JSON 格式错误:第 {getattr(exc, 'lineno', '?')} 行第 {getattr(exc, 'colno', '?')} 列附近。"
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > JSON_MAX_DEPTH:
            return f"JSON 嵌套层数过多(最多 {JSON_MAX_DEPTH} 层)。"
        if isinstance(node, dict):
            for key, value in node.items():
                if INPUT_CONTROL_CHARS.search(key) or LONE_SURROGATE.search(key):
                    return "字段名含有无效字符。"
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)
        elif isinstance(node, str) and (
            INPUT_CONTROL_CHARS.search(node) or LONE_SURROGATE.search(node)
        ):
            return "内容含有不可见的控制字符或无效的 Unicode 字符(孤立代理项),请删除后重试。"
    return None
