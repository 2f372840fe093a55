"""Every rule of the three systems and the time limits, on hand-built cases at its boundaries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oversight.cases import checks, services
from oversight.cases.models import Case, CaseRecord, Finding

from .conftest import CREDIT_CODE

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def run(case, today, officers=(), records=(), extensions=()):
    """Findings of an unsaved case, by rule."""
    results, next_date = checks.check(
        case, today, officers=list(officers), records=list(records), extensions=list(extensions)
    )
    return {r.rule: r for r in results}, next_date


def case_of(case_data, **overrides) -> Case:
    data = case_data(**overrides)
    return Case(**data)


class TestPublicity:
    # Decided Friday 2025-09-26. Working days after it: 09-28 (Sunday, 调休), 09-29, 09-30,
    # then the National Day holiday to 10-08, 10-09, 10-10, 10-11 (Saturday, 调休), 10-13 (7th), 10-14 (8th).
    DECIDED = D(2025, 9, 26)

    def test_seventh_working_day_across_the_holiday_is_the_deadline(self, calendar_2025, case_data):
        on_time = case_of(case_data, decided_on=self.DECIDED, published_on=D(2025, 10, 13))
        late = case_of(case_data, decided_on=self.DECIDED, published_on=D(2025, 10, 14))
        assert "publicity" not in run(on_time, D(2025, 11, 1))[0]
        finding = run(late, D(2025, 11, 1))[0]["publicity"]
        assert finding.level == "red"
        assert finding.due == D(2025, 10, 13)
        assert "国办发〔2018〕118号" in finding.source

    def test_unpublished_turns_yellow_two_working_days_before_and_red_on_the_eighth(
        self, calendar_2025, case_data
    ):
        case = case_of(case_data, decided_on=self.DECIDED)
        findings, next_date = run(case, D(2025, 10, 9))
        assert "publicity" not in findings
        assert next_date == D(2025, 10, 10)  # the scheduler looks again when yellow starts
        assert run(case, D(2025, 10, 10))[0]["publicity"].level == "yellow"
        assert run(case, D(2025, 10, 13))[0]["publicity"].level == "yellow"
        assert run(case, D(2025, 10, 14))[0]["publicity"].level == "red"

    def test_other_acts_have_twenty_working_days(self, calendar_2025, case_data):
        case = case_of(case_data, act_type="coercion", decided_on=self.DECIDED)
        due = run(case, D(2025, 10, 1))[0]
        assert "publicity" not in due
        # 20th working day after 09-26 across the holiday: 10-30; the 21st is 10-31.
        case.published_on = D(2025, 10, 30)
        assert "publicity" not in run(case, D(2025, 12, 1))[0]
        case.published_on = D(2025, 10, 31)
        assert run(case, D(2025, 12, 1))[0]["publicity"].due == D(2025, 10, 30)

    def test_changed_decision_withdrawn_within_three_working_days(self, calendar_2025, case_data):
        # Changed Tuesday 09-30: working days 10-09, 10-10, 10-11 (调休) → due 10-11.
        case = case_of(
            case_data,
            decided_on=D(2025, 9, 1),
            published_on=D(2025, 9, 2),
            decision_changed_on=D(2025, 9, 30),
            publication_withdrawn_on=D(2025, 10, 11),
        )
        assert "withdrawal" not in run(case, D(2025, 11, 1))[0]
        case.publication_withdrawn_on = D(2025, 10, 13)
        assert run(case, D(2025, 11, 1))[0]["withdrawal"].level == "red"


class TestTimeLimits:
    def test_service_within_seven_working_days(self, calendar_2025, case_data):
        case = case_of(
            case_data,
            decided_on=D(2025, 9, 26),
            published_on=D(2025, 9, 26),
            served_on=D(2025, 10, 13),
        )
        assert "service" not in run(case, D(2025, 11, 1))[0]
        case.served_on = D(2025, 10, 14)
        assert run(case, D(2025, 11, 1))[0]["service"].level == "red"

    def test_ninety_days_from_filing(self, calendar_2025, case_data):
        case = case_of(case_data, filed_on=D(2025, 1, 2))
        # Due 2025-04-02 (day 90, a working day); yellow from 10 days before; red the day after.
        assert "decision" not in run(case, D(2025, 3, 22))[0]
        assert run(case, D(2025, 3, 23))[0]["decision"].level == "yellow"
        assert run(case, D(2025, 4, 2))[0]["decision"].level == "yellow"
        assert run(case, D(2025, 4, 3))[0]["decision"].level == "red"
        # Simple-procedure and non-penalty acts have no 90-day limit.
        case.procedure = "simple"
        assert "decision" not in run(case, D(2025, 6, 1))[0]

    def test_a_calendar_day_period_ending_on_a_holiday_ends_on_the_next_working_day(
        self, calendar_2025, case_data
    ):
        from oversight.core.rules import rule_set

        # Filed 2025-07-03: day 90 is 10-01, in the National Day holiday (to 10-08) → 10-09.
        case = case_of(case_data, filed_on=D(2025, 7, 3), notified_on=D(2025, 9, 1))
        assert run(case, D(2025, 10, 9))[0]["decision"].due == D(2025, 10, 9)
        case.decided_on = D(2025, 10, 9)
        assert "decision" not in run(case, D(2025, 11, 1))[0]
        case.decided_on = D(2025, 10, 10)
        finding = run(case, D(2025, 11, 1))[0]["decision"]
        assert finding.level == "red" and finding.due == D(2025, 10, 9)
        # 民法典 第203条 is a rule with its source; switched off, day 90 itself is the limit.
        rule_set(key="cases.period_end_holiday_rollover", value=0, note="测试")
        case.decided_on = D(2025, 10, 9)
        assert run(case, D(2025, 11, 1))[0]["decision"].due == D(2025, 10, 1)

    def test_only_an_extension_approved_in_time_moves_the_limit(self, calendar_2025, case_data):
        case = case_of(case_data, filed_on=D(2025, 1, 2))

        class Extension:
            days = 30

            def __init__(self, approved_on):
                self.approved_on = approved_on

        # Approved on the last day (04-02): 120 days end 05-02, in the Labour Day holiday → 05-06.
        findings = run(case, D(2025, 4, 3), extensions=[Extension(D(2025, 4, 2))])[0]
        assert "decision" not in findings
        assert run(case, D(2025, 5, 6), extensions=[Extension(D(2025, 4, 2))])[0][
            "decision"
        ].due == D(2025, 5, 6)
        # Approved the day after the limit ran out: the breach stands.
        findings = run(case, D(2025, 4, 3), extensions=[Extension(D(2025, 4, 3))])[0]
        assert findings["decision"].level == "red" and findings["decision"].due == D(2025, 4, 2)
        assert "不能补正" in findings["extension"].message

    def test_hearing_notice_seven_working_days_before(self, calendar_2025, case_data):
        # Hearing Monday 2025-10-13. Seven working days back across the holiday: 10-11 (调休),
        # 10-10, 10-09, 09-30, 09-29, 09-28 (调休), 09-26 → notify on 09-26 at the latest.
        case = case_of(
            case_data,
            notified_on=D(2025, 9, 15),
            hearing_requested_on=D(2025, 9, 16),
            hearing_notified_on=D(2025, 9, 26),
            hearing_held_on=D(2025, 10, 13),
        )
        assert "hearing_notice" not in run(case, D(2025, 10, 14))[0]
        case.hearing_notified_on = D(2025, 9, 25)
        assert "hearing_notice" not in run(case, D(2025, 10, 14))[0]
        # 09-28 is fifteen calendar days before, but only six working days.
        case.hearing_notified_on = D(2025, 9, 28)
        finding = run(case, D(2025, 10, 14))[0]["hearing_notice"]
        assert finding.level == "red" and finding.due == D(2025, 9, 26)
        assert "第85条" in finding.source

    def test_no_decision_inside_the_hearing_request_window(self, calendar_2025, case_data):
        # Notified Friday 2025-09-26: 5 working days are 09-28 (调休), 09-29, 09-30, 10-09, 10-10.
        case = case_of(case_data, notified_on=D(2025, 9, 26), decided_on=D(2025, 10, 10))
        finding = run(case, D(2025, 11, 1))[0]["hearing_window"]
        assert finding.level == "red" and finding.due == D(2025, 10, 10)
        case.decided_on = D(2025, 10, 11)
        assert "hearing_window" not in run(case, D(2025, 11, 1))[0]

    def test_a_request_in_time_must_be_heard_or_withdrawn_before_the_decision(
        self, calendar_2025, case_data
    ):
        case = case_of(
            case_data,
            notified_on=D(2025, 9, 26),
            hearing_requested_on=D(2025, 10, 10),  # the last day of the window
            decided_on=D(2025, 10, 13),
        )
        assert "未举行听证" in run(case, D(2025, 11, 1))[0]["hearing"].message
        case.hearing_notified_on, case.hearing_held_on = D(2025, 10, 10), D(2025, 10, 21)
        assert "之前作出决定" in run(case, D(2025, 11, 1))[0]["hearing"].message
        case.decided_on = D(2025, 10, 21)
        assert "hearing" not in run(case, D(2025, 11, 1))[0]
        case.hearing_notified_on = case.hearing_held_on = None
        case.decided_on, case.hearing_withdrawn_on = D(2025, 10, 14), D(2025, 10, 13)
        assert "hearing" not in run(case, D(2025, 11, 1))[0]

    def test_a_late_request_does_not_hold_the_decision_up(self, calendar_2025, case_data):
        case = case_of(
            case_data,
            notified_on=D(2025, 9, 26),
            hearing_requested_on=D(2025, 10, 11),  # the day after the window
            decided_on=D(2025, 10, 13),
        )
        findings = run(case, D(2025, 11, 1))[0]
        assert "hearing" not in findings and "hearing_window" not in findings
        # Recorded as late: the case page says so.
        assert checks.hearing_request_late(case) == D(2025, 10, 10)
        case.hearing_requested_on = D(2025, 10, 10)
        assert checks.hearing_request_late(case) is None

    def test_an_ordinary_penalty_needs_the_notice_before_the_decision(
        self, calendar_2025, case_data
    ):
        case = case_of(case_data, decided_on=D(2025, 10, 13))
        finding = run(case, D(2025, 11, 1))[0]["notice"]
        assert finding.level == "red" and "第62条" in finding.source
        case.notified_on = D(2025, 9, 26)
        assert "notice" not in run(case, D(2025, 11, 1))[0]

    @pytest.mark.parametrize(
        ("party_kind", "fine", "beyond"),
        [("person", "200", False), ("person", "200.01", True),
         ("organisation", "3000", False), ("organisation", "3000.01", True)],
    )  # fmt: skip
    def test_simple_procedure_limits(self, calendar_2025, case_data, party_kind, fine, beyond):
        case = case_of(
            case_data,
            procedure="simple",
            party_kind=party_kind,
            fine_amount=Decimal(fine),
            filed_on=D(2025, 1, 2),
        )
        findings = run(case, D(2025, 6, 1))[0]
        assert ("simple_procedure" in findings) is beyond
        # Beyond the limits the case is checked as ordinary procedure (the 90 days apply).
        assert ("decision" in findings) is beyond

    def test_a_simple_decision_is_handed_over_on_the_spot(self, calendar_2025, case_data):
        case = case_of(
            case_data,
            procedure="simple",
            fine_amount=Decimal(100),
            decided_on=D(2025, 9, 26),
            served_on=D(2025, 9, 26),
        )
        assert "service" not in run(case, D(2025, 11, 1))[0]
        case.served_on = D(2025, 9, 28)
        assert "当场交付" in run(case, D(2025, 11, 1))[0]["service"].message

    def test_registered_preservation_decided_within_seven_working_days(
        self, calendar_2025, case_data
    ):
        # Saved Friday 09-26: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13 → due 10-13.
        case = case_of(
            case_data, preserved_on=D(2025, 9, 26), preservation_decided_on=D(2025, 10, 13)
        )
        assert "preservation" not in run(case, D(2025, 11, 1))[0]
        case.preservation_decided_on = D(2025, 10, 14)
        finding = run(case, D(2025, 11, 1))[0]["preservation"]
        assert finding.level == "red" and "第56条" in finding.source

    def test_suspected_crime_decided_in_three_working_days_from_the_report(
        self, calendar_2025, case_data
    ):
        # Reported to the head Tuesday 09-30: 10-09, 10-10, 10-11 (调休) → decide by 10-11.
        case = case_of(
            case_data,
            suspected_crime=True,
            crime_found_on=D(2025, 9, 20),
            crime_reported_on=D(2025, 9, 30),
        )
        assert "crime_decision" not in run(case, D(2025, 9, 30))[0]
        assert run(case, D(2025, 10, 9))[0]["crime_decision"].level == "yellow"
        assert run(case, D(2025, 10, 11))[0]["crime_decision"].level == "yellow"
        assert run(case, D(2025, 10, 13))[0]["crime_decision"].level == "red"
        case.transfer_decided_on = D(2025, 10, 11)
        approved = timezone.make_aware(datetime.datetime(2025, 10, 11, 9, 0))
        case.transfer_approved_at = approved
        case.transferred_at = approved + datetime.timedelta(hours=24)
        findings = run(case, D(2025, 10, 20))[0]
        assert "crime_decision" not in findings and "crime_transfer" not in findings
        case.transferred_at = approved + datetime.timedelta(hours=24, minutes=1)
        assert run(case, D(2025, 10, 20))[0]["crime_transfer"].level == "red"

    def test_the_24_hours_are_hours_and_rechecked_within_the_hour(self, calendar_2025, case_data):
        import time_machine

        approved = timezone.make_aware(datetime.datetime(2025, 10, 11, 9, 0))
        case = case_of(
            case_data,
            suspected_crime=True,
            crime_reported_on=D(2025, 10, 10),
            transfer_decided_on=D(2025, 10, 11),
            transfer_approved_at=approved,
        )
        with time_machine.travel(approved + datetime.timedelta(hours=23, minutes=30), tick=False):
            findings, next_date = run(case, D(2025, 10, 12))
            assert findings["crime_transfer"].level == "yellow"
            assert next_date == D(2025, 10, 12)  # the same day: the hourly re-check reads it
        with time_machine.travel(approved + datetime.timedelta(hours=24, minutes=1), tick=False):
            assert run(case, D(2025, 10, 12))[0]["crime_transfer"].level == "red"

    def test_a_limit_in_a_year_without_an_arrangement_says_it_is_estimated(
        self, calendar_2025, case_data
    ):
        # 2027 has no published arrangement here: 10-1 to 10-3 are holidays by law, 调休 unknown.
        # Decided Thursday 2027-09-30: 7 working days are 10-4 … 10-8, 10-11, 10-12.
        case = case_of(case_data, notified_on=D(2027, 9, 1), decided_on=D(2027, 9, 30))
        finding = run(case, D(2027, 11, 1))[0]["publicity"]
        assert finding.due == D(2027, 10, 12)
        assert "按估算日历" in finding.message

    def test_no_penalty_instead_of_a_transfer(self, calendar_2025, case_data):
        case = case_of(
            case_data,
            suspected_crime=True,
            crime_found_on=D(2025, 9, 20),
            notified_on=D(2025, 9, 15),
            decided_on=D(2025, 9, 26),
        )
        finding = run(case, D(2025, 11, 1))[0]["crime_penalty"]
        assert finding.level == "red" and "第11条" in finding.source
        case.transfer_decided_on = D(2025, 9, 22)  # decided not to transfer, then penalised
        assert "crime_penalty" not in run(case, D(2025, 11, 1))[0]


class TestThreeSystemsAndOfficers:
    def test_legal_review_must_precede_a_major_decision(self, calendar_2025, case_data):
        case = case_of(
            case_data, is_major=True, decided_on=D(2025, 6, 10), legal_review_on=D(2025, 6, 10)
        )
        assert "legal_review" not in run(case, D(2025, 7, 1))[0]
        case.legal_review_on = D(2025, 6, 11)
        finding = run(case, D(2025, 7, 1))[0]["legal_review"]
        assert finding.level == "red" and "第58条" in finding.source
        # Before the decision it is a reminder; an ordinary minor case needs none.
        case.decided_on = case.legal_review_on = None
        assert run(case, D(2025, 7, 1))[0]["legal_review"].level == "yellow"
        case.is_major = False
        assert "legal_review" not in run(case, D(2025, 7, 1))[0]

    def test_records_required_by_act_type(self, calendar_2025, case_data):
        case = case_of(case_data, act_type="coercion", decided_on=D(2025, 6, 10))
        document = CaseRecord(kind="document", title="查封决定书")
        video = CaseRecord(kind="audio_video", title="现场执法记录仪", reference="AV-1")
        finding = run(case, D(2025, 7, 1), records=[document])[0]["records"]
        assert "音像记录" in finding.message
        assert "records" not in run(case, D(2025, 7, 1), records=[document, video])[0]

    def test_two_officers_each_certified_on_the_day(
        self, calendar_2025, case_data, certified, certificate_factory, officer_factory, actors
    ):
        first, second = certified(actors.unit_a, 2)

        def pairs(*officers):
            return [
                (o, [(c, list(c.events.all())) for c in o.certificates.all()]) for o in officers
            ]

        case = case_of(case_data, decided_on=D(2025, 6, 10))
        assert run(case, D(2025, 7, 1), officers=pairs(first))[0]["officers"].level == "red"
        assert not {"officers", "certificates"} & set(
            run(case, D(2025, 7, 1), officers=pairs(first, second))[0]
        )
        expired = officer_factory(unit=actors.unit_a, name="过期人员")
        certificate_factory(expired, issue_date=D(2020, 1, 1), expiry_date=D(2025, 6, 9))
        finding = run(case, D(2025, 7, 1), officers=pairs(first, expired))[0]["certificates"]
        assert "过期人员" in finding.message
        # Valid on the last day of the certificate.
        case.decided_on = D(2025, 6, 9)
        assert "certificates" not in run(case, D(2025, 7, 1), officers=pairs(first, expired))[0]

    def test_an_officer_who_had_retired_cannot_act_on_a_case(
        self, calendar_2025, case_data, certified, actors
    ):
        first, second = certified(actors.unit_a, 2)  # certificates still marked valid

        def pairs(*officers):
            return [
                (o, [(c, list(c.events.all())) for c in o.certificates.all()]) for o in officers
            ]

        case = case_of(case_data, decided_on=D(2025, 6, 10))
        second.status, second.left_on = "retired", D(2025, 5, 31)
        finding = run(case, D(2025, 7, 1), officers=pairs(first, second))[0]["officer_left"]
        assert (
            finding.level == "red" and second.name in finding.message and "退休" in finding.message
        )
        second.left_on = D(2025, 6, 11)  # retired the day after: the case stands
        assert "officer_left" not in run(case, D(2025, 7, 1), officers=pairs(first, second))[0]
        second.left_on = None  # retired, date unknown: ask
        assert run(case, D(2025, 7, 1), officers=pairs(first, second))[0]["officer_left"].level == (
            "yellow"
        )

    def test_one_officer_gone_and_another_unsure_make_one_red_finding(
        self, calendar_2025, case_data, certified, actors
    ):
        first, second, third = certified(actors.unit_a, 3)
        second.status, second.left_on = "retired", D(2025, 5, 31)
        third.status, third.left_on = "transferred", None
        case = case_of(case_data, decided_on=D(2025, 6, 10))
        officers = [
            (o, [(c, list(c.events.all())) for c in o.certificates.all()])
            for o in (first, second, third)
        ]
        results, _ = checks.check(case, D(2025, 7, 1), officers=officers, records=[], extensions=[])
        left = [r for r in results if r.rule == "officer_left"]
        # Stored findings are one per rule: the red one must not be lost behind the yellow one.
        assert [r.level for r in left] == ["red"]
        assert second.name in left[0].message and third.name in left[0].message
        assert "；" in left[0].message

    def test_two_letters_served_together(self, calendar_2025, case_data):
        case = case_of(
            case_data,
            involves_enterprise=True,
            decided_on=D(2025, 6, 10),
            served_on=D(2025, 6, 11),
            credit_repair_notice_on=D(2025, 6, 11),
        )
        assert "two_letters" not in run(case, D(2025, 7, 1))[0]
        case.credit_repair_notice_on = None
        assert run(case, D(2025, 7, 1))[0]["two_letters"].level == "red"

    @pytest.mark.parametrize(
        ("party_kind", "fine", "needed"),
        [
            ("organisation", "50000", True),
            ("organisation", "49999.99", False),
            ("person", "5000", True),
            ("person", "4999.99", False),
        ],
    )
    def test_economic_impact_assessment_thresholds(
        self, calendar_2025, case_data, party_kind, fine, needed
    ):
        case = case_of(
            case_data,
            party_kind=party_kind,
            involves_enterprise=True,
            fine_amount=Decimal(fine),
            decided_on=D(2025, 6, 10),
        )
        assert ("impact" in run(case, D(2025, 7, 1))[0]) is needed
        case.impact_assessed_on = D(2025, 6, 9)
        assert "impact" not in run(case, D(2025, 7, 1))[0]

    def test_rule_values_are_read_from_the_editable_rules(self, calendar_2025, case_data):
        from oversight.core.rules import rule_set

        case = case_of(case_data, decided_on=D(2025, 9, 26), published_on=D(2025, 10, 14))
        assert "publicity" in run(case, D(2025, 11, 1))[0]
        rule_set(key="cases.publicity_workdays_penalty_permit", value=8, note="测试")
        assert "publicity" not in run(case, D(2025, 11, 1))[0]


class TestStoredChecks:
    def test_a_corrected_calendar_rechecks_every_case(
        self, calendar_2025, case_data, certified, actors
    ):
        from oversight.core.calendar import calendar_day_set

        case = services.case_save(
            case=None,
            data=case_data(),
            officers=certified(actors.unit_a, 2),
            user=actors.reporter_a,
        )
        from oversight.cases import rechecks
        from oversight.cases.models import RecheckChunk
        from oversight.core.models import Job

        Case.objects.filter(pk=case.pk).update(next_check_on=D(2099, 1, 1))
        calendar_day_set(day=D(2027, 2, 10), is_workday=False, name="春节")
        job = Job.objects.get(kind="cases.recheck")
        assert RecheckChunk.objects.filter(
            job=job, first_id__lte=case.pk, last_id__gte=case.pk
        ).exists()
        rechecks.run(job_id=job.pk, today=timezone.localdate())
        case.refresh_from_db()
        assert case.next_check_on != D(2099, 1, 1)  # checked again, its real next date stored

    def test_saving_a_case_stores_its_findings_and_light(
        self, calendar_2025, case_data, certified, actors
    ):
        officers = certified(actors.unit_a, 2)
        case = services.case_save(
            case=None,
            data=case_data(notified_on=D(2025, 9, 18), decided_on=D(2025, 9, 26)),
            officers=officers,
            user=actors.reporter_a,
        )
        assert case.light == "red"
        rules = set(Finding.objects.filter(case=case).values_list("rule", flat=True))
        assert {"publicity", "service", "records"} <= rules
        services.case_save(
            case=case,
            data={"published_on": D(2025, 9, 30), "served_on": D(2025, 9, 29)},
            user=actors.reporter_a,
        )
        services.record_add(
            case=case,
            kind="document",
            title="处罚决定书",
            reference="卷宗 1",
            user=actors.reporter_a,
        )
        case.refresh_from_db()
        assert case.light == "green"
        assert not Finding.objects.filter(case=case).exists()

    def test_recheck_reads_only_cases_whose_limits_come_due(
        self, calendar_2025, case_data, certified, actors, django_assert_max_num_queries
    ):
        officers = certified(actors.unit_a, 2)
        today = timezone.localdate()
        waiting = services.case_save(
            case=None,
            data=case_data(number="A1", filed_on=today - datetime.timedelta(days=10)),
            officers=officers,
        )
        settled = services.case_save(
            case=None,
            data=case_data(number="A2", filed_on=D(2025, 1, 2), decided_on=D(2025, 1, 3),
                           published_on=D(2025, 1, 3), served_on=D(2025, 1, 3)),
            officers=officers,
        )  # fmt: skip
        services.record_add(case=settled, kind="document", title="决定书", reference="卷宗")
        waiting.refresh_from_db()
        settled.refresh_from_db()
        assert settled.next_check_on is None  # nothing left that time could change
        # Yellow from 10 days before day 90 (moved to the next working day if it is a rest day).
        due = checks.calendar_period_end(waiting.filed_on, 90)
        assert waiting.next_check_on == due - datetime.timedelta(days=10)
        assert services.check_due(today=today) == 0
        checked_at = waiting.checked_at
        assert services.check_due(today=waiting.next_check_on) == 1
        waiting.refresh_from_db()
        assert waiting.checked_at > checked_at and waiting.light == "yellow"

    def test_an_organisation_party_needs_a_valid_credit_code(
        self, calendar_2025, case_data, certified, actors
    ):
        officers = certified(actors.unit_a, 2)
        data = case_data(
            party_kind="organisation",
            party_name="某公司",
            party_credit_code=CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1"),
        )
        with pytest.raises(ValidationError) as exc:
            services.case_save(case=None, data=data, officers=officers)
        assert "校验位" in str(exc.value)
        data["party_credit_code"] = CREDIT_CODE
        assert services.case_save(case=None, data=data, officers=officers).pk

    def test_stage_dates_in_order_and_numbers_unique(
        self, calendar_2025, case_data, certified, actors
    ):
        officers = certified(actors.unit_a, 2)
        with pytest.raises(ValidationError) as exc:
            services.case_save(
                case=None,
                data=case_data(filed_on=D(2025, 5, 2), decided_on=D(2025, 5, 1)),
                officers=officers,
            )
        assert "不能早于" in str(exc.value)
        first = services.case_save(case=None, data=case_data(), officers=officers)
        with pytest.raises(ValidationError, match="已登记"):
            services.case_save(case=None, data=case_data(), officers=officers)
        # An edit keeps its own number; taking another case's number is refused by name.
        other = services.case_save(case=None, data=case_data(number="测-2"), officers=officers)
        services.case_save(case=first, data={"party_name": "李四"})
        with pytest.raises(ValidationError) as exc:
            services.case_save(case=other, data={"number": first.number})
        assert exc.value.message_dict["number"] == [f"案号 {first.number} 已登记。"]
        other.refresh_from_db()
        assert other.number == "测-2"

    def test_a_breach_becomes_a_supervision_item(self, calendar_2025, case_data, certified, actors):
        officers = certified(actors.unit_a, 2)
        case = services.case_save(
            case=None, data=case_data(decided_on=D(2025, 9, 26)), officers=officers
        )
        finding = Finding.objects.get(case=case, rule="publicity")
        from oversight.workplans.models import Plan

        plan = Plan.objects.create(title="测试计划", year=2026)
        with pytest.raises(PermissionDenied):
            services.finding_escalate(
                finding=finding, plan=plan, due=D(2026, 12, 31), user=actors.reporter_a
            )
        task = services.finding_escalate(
            finding=finding, plan=plan, due=D(2026, 12, 31), user=actors.supervisor
        )
        assert task.units.get().unit == actors.unit_a
        assert case.number in task.title and "国办发" in task.text
        with pytest.raises(ValidationError, match="已经列入督办"):
            services.finding_escalate(
                finding=finding, plan=plan, due=D(2026, 12, 31), user=actors.supervisor
            )


def test_a_changed_rule_is_applied_to_every_case_by_the_next_recheck(
    calendar_2025, case_data, certified, actors
):
    from oversight.core.rules import rule_set

    officers = certified(actors.unit_a)
    case = services.case_save(
        case=None,
        data=case_data(
            decided_on=D(2025, 9, 26), published_on=D(2025, 10, 14), served_on=D(2025, 9, 29)
        ),
        officers=officers,
    )
    import time_machine

    from oversight.cases.jobs import recheck
    from oversight.core.context import acting_as_system

    assert Finding.objects.filter(case=case, rule="publicity").exists()
    rule_set(key="cases.publicity_workdays_penalty_permit", value=8, note="地方规定放宽")
    # No worker took the background job (none runs here): ten minutes on, the hourly run does.
    later = timezone.now() + datetime.timedelta(minutes=11)
    with time_machine.travel(later, tick=False), acting_as_system("定时任务"):
        assert recheck() == "全部案件复查无人处理，由本次续做：复查案件 1 件"
    assert not Finding.objects.filter(case=case, rule="publicity").exists()


def test_a_changed_rule_rechecks_every_case_in_the_background_for_who_changed_it(
    calendar_2025, case_data, certified, actors, client_as, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from oversight.core.models import Job

    case = services.case_save(
        case=None,
        data=case_data(
            decided_on=D(2025, 9, 26), published_on=D(2025, 10, 14), served_on=D(2025, 9, 29)
        ),
        officers=certified(actors.unit_a),
    )
    assert Finding.objects.filter(case=case, rule="publicity").exists()
    client = client_as(actors.supervisor)
    url = reverse("core:rules", args=["cases"])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    field = next(
        n for n, spec in form.specs.items() if spec.key == "cases.publicity_workdays_penalty_permit"
    )
    data.update({field: 8, "note": "地方规定放宽"})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, data, follow=True).content.decode()
    job = Job.objects.get(kind="cases.recheck")
    assert job.created_by == actors.supervisor and job.status == "succeeded"
    assert "案件 1 件" in job.message
    assert "查看进度" in page and job.get_absolute_url() in page
    assert not Finding.objects.filter(case=case, rule="publicity").exists()
