"""Checking an enforcement act against the three systems and the statutory time limits.

Each rule reads its numbers through `rule_value` (with the legal source declared in `rules.py`) and
yields findings: yellow before a limit, red once it is breached. `check()` also returns the next
date on which a time-based finding could change without the case changing, so the scheduler
re-checks only cases whose limits come due (`Case.next_check_on`).
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from oversight.core.calendar import add_workdays, is_workday, workdays_between, year_is_known
from oversight.core.rules import RULES, rule_value
from oversight.enforcement.guards import certificate_valid_on

from .rules import CATALOG_SOURCE, RECORDS_SOURCE, REQUIRED_RECORDS


class Result(NamedTuple):
    """One finding of a check (a tuple: a re-check of a million cases makes a million of them)."""

    rule: str
    level: str  # "yellow" or "red"
    message: str
    source: str
    due: datetime.date | None = None


# The columns of a case the rules read (as `c.<column>` or `case.<column>` below, and
# `Case.act_date`). A whole re-check reads only these (`services.CaseRow`): a rule that reads
# another column must name it here, and `test_checks_read_only_the_declared_columns` says so.
CASE_COLUMNS = (
    "act_type", "procedure", "party_kind", "catalog_item_id", "filed_on", "notified_on",
    "hearing_requested_on", "hearing_notified_on", "hearing_held_on", "hearing_withdrawn_on",
    "preserved_on", "preservation_decided_on", "legal_review_on", "decided_on", "served_on",
    "closed_on", "fine_amount", "is_major", "complex_case", "involves_enterprise",
    "suspected_crime", "published_on", "decision_changed_on", "publication_withdrawn_on",
    "credit_repair_notice_on", "impact_assessed_on", "crime_found_on", "crime_reported_on",
    "transfer_decided_on", "transfer_approved_at", "transferred_at",
)  # fmt: skip


def _source(key: str) -> str:
    return RULES[key].source


def calendar_period_end(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period counted in calendar days (the 90 days of 第60条, …). When it falls
    on a statutory rest day, the period ends on the next working day (民法典 第203条; a rule that
    can be switched off). Periods counted in working days are not affected."""
    end = start + datetime.timedelta(days=days)
    if rule_value("cases.period_end_holiday_rollover"):
        while not is_workday(end):
            end += datetime.timedelta(days=1)
    return end


def hearing_request_late(case) -> datetime.date | None:
    """The end of the hearing-request window when the party asked after it (第64条: 5 working
    days after the notice); such a request does not hold the decision up. None otherwise."""
    if case.notified_on is None or case.hearing_requested_on is None:
        return None
    ends = add_workdays(case.notified_on, rule_value("cases.hearing_request_workdays"))
    return ends if case.hearing_requested_on > ends else None


NOTICE_SOURCE = (
    "《行政处罚法》第44条:作出行政处罚决定之前,应当告知当事人拟作出的行政处罚内容及事实、理由、依据和陈述、申辩、"
    "要求听证等权利;第62条:未告知的,不得作出行政处罚决定"
)
HEARING_SOURCE = (
    "《行政处罚法》第63条至第65条:当事人要求听证的,应当组织听证;听证结束后,根据听证笔录作出决定"
)
CRIME_PENALTY_SOURCE = (
    "国务院令第310号《行政执法机关移送涉嫌犯罪案件的规定》第11条:不得以行政处罚代替移送"
)


class Frame:
    """What the checks of one batch share: each rule's value and each working-day sum worked out
    once (a million cases fall on a few hundred decision dates). A batch reads one set of rules
    and one calendar, as a single check always did; a change made meanwhile sets off its own
    re-check. Each is the function itself behind a cache that lives as long as the frame."""

    __slots__ = ("after", "known", "period_end", "rule", "valid")

    def __init__(self, valid: dict[tuple[int, datetime.date], bool] | None = None) -> None:
        self.rule = functools.cache(rule_value)
        self.after = functools.cache(add_workdays)
        self.period_end = functools.cache(calendar_period_end)
        self.known = functools.cache(year_is_known)
        # Whether an officer held a valid certificate on a day, by (officer id, day). It derives
        # from the officers' certificates alone, so it may outlive the frame: a re-check passes
        # the one its `services.OfficerCache` keeps with those certificates.
        self.valid = {} if valid is None else valid


class _Checker:
    __slots__ = (
        "_ordinary", "after", "case", "extensions", "frame", "known", "next_dates", "next_instants",
        "officers", "period_end", "records", "results", "rule", "today",
    )  # fmt: skip

    def __init__(self, case, today: datetime.date, officers, records, extensions, frame: Frame):
        self.case = case
        self.frame = frame
        self.rule, self.after = frame.rule, frame.after
        self.period_end, self.known = frame.period_end, frame.known
        self._ordinary: bool | None = None
        self.today = today
        self.officers = officers  # [(officer, [certificates with their status events])]
        self.records = records
        self.extensions = extensions
        self.results: list[Result] = []
        self.next_dates: list[datetime.date] = []
        # Limits measured in hours (the 24-hour transfer): the day they pass is re-checked every
        # hour until then, so the case turns red within the hour, not the next day.
        self.next_instants: list[datetime.datetime] = []

    def add(self, rule: str, level: str, message: str, source: str, due=None):
        self.results.append(Result(rule, level, message, source, due))

    def deadline(self, rule, label, due, done_on, source, *, workday_warning=True):
        """A limit: red if done late or still open past `due`; yellow when close; else nothing.
        A limit in a year whose holiday arrangement is not yet published says it is estimated."""
        if not self.known(due.year):
            label = f"{label}(按估算日历:{due.year} 年放假安排未公布)"
        if done_on is not None:
            if done_on > due:
                self.add(
                    rule,
                    "red",
                    f"{label}超过期限:应于 {due.isoformat()} 前,实际 {done_on.isoformat()}",
                    source,
                    due,
                )
            return
        if self.today > due:
            self.add(rule, "red", f"{label}已超过期限({due.isoformat()})", source, due)
            return
        if workday_warning:
            warn = self.rule("cases.warning_workdays")
            yellow_from = self.after(due, -warn) if warn else due
        else:
            yellow_from = due - datetime.timedelta(days=self.rule("cases.decision_warning_days"))
        if self.today >= yellow_from:
            self.add(rule, "yellow", f"{label}期限将至({due.isoformat()})", source, due)
        else:
            self.next_dates.append(yellow_from)
        self.next_dates.append(due + datetime.timedelta(days=1))

    def ordinary(self) -> bool:
        """Checked as ordinary procedure: recorded so, or a simple procedure beyond its limits.
        (Asked by three rules of each case: worked out once.)"""
        if self._ordinary is None:
            c = self.case
            self._ordinary = c.procedure == "ordinary" or self.simple_beyond_limits()
        return self._ordinary

    def simple_beyond_limits(self) -> bool:
        c = self.case
        if c.procedure != "simple" or c.fine_amount is None:
            return False
        key = (
            "cases.simple_fine_org"
            if c.party_kind == "organisation"
            else "cases.simple_fine_person"
        )
        return c.fine_amount > Decimal(self.rule(key))

    def hearing_window_ends(self) -> datetime.date | None:
        c = self.case
        if c.notified_on is None:
            return None
        return self.after(c.notified_on, self.rule("cases.hearing_request_workdays"))

    def hearing_requested_in_time(self) -> bool:
        c = self.case
        ends = self.hearing_window_ends()
        return c.hearing_requested_on is not None and (
            ends is None or c.hearing_requested_on <= ends
        )

    # -- the rules -----------------------------------------------------------------------------
    def officers_rule(self):
        c = self.case
        day = c.act_date
        if day is None:
            return
        minimum = self.rule("cases.min_officers")
        if len(self.officers) < minimum:
            self.add(
                "officers",
                "red",
                f"执法人员 {len(self.officers)} 人,少于 {minimum} 人",
                _source("cases.min_officers"),
            )
        # One pass over the officers. Validity on the day is remembered (`Frame.valid`: for a
        # whole re-check, as long as its officers' certificates): cases share their officers,
        # and many fall on the same day.
        valid = self.frame.valid
        invalid, gone, unsure = [], [], []
        for officer, certificates in self.officers:
            key = (officer.id, day)  # the field, not Django's generic `pk` property
            ok = valid.get(key) if officer.id is not None else None
            if ok is None:
                ok = valid[key] = any(
                    certificate_valid_on(cert, events, day) for cert, events in certificates
                )
            if not ok:
                invalid.append(officer.name)
            # Someone who had retired, transferred or resigned by the day could not act as an
            # officer, whatever their certificate still says.
            if officer.status != "on_duty":
                if officer.left_on is None:
                    unsure.append(f"{officer.name}({officer.get_status_display()})")
                elif officer.left_on <= day:
                    gone.append(
                        f"{officer.name}({officer.get_status_display()},"
                        f"{officer.left_on.isoformat()} 离岗)"
                    )
        if invalid:
            self.add(
                "certificates",
                "red",
                f"{'、'.join(invalid)} 在 {day.isoformat()} 未持有效执法证",
                _source("cases.min_officers"),
            )
        if gone or unsure:
            # One finding per rule: an officer gone by the day (red) and one whose leaving date
            # is not recorded (yellow) are said together, at the graver level.
            said = []
            if gone:
                said.append(
                    f"{'、'.join(gone)} 在 {day.isoformat()} 已不在执法岗位,不能作为本案执法人员"
                )
            if unsure:
                said.append(
                    f"{'、'.join(unsure)} 已不在执法岗位,离岗日期未登记:请核实办案时是否在岗"
                )
            self.add(
                "officer_left",
                "red" if gone else "yellow",
                "；".join(said),
                _source("cases.min_officers"),
            )

    def publicity_rule(self):
        c = self.case
        if c.decided_on is None:
            return
        key = (
            "cases.publicity_workdays_penalty_permit"
            if c.act_type in {"penalty", "permit"}
            else "cases.publicity_workdays_other"
        )
        due = self.after(c.decided_on, self.rule(key))
        self.deadline("publicity", "执法决定公示", due, c.published_on, _source(key))

    def withdrawal_rule(self):
        c = self.case
        if c.decision_changed_on is None or c.published_on is None:
            return
        due = self.after(c.decision_changed_on, self.rule("cases.withdraw_workdays"))
        self.deadline(
            "withdrawal",
            "变更或撤销后撤下公示",
            due,
            c.publication_withdrawn_on,
            _source("cases.withdraw_workdays"),
        )

    def catalog_rule(self):
        """A case must rest on an item in force in its unit's catalogue on the day it acted."""
        c = self.case
        day = c.decided_on or c.filed_on
        if c.catalog_item_id is None or day is None:
            return
        versions = list(c.catalog_item.versions.all())
        if not any(
            v.valid_from <= day and (v.valid_to is None or v.valid_to > day) for v in versions
        ):
            self.add(
                "catalog",
                "red",
                f"所依据的执法事项 {c.catalog_item.code} 在 {day.isoformat()} 不在有效的执法事项清单中(已取消或尚未生效)",
                CATALOG_SOURCE,
            )

    def records_rule(self):
        c = self.case
        if c.decided_on is None and c.closed_on is None:
            return
        present = {r.kind for r in self.records}
        missing = REQUIRED_RECORDS.get(c.act_type, set()) - present
        if missing:
            names = {"document": "文字记录", "audio_video": "音像记录"}
            self.add(
                "records",
                "red",
                f"缺少全过程记录:{'、'.join(names.get(m, m) for m in sorted(missing))}",
                RECORDS_SOURCE,
            )

    def legal_review_rule(self):
        c = self.case
        required = c.is_major or c.hearing_held_on is not None or c.complex_case
        if not required or c.act_type not in {
            "penalty",
            "coercion",
            "permit",
            "levy",
            "requisition",
        }:
            return
        source = "《行政处罚法》第58条:涉及重大公共利益、经过听证程序、案情复杂涉及多个法律关系等情形,作出决定前应当进行法制审核"
        if c.decided_on is not None:
            if c.legal_review_on is None or c.legal_review_on > c.decided_on:
                self.add("legal_review", "red", "重大执法决定未在决定前经法制审核", source)
        elif c.legal_review_on is None:
            self.add("legal_review", "yellow", "须在作出决定前完成法制审核", source)

    def decision_rule(self):
        """90 days from 立案, longer by each extension approved before the limit then in force
        ran out: a late approval does not cure the breach (第60条)."""
        c = self.case
        if c.act_type != "penalty" or not self.ordinary() or c.filed_on is None:
            return
        source = _source("cases.decision_days")
        days = self.rule("cases.decision_days")
        due = self.period_end(c.filed_on, days)
        for extension in sorted(self.extensions, key=lambda e: e.approved_on):
            if extension.approved_on <= due:
                days += extension.days
                due = self.period_end(c.filed_on, days)
            else:
                self.add(
                    "extension",
                    "red",
                    f"延长期限于 {extension.approved_on.isoformat()} 批准,晚于原期限({due.isoformat()}),不能补正超期",
                    source,
                    due,
                )
                break  # later approvals are later still
        self.deadline(
            "decision", "立案后作出处罚决定", due, c.decided_on, source, workday_warning=False
        )

    def service_rule(self):
        c = self.case
        if c.act_type != "penalty" or c.decided_on is None:
            return
        if c.procedure == "simple" and not self.simple_beyond_limits():
            # 第52条: a simple-procedure decision is handed to the party on the spot.
            if c.served_on is not None and c.served_on != c.decided_on:
                self.add(
                    "service",
                    "red",
                    f"简易程序处罚决定书应当场交付,实际 {c.served_on.isoformat()} 才送达",
                    "《行政处罚法》第52条:当场作出的行政处罚决定书应当当场交付当事人",
                )
            return
        due = self.after(c.decided_on, self.rule("cases.service_workdays"))
        self.deadline(
            "service", "处罚决定书送达", due, c.served_on, _source("cases.service_workdays")
        )

    def simple_procedure_rule(self):
        c = self.case
        if self.simple_beyond_limits():
            key = (
                "cases.simple_fine_org"
                if c.party_kind == "organisation"
                else "cases.simple_fine_person"
            )
            self.add(
                "simple_procedure",
                "red",
                f"罚款 {c.fine_amount} 元超过简易程序上限 {self.rule(key)} 元,应适用普通程序",
                _source(key),
            )

    def notice_rule(self):
        """No ordinary-procedure penalty without the 告知 of facts, reasons, basis and rights."""
        c = self.case
        if c.act_type != "penalty" or not self.ordinary():
            return
        if c.decided_on is not None and (c.notified_on is None or c.notified_on > c.decided_on):
            self.add(
                "notice",
                "red",
                "作出处罚决定前未告知当事人拟处罚的内容、理由、依据和权利",
                NOTICE_SOURCE,
            )

    def preservation_rule(self):
        c = self.case
        if c.preserved_on is None:
            return
        key = "cases.preservation_decision_workdays"
        due = self.after(c.preserved_on, self.rule(key))
        self.deadline(
            "preservation",
            "对先行登记保存的物品作出处理决定",
            due,
            c.preservation_decided_on,
            _source(key),
        )

    def hearing_rule(self):
        """The hearing notice reaches the party at least 7 working days before the hearing."""
        c = self.case
        if c.hearing_held_on is None:
            return
        days = self.rule("cases.hearing_notice_days")
        latest = self.after(c.hearing_held_on, -days)
        if c.hearing_notified_on is None or c.hearing_notified_on > latest:
            self.add(
                "hearing_notice",
                "red",
                f"未在举行听证 {days} 个工作日前({latest.isoformat()} 前)通知当事人",
                _source("cases.hearing_notice_days"),
                latest,
            )

    def hearing_window_rule(self):
        """The party has 5 working days after the notice to ask for a hearing. No decision inside
        that window; a request made in time must be heard (or withdrawn) before the decision. A
        request made after the window does not hold the decision up."""
        c = self.case
        if c.act_type != "penalty" or not self.ordinary() or c.notified_on is None:
            return
        if c.decided_on is None:
            return
        window_ends = self.hearing_window_ends()
        source = _source("cases.hearing_request_workdays")
        if self.hearing_requested_in_time():
            if c.hearing_withdrawn_on is not None and c.hearing_withdrawn_on <= c.decided_on:
                return
            if c.hearing_held_on is None:
                self.add(
                    "hearing",
                    "red",
                    "当事人已在期限内申请听证,未举行听证即作出决定",
                    HEARING_SOURCE,
                )
            elif c.decided_on < c.hearing_held_on:
                self.add(
                    "hearing",
                    "red",
                    f"在举行听证({c.hearing_held_on.isoformat()})之前作出决定",
                    HEARING_SOURCE,
                )
        elif c.decided_on <= window_ends and (
            c.hearing_requested_on is None or c.hearing_requested_on > window_ends
        ):
            self.add(
                "hearing_window",
                "red",
                f"在当事人申请听证期限({window_ends.isoformat()})届满前作出决定",
                source,
                window_ends,
            )

    def crime_rule(self):
        c = self.case
        if not c.suspected_crime:
            return
        if c.act_type == "penalty" and c.decided_on is not None and c.transfer_decided_on is None:
            self.add(
                "crime_penalty",
                "red",
                "涉嫌犯罪案件未作出是否移送的决定即作出行政处罚决定",
                CRIME_PENALTY_SOURCE,
            )
        # 第5条: the 3 days run from the report to the head of the agency (the discovery date
        # stands in until the report is recorded).
        start = c.crime_reported_on or c.crime_found_on
        if start is None:
            return
        due = self.after(start, self.rule("cases.crime_decision_days"))
        self.deadline(
            "crime_decision",
            "涉嫌犯罪案件作出移送决定",
            due,
            c.transfer_decided_on,
            _source("cases.crime_decision_days"),
        )
        if c.transfer_approved_at is not None:
            limit = c.transfer_approved_at + datetime.timedelta(
                hours=self.rule("cases.crime_transfer_hours")
            )
            source = _source("cases.crime_transfer_hours")
            if c.transferred_at is not None:
                if c.transferred_at > limit:
                    self.add(
                        "crime_transfer", "red", "批准移送后超过 24 小时才移送公安机关", source
                    )
            elif timezone.now() > limit:
                self.add("crime_transfer", "red", "批准移送后超过 24 小时仍未移送公安机关", source)
            else:
                self.add(
                    "crime_transfer",
                    "yellow",
                    f"须于 {timezone.localtime(limit):%m-%d %H:%M} 前移送公安机关",
                    source,
                )
                self.next_instants.append(limit)

    def two_letters_rule(self):
        c = self.case
        if c.act_type != "penalty" or not c.involves_enterprise or c.served_on is None:
            return
        if c.credit_repair_notice_on is None or c.credit_repair_notice_on > c.served_on:
            self.add(
                "two_letters",
                "red",
                "行政处罚决定书未与信用修复告知书同时送达(双书同达)",
                "种子通知任务6:建立“双书同达”企业行政处罚信息公示和信用修复机制",
            )

    def impact_rule(self):
        c = self.case
        if not c.involves_enterprise or c.fine_amount is None:
            return
        key = (
            "cases.impact_threshold_org"
            if c.party_kind == "organisation"
            else "cases.impact_threshold_person"
        )
        if c.fine_amount < Decimal(self.rule(key)):
            return
        source = f"{_source(key)};种子通知任务6:严格落实涉企行政执法案件经济影响评估制度"
        if c.decided_on is not None:
            if c.impact_assessed_on is None or c.impact_assessed_on > c.decided_on:
                self.add(
                    "impact",
                    "red",
                    f"罚款 {c.fine_amount} 元达到门槛,决定前未做经济影响评估",
                    source,
                )
        elif c.impact_assessed_on is None:
            self.add(
                "impact",
                "yellow",
                f"罚款 {c.fine_amount} 元达到门槛,须在决定前做经济影响评估",
                source,
            )


RULE_ORDER = (
    "catalog_rule", "officers_rule", "publicity_rule", "withdrawal_rule", "records_rule", "legal_review_rule", "simple_procedure_rule",
    "notice_rule", "decision_rule", "service_rule", "preservation_rule", "hearing_rule", "hearing_window_rule",
    "crime_rule", "two_letters_rule", "impact_rule",
)  # fmt: skip


_RULES = tuple(getattr(_Checker, name) for name in RULE_ORDER)


def check(
    case, today: datetime.date, *, officers, records, extensions, frame: Frame | None = None
) -> tuple[list[Result], datetime.date | None]:
    """The findings of one case today, and the next date they could change by time alone.
    The checks of a batch share one `Frame`."""
    checker = _Checker(case, today, officers, records, extensions, frame or Frame())
    for rule in _RULES:
        rule(checker)
    upcoming = [d for d in checker.next_dates if d > today]
    if checker.next_instants:
        # An hour limit later today keeps the case due today: the hourly re-check reads it again.
        now = timezone.now()
        upcoming += [max(timezone.localdate(t), today) for t in checker.next_instants if t > now]
    return checker.results, (min(upcoming) if upcoming else None)


def light_of(results: list[Result]) -> str:
    levels = {r.level for r in results}
    return "red" if "red" in levels else ("yellow" if "yellow" in levels else "green")


def workdays_late(due: datetime.date, today: datetime.date) -> int:
    return max(0, workdays_between(due, today))
