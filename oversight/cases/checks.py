"""Checking an enforcement act against the three systems and the statutory time limits.

Each rule reads its numbers through `rule_value` (with the legal source declared in `rules.py`) and
yields findings: yellow before a limit, red once it is breached. `check()` also returns the next
date on which a time-based finding could change without the case changing, so the scheduler
re-checks only cases whose limits come due (`Case.next_check_on`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from oversight.core.calendar import add_workdays, workdays_between
from oversight.core.rules import RULES, rule_value

from .rules import RECORDS_SOURCE, REQUIRED_RECORDS


@dataclass(frozen=True)
class Result:
    rule: str
    level: str  # "yellow" or "red"
    message: str
    source: str
    due: datetime.date | None = None


def _source(key: str) -> str:
    return RULES[key].source


class _Checker:
    def __init__(self, case, today: datetime.date, officers, records, extensions):
        self.case = case
        self.today = today
        self.officers = officers  # [(officer, [certificates with their status events])]
        self.records = records
        self.extensions = extensions
        self.results: list[Result] = []
        self.next_dates: list[datetime.date] = []

    def add(self, rule: str, level: str, message: str, source: str, due=None):
        self.results.append(Result(rule, level, message, source, due))

    def deadline(self, rule, label, due, done_on, source, *, workday_warning=True):
        """A limit: red if done late or still open past `due`; yellow when close; else nothing."""
        if done_on is not None:
            if done_on > due:
                self.add(
                    rule,
                    "red",
                    f"{label}超过期限:应于 {due:%Y-%m-%d} 前,实际 {done_on:%Y-%m-%d}",
                    source,
                    due,
                )
            return
        if self.today > due:
            self.add(rule, "red", f"{label}已超过期限({due:%Y-%m-%d})", source, due)
            return
        if workday_warning:
            warn = rule_value("cases.warning_workdays")
            yellow_from = add_workdays(due, -warn) if warn else due
        else:
            yellow_from = due - datetime.timedelta(days=rule_value("cases.decision_warning_days"))
        if self.today >= yellow_from:
            self.add(rule, "yellow", f"{label}期限将至({due:%Y-%m-%d})", source, due)
        else:
            self.next_dates.append(yellow_from)
        self.next_dates.append(due + datetime.timedelta(days=1))

    # -- the rules -----------------------------------------------------------------------------
    def officers_rule(self):
        c = self.case
        day = c.act_date
        if day is None:
            return
        minimum = rule_value("cases.min_officers")
        if len(self.officers) < minimum:
            self.add(
                "officers",
                "red",
                f"执法人员 {len(self.officers)} 人,少于 {minimum} 人",
                _source("cases.min_officers"),
            )
        invalid = [
            officer.name
            for officer, certificates in self.officers
            if not any(_valid_on(cert, events, day) for cert, events in certificates)
        ]
        if invalid:
            self.add(
                "certificates",
                "red",
                f"{'、'.join(invalid)} 在 {day:%Y-%m-%d} 未持有效执法证",
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
        due = add_workdays(c.decided_on, rule_value(key))
        self.deadline("publicity", "执法决定公示", due, c.published_on, _source(key))

    def withdrawal_rule(self):
        c = self.case
        if c.decision_changed_on is None or c.published_on is None:
            return
        due = add_workdays(c.decision_changed_on, rule_value("cases.withdraw_workdays"))
        self.deadline(
            "withdrawal",
            "变更或撤销后撤下公示",
            due,
            c.publication_withdrawn_on,
            _source("cases.withdraw_workdays"),
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
        c = self.case
        if c.act_type != "penalty" or c.procedure != "ordinary" or c.filed_on is None:
            return
        days = rule_value("cases.decision_days") + sum(e.days for e in self.extensions)
        due = c.filed_on + datetime.timedelta(days=days)
        self.deadline(
            "decision",
            "立案后作出处罚决定",
            due,
            c.decided_on,
            _source("cases.decision_days"),
            workday_warning=False,
        )

    def service_rule(self):
        c = self.case
        if c.act_type != "penalty" or c.decided_on is None:
            return
        due = add_workdays(c.decided_on, rule_value("cases.service_workdays"))
        self.deadline(
            "service", "处罚决定书送达", due, c.served_on, _source("cases.service_workdays")
        )

    def hearing_rule(self):
        c = self.case
        if c.hearing_held_on is None:
            return
        days = rule_value("cases.hearing_notice_days")
        if c.hearing_notified_on is None or (c.hearing_held_on - c.hearing_notified_on).days < days:
            self.add(
                "hearing_notice",
                "red",
                f"未在举行听证 {days} 日前通知当事人",
                _source("cases.hearing_notice_days"),
            )

    def hearing_window_rule(self):
        """The party has 5 working days after the notice to ask for a hearing; a decision may not
        come inside that window, nor after a request without the hearing being held."""
        c = self.case
        if c.act_type != "penalty" or c.procedure != "ordinary" or c.notified_on is None:
            return
        source = _source("cases.hearing_request_workdays")
        window_ends = add_workdays(c.notified_on, rule_value("cases.hearing_request_workdays"))
        if c.decided_on is None:
            return
        if c.hearing_requested_on is not None and c.hearing_held_on is None:
            self.add("hearing_window", "red", "当事人已申请听证,未举行听证即作出决定", source)
        elif c.hearing_requested_on is None and c.decided_on <= window_ends:
            self.add(
                "hearing_window",
                "red",
                f"在当事人申请听证期限({window_ends:%Y-%m-%d})届满前作出决定",
                source,
                window_ends,
            )

    def crime_rule(self):
        c = self.case
        if not c.suspected_crime or c.crime_found_on is None:
            return
        due = c.crime_found_on + datetime.timedelta(days=rule_value("cases.crime_decision_days"))
        self.deadline(
            "crime_decision",
            "涉嫌犯罪案件作出移送决定",
            due,
            c.transfer_decided_on,
            _source("cases.crime_decision_days"),
            workday_warning=False,
        )
        if c.transfer_approved_at is not None:
            limit = c.transfer_approved_at + datetime.timedelta(
                hours=rule_value("cases.crime_transfer_hours")
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
                self.next_dates.append(timezone.localdate(limit) + datetime.timedelta(days=1))

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
        if c.fine_amount < Decimal(rule_value(key)):
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


def _valid_on(certificate, events, day: datetime.date) -> bool:
    if (
        certificate.kind != "enforcement"
        or not certificate.issue_date <= day <= certificate.expiry_date
    ):
        return False
    # The certificate as it stood on the day: the last status change on or before it decides.
    status = "valid"
    for event in events:
        if timezone.localdate(event.time) <= day:
            status = event.to_status
    return status == "valid"


RULE_ORDER = (
    "officers_rule", "publicity_rule", "withdrawal_rule", "records_rule", "legal_review_rule",
    "decision_rule", "service_rule", "hearing_rule", "hearing_window_rule", "crime_rule", "two_letters_rule", "impact_rule",
)  # fmt: skip


def check(
    case, today: datetime.date, *, officers, records, extensions
) -> tuple[list[Result], datetime.date | None]:
    """The findings of one case today, and the next date they could change by time alone."""
    checker = _Checker(case, today, officers, records, extensions)
    for name in RULE_ORDER:
        getattr(checker, name)()
    upcoming = [d for d in checker.next_dates if d > today]
    return checker.results, (min(upcoming) if upcoming else None)


def light_of(results: list[Result]) -> str:
    levels = {r.level for r in results}
    return "red" if "red" in levels else ("yellow" if "yellow" in levels else "green")


def workdays_late(due: datetime.date, today: datetime.date) -> int:
    return max(0, workdays_between(due, today))
