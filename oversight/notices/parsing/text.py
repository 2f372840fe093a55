"""Decoding uploaded bytes and tidying lines of Chinese official text."""

from __future__ import annotations

import re
import unicodedata

from .errors import NoticeError

# CJK characters, and the full-width punctuation of official documents.
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])[ \u3000\t]+(?=[{CJK}])")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030; anything else is refused."""
    if not data or not data.strip():
        raise NoticeError("文件是空的:请上传或粘贴通知全文。")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NoticeError("无法识别文件编码:UTF-16 内容有误。") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise NoticeError("无法识别文件编码:请另存为 UTF-8 或 GBK 编码的文本后再上传。") from exc
    # GB18030 decodes almost any bytes; real Chinese text is mostly CJK characters and ASCII.
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    odd = sum(
        1 for c in text if unicodedata.category(c) in {"Co", "Cn"} or "\u0080" <= c <= "\u2fff"
    )
    if cjk == 0 or odd > cjk:
        raise NoticeError("无法识别文件编码:请另存为 UTF-8 或 GBK 编码的文本后再上传。")
    return text


# Notices write their brackets, colons, commas and semicolons full-width or half-width, and digits
# sometimes full-width; the reader's patterns are written for one form, so every line is brought to it.
_CANONICAL = str.maketrans(
    {
        "\uff08": "(",
        "\uff09": ")",
        "\uff1a": ":",
        "\uff0c": ",",
        "\uff1b": ";",
        "\uff0e": ".",
        **{chr(0xFF10 + d): str(d) for d in range(10)},
    }
)


def clean_line(line: str) -> str:
    """Strip, drop control characters, bring punctuation to one form, and close stray spaces
    inside Chinese text."""
    line = line.translate(_CANONICAL)
    if not line.isprintable():  # rare: most lines have no control or format characters
        line = "".join(c for c in line if c in "\t" or unicodedata.category(c)[0] != "C")
    line = line.replace("\u00a0", " ").strip()
    return _SPACE_BETWEEN_CJK.sub("", line)


def canonical(text: str) -> str:
    """Punctuation and digits in the reader's one form (what `clean_line` does, without tidying)."""
    return text.translate(_CANONICAL)


def split_outside_brackets(text: str, separators: str) -> list[str]:
    """Split on any of `separators` except inside (…), 〔…〕 or […]: 各县(市、区)政府 stays one."""
    parts, depth, current = [], 0, []
    for char in text:
        if char in "((〔[【《":
            depth += 1
        elif char in "))〕]】》" and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


_YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")


def shift_years(text: str, by: int, *, since: int) -> str:
    """Move every year written "YYYY年" from `since` on by `by` years: last year's notice reused as
    this year's plan. Earlier years (cited documents, 2021—2023年) stay as written."""
    if not by:
        return text

    def move(match: re.Match) -> str:
        year = int(match.group(1))
        return str(year + by) if year >= since else match.group(1)

    return _YEAR.sub(move, text)
