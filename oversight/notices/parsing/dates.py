"""Deadlines and dated duties as notices write them.

Absolute: 2024年11月15日, 2024年10月底, 2024年底, 2024年11月(前) (the month's end).
Relative to the notice's year: 3月底前, 4月上旬, 5月中旬前, 6月下旬, 7月15日前, 年底前, 年内.
Standing: 长期坚持, 持续推进, 常态化推进. From an event: 于变化之日起30日内 (no fixed date).
Recurring: 每年2月底前 (yearly).
"""

from __future__ import annotations

import calendar
import datetime
import re

from .model import Deadline, Milestone

NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
YEAR = r"(20\d{2}|19\d{2})\s*年"

STANDING = re.compile(r"长期坚持|持续推进|长期推进|常态化(推进|开展)?|持续开展|长期执行")
# A reporting cadence in the deadline cell (每季度, 每月, 每半年): a standing task that reports
# periodically; "全年" alone means by the end of the year.
CADENCE = re.compile(r"^(每季度|每月|每半年|按季度|按月)(报送|调度|通报)?(进展|情况)?$")
WHOLE_YEAR = re.compile(r"^(?:(20\d{2}|19\d{2})\s*年)?(全年|全年度|年度内|本年度内?)$")
# 上半年, 第三季度, 2019年下半年: the end of that half or quarter.
PERIOD_OF_YEAR = re.compile(
    r"(?:(20\d{2}|19\d{2})\s*年)?(?:度)?\s*(上半年|下半年|(?:第)?([一二三四1-4])季度(?:末)?)(?:前|内|底)?"
)
# "2025年3月至11月", "7月—9月": a period; the task is due at its end.
RANGE = re.compile(
    r"^(?:(20\d{2}|19\d{2})\s*年)?\s*(\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?\s*(?:至|到|—|-|~|～)\s*"
    r"(?:(20\d{2}|19\d{2})\s*年)?\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日|底|末)?\s*(?:前|止)?$"
)
EVENT_PERIOD = re.compile(
    r"(?:于|自|在)?([^,。;,;]{1,20}?之日起)\s*(\d+|[一二三四五六七八九十]+)\s*(个工作日|个月|日|天)内"
)

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN[text[1]]
    if text.endswith("十"):
        return _CN[text[0]] * 10
    if "十" in text:
        tens, ones = text.split("十")
        return _CN[tens] * 10 + _CN[ones]
    return _CN[text]


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# Ordered: the most specific phrase first. Each pattern yields (date, consumed span).
_ABSOLUTE = [
    (re.compile(YEAR + r"\s*" + NUM + r"\s*月\s*" + NUM + r"\s*日"), "ymd"),
    (re.compile(YEAR + r"\s*" + NUM + r"\s*月\s*(上旬|中旬|下旬|底|末)"), "ym_part"),
    (re.compile(YEAR + r"\s*(?:年底|底|年末|末)"), "y_end"),
    (re.compile(YEAR + r"\s*" + NUM + r"\s*月(?!\s*\d)"), "ym"),
]
_RELATIVE = [
    (re.compile(r"(?<![\d年])" + NUM + r"\s*月\s*" + NUM + r"\s*日"), "md"),
    (re.compile(r"(?<![\d年])" + NUM + r"\s*月\s*(上旬|中旬|下旬|底|末)"), "m_part"),
    (re.compile(r"(?<![\d年])" + NUM + r"\s*月(?:份)?前"), "m"),
    (re.compile(r"(?<!\d)(年底|年末|年内|今年底|本年度内|年度内)"), "year_end"),
]


def _part_day(year: int, month: int, part: str) -> datetime.date:
    if part == "上旬":
        return datetime.date(year, month, 10)
    if part == "中旬":
        return datetime.date(year, month, 20)
    return month_end(year, month)


def find_dates(text: str, year: int | None) -> list[tuple[datetime.date | None, int, int, str]]:
    """Every date phrase in `text` as (date, start, end, phrase), in order.

    A phrase relative to the notice's year gets None as date when the year is unknown.
    """
    found: list[tuple[datetime.date | None, int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for pattern, kind in _ABSOLUTE + _RELATIVE:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            date: datetime.date | None = None
            g = m.groups()
            try:
                if kind == "ymd":
                    date = _safe_date(int(g[0]), cn_number(g[1]), cn_number(g[2]))
                elif kind == "ym_part":
                    date = _part_day(int(g[0]), cn_number(g[1]), g[2])
                elif kind == "y_end":
                    date = datetime.date(int(g[0]), 12, 31)
                elif kind == "ym":
                    date = month_end(int(g[0]), cn_number(g[1]))
                elif year is not None and kind == "md":
                    date = _safe_date(year, cn_number(g[0]), cn_number(g[1]))
                elif year is not None and kind == "m_part":
                    date = _part_day(year, cn_number(g[0]), g[1])
                elif year is not None and kind == "m":
                    date = month_end(year, cn_number(g[0]))
                elif year is not None and kind == "year_end":
                    date = datetime.date(year, 12, 31)
            except (ValueError, KeyError):
                continue
            if kind[0] == "y" and date is None:  # an impossible date such as 2024年2月30日
                continue
            taken.append((m.start(), m.end()))
            found.append((date, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda item: item[1])
    return found


def parse_deadline_cell(cell: str, year: int | None) -> tuple[list[Deadline], list[Milestone]]:
    """The 完成时限 cell: dates, standing, and periods from an event (as undated milestones).

    A date broken over lines ("2024年", "8月15日") is joined first; several deadlines in one cell
    ("2024年10月底 2025年9月底") each become one.
    """
    text = re.sub(r"\s+", "", cell)
    deadlines: list[Deadline] = []
    milestones: list[Milestone] = []
    if STANDING.search(text):
        deadlines.append(Deadline(standing=True, text=STANDING.search(text).group(0)))
    elif CADENCE.match(text):
        deadlines.append(Deadline(standing=True, text=text))
    for m in EVENT_PERIOD.finditer(text):
        milestones.append(
            Milestone(date=None, text=m.group(0), period=f"{m.group(1)}{m.group(2)}{m.group(3)}内")
        )
    span = RANGE.match(text)
    if span and (span.group(3) or span.group(1) or year):
        end_year = int(span.group(3) or span.group(1) or year)
        month = int(span.group(4))
        end = (
            _safe_date(end_year, month, int(span.group(5)))
            if span.group(5)
            else month_end(end_year, month)
            if 1 <= month <= 12
            else None
        )
        if end is not None:
            deadlines.append(Deadline(date=end, text=text))
            return deadlines, milestones
    for date, _, _, phrase in find_dates(text, year):
        if date is not None:
            deadlines.append(Deadline(date=date, text=phrase))
    if not deadlines:
        for m in PERIOD_OF_YEAR.finditer(text):
            period_year = int(m.group(1)) if m.group(1) else year
            if period_year is None:
                continue
            deadlines.append(
                Deadline(date=_period_end(period_year, m.group(2), m.group(3)), text=m.group(0))
            )
    whole = WHOLE_YEAR.match(text)
    if not deadlines and whole and (whole.group(1) or year is not None):
        deadlines.append(
            Deadline(date=datetime.date(int(whole.group(1) or year), 12, 31), text=text)
        )
    return deadlines, milestones


def _period_end(year: int, period: str, quarter: str | None) -> datetime.date:
    if quarter:
        number = int(quarter) if quarter.isdigit() else cn_number(quarter)
        return month_end(year, number * 3)
    return datetime.date(year, 6, 30) if period == "上半年" else datetime.date(year, 12, 31)


def is_deadline_cell(line: str) -> bool:
    """A line of the 完成时限 column: a date phrase or a standing phrase and little else."""
    text = re.sub(r"\s+", "", line)
    if not text or len(text) > 40 or "。" in text:
        return False
    if re.fullmatch(YEAR.replace(r"\s*", ""), text):  # "2024年", the first half of a broken date
        return True
    if re.fullmatch(NUM + r"月" + NUM + r"日(前)?", text):  # "8月15日", its second half
        return True
    if RANGE.match(text) or WHOLE_YEAR.match(text) or CADENCE.match(text):
        return True
    rest = STANDING.sub("", text)
    rest = EVENT_PERIOD.sub("", rest)
    rest = PERIOD_OF_YEAR.sub("", rest)
    for _, start, end, _ in sorted(find_dates(rest, 2000), key=lambda x: -x[1]):
        rest = rest[:start] + rest[end:]
    rest = re.sub(r"[前止内,,、;;和及至—\-~/或以]", "", rest)
    return rest == "" and rest != text


RECURRING = re.compile(
    r"每年(?:度)?\s*"
    + NUM
    + r"\s*月\s*(?:("
    + r"\d{1,2}"
    + r")\s*日|(底|末|上旬|中旬|下旬))?\s*前?"
)
_SENTENCE = re.compile(r"[^。;;!?]+[。;;!?]?")


_CLAUSE = re.compile(r"[^,,]+[,,]?")


def _clause_at(sentence: str, position: int) -> str:
    """The clause of `sentence` holding `position`, with the next one when it is only a date."""
    clauses = [(m.start(), m.end(), m.group(0)) for m in _CLAUSE.finditer(sentence)]
    for i, (start, end, clause) in enumerate(clauses):
        if start <= position < end:
            text = clause.rstrip(",,")
            bare = re.sub(r"[\d年月日底前末到至于在\s]", "", text)
            if len(bare) < 4 and i + 1 < len(clauses):
                text = text + "," + clauses[i + 1][2].rstrip(",,")
            return text.strip()
    return sentence


def milestones_in_text(text: str, year: int | None) -> list[Milestone]:
    """Dated and recurring duties written inside a task's text, one per clause and date."""
    found: list[Milestone] = []
    for sentence_match in _SENTENCE.finditer(text):
        sentence = sentence_match.group(0).strip().rstrip("。;;")
        if not sentence:
            continue
        recurring_spans = []
        for m in RECURRING.finditer(sentence):
            month = cn_number(m.group(1))
            if not 1 <= month <= 12:
                continue
            day_text = m.group(2)
            part = m.group(3)
            if day_text:
                day: int | None = int(day_text)
            elif part in {"上旬", "中旬"}:
                day = 10 if part == "上旬" else 20
            else:
                day = None  # the month's end, which moves with leap years
            month_day = f"{month:02d}-{day:02d}" if day else f"{month:02d}-月末"
            first = None
            if year is not None:
                first = (_safe_date(year, month, day) if day else None) or month_end(year, month)
            found.append(
                Milestone(
                    date=first,
                    text=_clause_at(sentence, m.start()),
                    recurrence="yearly",
                    month_day=month_day,
                )
            )
            recurring_spans.append((m.start(), m.end()))
        for m in EVENT_PERIOD.finditer(sentence):
            found.append(
                Milestone(
                    date=None,
                    text=_clause_at(sentence, m.start()),
                    period=f"{m.group(1)}{m.group(2)}{m.group(3)}内",
                )
            )
        for date, start, _end, _ in find_dates(sentence, year):
            if any(a <= start < b for a, b in recurring_spans):
                continue
            if date is None:
                continue
            # A date inside a cited document's title or number is not a duty: 《…(2023—2025年)》.
            before = sentence[:start]
            if before.count("《") > before.count("》") or before.count("(") > before.count(")"):
                continue
            found.append(Milestone(date=date, text=_clause_at(sentence, start)))
    return found
