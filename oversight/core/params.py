"""Reading values from a page's query string: a value that does not parse is a Chinese 400 that
says what to fix, never a server error."""

from __future__ import annotations

import datetime

from django.core.exceptions import BadRequest

from .validation import DATE_MAX, DATE_MIN

# The largest id a database column holds (bigint).
MAX_ID = 2**63 - 1


class BadParameter(BadRequest):
    """A query-string value the page cannot use; the message is shown to the user."""


def year_param(request, name: str = "year", *, default: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        year = int(raw)
    except ValueError as exc:
        raise BadParameter(f"年份“{raw[:20]}”不是数字,请填写四位年份,例如 {default}。") from exc
    if not DATE_MIN.year <= year <= DATE_MAX.year:
        raise BadParameter(f"年份应在 {DATE_MIN.year} 至 {DATE_MAX.year} 之间,收到的是 {year}。")
    return year


def id_param(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise BadParameter(f"参数 {name} 应为对象编号(正整数),收到的是“{raw[:20]}”。")
    return int(raw)


def id_param_value(raw) -> int | None:
    """An object id posted in a form, or None when it is not one (then nothing matches it)."""
    text = str(raw or "")
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None


def date_param(request, name: str) -> datetime.date | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise BadParameter(f"日期“{raw[:20]}”格式有误,应为 YYYY-MM-DD。") from exc
    if not DATE_MIN <= day <= DATE_MAX:
        raise BadParameter(f"日期应在 {DATE_MIN.year} 至 {DATE_MAX.year} 年之间。")
    return day
