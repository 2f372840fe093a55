"""Supervision matters and documents: numbering, limits, replies, verdicts, escalation, review,
the Word document, and who may do what."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as Docx

from oversight.core.calendar import calendar_seed_from_package
from oversight.core.context import acting_as_system
from oversight.core.models import AuditEntry, Notification
from oversight.supervision import services
from oversight.supervision.documents import document_docx
from oversight.supervision.models import Document, Matter

# Monday 2026-09-21: the Mid-Autumn (09-25) and National Day (10-01 to 10-07) holidays and the
# make-up working Saturday (10-10) fall inside the ten working days.
START = datetime.datetime(2026, 9, 21, 10, 0, tzinfo=datetime.UTC)


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture(autouse=True)
def pinned(db):
    with acting_as_system("test"):
        calendar_seed_from_package()
    with time_machine.travel(START, tick=False):
        yield


@pytest.fixture
def matter(actors):
    return services.matter_open(
        data={
            "kind": "key",
            "title": "涉企行政检查重点监督",
            "findings": "一月内对同一企业检查三次。",
        },
        units=[actors.unit_a, actors.unit_b],
        user=actors.supervisor,
    )


def notice(actors, matter, **extra):
    return services.document_issue(
        matter=matter,
        kind="notice",
        unit=actors.unit_a,
        facts="2026年8月对黄石某商贸有限公司检查三次,超过年度检查频次上限。",
        basis="《国务院办公厅关于严格规范涉企行政检查的意见》(国办发〔2024〕54号)",
        requirement="立即停止超频次检查,对相关人员批评教育。",
        user=actors.supervisor,
        **extra,
    )


class TestIssue:
    def test_numbered_per_kind_and_year_with_limits_from_the_rules(self, actors, matter):
        first = notice(actors, matter)
        second = notice(actors, matter)
        assert (first.number, second.number) == ("陆司监通〔2026〕1号", "陆司监通〔2026〕2号")
        # Ten working days: 22–24, 28–30 Sept, then 8, 9, 10 (make-up Saturday) and 12 Oct.
        assert first.explain_due == datetime.date(2026, 10, 12)
        assert first.reply_due == datetime.date(2026, 10, 21)
        assert matter.number == "陆司监项〔2026〕1号"

    def test_the_unit_is_told_and_the_issue_is_audited(self, actors, matter):
        document = notice(actors, matter)
        notices = Notification.objects.filter(user=actors.reporter_a)
        assert notices.filter(title__contains=document.number).exists()
        assert not Notification.objects.filter(user=actors.reporter_b).exists()
        assert AuditEntry.objects.filter(
            object_id=str(document.pk), message__contains="签发"
        ).exists()

    def test_a_unit_outside_the_matter_or_a_decision_without_a_prior_document_is_refused(
        self, actors
    ):
        only_a = services.matter_open(
            data={"kind": "case", "title": "个案监督"},
            units=[actors.unit_a],
            user=actors.supervisor,
        )
        with pytest.raises(ValidationError, match="不是本监督事项的监督对象"):
            services.document_issue(
                matter=only_a, kind="notice", unit=actors.unit_b, facts="问题事实", requirement="整改要求",
                user=actors.supervisor,
            )  # fmt: skip
        with pytest.raises(ValidationError, match="请从原文书升级签发"):
            services.document_issue(
                matter=only_a, kind="decision", unit=actors.unit_a, facts="问题事实", requirement="整改要求",
                user=actors.supervisor,
            )  # fmt: skip

    def test_only_the_bureau_issues(self, actors, matter):
        with pytest.raises(PermissionDenied):
            services.document_issue(
                matter=matter, kind="notice", unit=actors.unit_a, facts="问题事实", requirement="整改要求",
                user=actors.reporter_a,
            )  # fmt: skip


class TestReplyAndEscalation:
    def test_no_reply_escalates_notice_to_opinion_then_reply_and_accept(self, actors, matter):
        first = notice(actors, matter)
        assert services.escalation_options(first) == ()
        with at(datetime.date(2026, 10, 22)):  # the day after the reply limit
            first.refresh_from_db()
            assert services.escalation_options(first) == ("opinion",)
            assert first.light(datetime.date(2026, 10, 22)) == "red"
            opinion = services.document_issue(
                matter=matter, kind="opinion", unit=actors.unit_a, parent=first,
                facts="逾期未回复通知书。", requirement="限期改进。", user=actors.supervisor,
            )  # fmt: skip
            first.refresh_from_db()
            assert first.status == "escalated" and opinion.number == "陆司监意〔2026〕1号"
            opinion = services.document_reply(
                document=opinion, reply="已停止超频次检查,对两名执法人员批评教育,附谈话记录。",
                file_name="谈话记录.pdf", file_data=b"%PDF-1.4 test", user=actors.reporter_a,
            )  # fmt: skip
            assert opinion.status == "replied" and opinion.attachment_name == "谈话记录.pdf"
            opinion = services.document_verdict(
                document=opinion, accept=True, comment="整改到位。", user=actors.supervisor
            )
            assert opinion.status == "accepted"
            matter = services.matter_close(
                matter=matter, summary="两份文书均已办结,问题已整改。", user=actors.supervisor
            )
            assert matter.status == "closed"

    def test_a_returned_reply_may_be_escalated_and_only_along_the_ladder(self, actors, matter):
        document = notice(actors, matter)
        services.document_reply(
            document=document, reply="已整改完毕,特此报告,请审核。", user=actors.reporter_a
        )
        with pytest.raises(ValidationError, match="退回须写明"):
            services.document_verdict(document=document, accept=False, user=actors.supervisor)
        document = services.document_verdict(
            document=document, accept=False, comment="未提供整改佐证。", user=actors.supervisor
        )
        assert document.status == "returned" and document.returns == 1
        assert services.escalation_options(document) == ("opinion",)
        with pytest.raises(ValidationError, match="不具备升级为行政执法监督决定书的条件"):
            services.document_issue(
                matter=matter, kind="decision", unit=actors.unit_a, parent=document,
                facts="问题事实", requirement="要求", user=actors.supervisor,
            )  # fmt: skip

    def test_another_unit_cannot_reply(self, actors, matter):
        document = notice(actors, matter)
        with pytest.raises(PermissionDenied):
            services.document_reply(
                document=document, reply="代替别的单位回复的内容内容。", user=actors.reporter_b
            )

    def test_a_matter_with_open_documents_cannot_be_closed(self, actors, matter):
        notice(actors, matter)
        with pytest.raises(ValidationError, match="还有未办结的监督文书"):
            services.matter_close(matter=matter, summary="已经办结了。", user=actors.supervisor)


class TestReview:
    def test_review_requested_within_fifteen_days_and_answered(self, actors, matter):
        document = notice(actors, matter)
        with at(datetime.date(2026, 10, 7)), pytest.raises(ValidationError, match="15 日内"):
            services.document_request_review(
                    document=document, reason="检查系依企业申请开展,不属于主动检查。", user=actors.reporter_a
                )  # fmt: skip
        with at(datetime.date(2026, 10, 6)):
            document = services.document_request_review(
                document=document, reason="检查系依企业申请开展,不属于主动检查。", user=actors.reporter_a
            )  # fmt: skip
            assert document.review_due == datetime.date(2026, 10, 21)
            document = services.document_answer_review(
                document=document, result="withdrawn", answer="经核实第三次检查系依申请开展,撤销本通知书。",
                user=actors.supervisor,
            )  # fmt: skip
        assert document.status == "withdrawn"
        assert Notification.objects.filter(
            user=actors.reporter_a, title__contains="复查结论"
        ).exists()


class TestPages:
    def test_issue_reply_and_verdict_through_the_pages(self, client, actors, matter):
        client.force_login(actors.supervisor)
        url = reverse("supervision:document_add") + f"?matter={matter.pk}"
        response = client.post(
            url,
            {"kind": "notice", "unit": actors.unit_a.pk, "facts": "超频次检查。", "requirement": "立即纠正。"},
            follow=True,
        )  # fmt: skip
        document = Document.objects.get()
        assert f"已签发{document}" in response.content.decode()
        client.force_login(actors.reporter_a)
        page = client.get(document.get_absolute_url()).content.decode()
        assert 'data-testid="document-reply-form"' in page
        client.post(
            document.get_absolute_url(),
            {"op": "reply", "reply": "已纠正,附整改报告。"},
        )
        document.refresh_from_db()
        assert document.status == "replied"
        client.force_login(actors.reporter_b)
        assert client.get(document.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("supervision:document_file", args=[document.pk])).status_code == 404
        )
        client.force_login(actors.supervisor)
        client.post(
            document.get_absolute_url(),
            {"op": "verdict", "accept": "0", "comment": "整改报告未附佐证。"},
        )
        document.refresh_from_db()
        assert document.status == "returned"
        page = client.get(document.get_absolute_url()).content.decode()
        assert 'data-testid="escalation-proposal"' in page and "?parent=" in page

    def test_the_unit_sees_its_documents_never_the_matter(self, client, actors, matter):
        notice(actors, matter)
        client.force_login(actors.reporter_a)
        assert client.get(matter.get_absolute_url()).status_code == 403
        listing = client.get(reverse("supervision:document_list")).content.decode()
        assert "陆司监通〔2026〕1号" in listing
        client.force_login(actors.reporter_b)
        listing = client.get(reverse("supervision:document_list")).content.decode()
        assert "陆司监通〔2026〕1号" not in listing

    def test_matter_from_a_clue_is_prefilled(self, client, actors):
        clue = services.clue_register(
            data={"source": "letter", "received_on": datetime.date(2026, 9, 21), "matter": "反映重复检查问题。", "unit": actors.unit_a},
            user=actors.supervisor,
        )  # fmt: skip
        services.clue_accept(clue=clue, unit=actors.unit_a, user=actors.supervisor)
        client.force_login(actors.supervisor)
        page = client.get(reverse("supervision:matter_add"), {"clue": clue.pk}).content.decode()
        assert "反映重复检查问题" in page and f'value="{clue.pk}"' in page
        assert client.get(reverse("supervision:matter_add"), {"clue": "x"}).status_code == 400


def test_the_word_document_is_an_official_document_in_full_width_punctuation(actors, matter):
    document = notice(actors, matter)
    docx = Docx(io.BytesIO(document_docx(document)))
    texts = [p.text for p in docx.paragraphs if p.text]
    assert texts[0] == "下陆区司法局" and texts[1] == "陆司监通〔2026〕1号"
    assert texts[2] == "行政执法监督通知书" and texts[3] == "测试区市场监督管理局："
    body = "\n".join(texts)
    assert "2026年10月21日前纠正" in body and "15日内向下陆区司法局书面申请复查" in body
    half = re.compile(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]")
    assert not [t for t in texts if half.search(t)]
    assert Matter.objects.count() == 1


def test_reminders_go_once_per_state_to_the_unit_and_the_bureau(actors, matter):
    from oversight.supervision.jobs import remind

    document = notice(actors, matter)
    assert remind(datetime.date(2026, 9, 21)) == 0  # a month to go
    soon = datetime.date(2026, 10, 19)
    assert remind(soon) == 2 and remind(soon) == 0  # the unit's reporter and head, once
    late = datetime.date(2026, 10, 22)
    with at(late):
        sent = remind(late)
    titles = set(Notification.objects.values_list("title", flat=True))
    assert sent == 3 and f"建议升级处理:{document}(区市场监管局)" in titles
    assert Notification.objects.filter(
        user=actors.supervisor, title__startswith="建议升级"
    ).exists()


class TestReferralsAndRecommendations:
    def test_a_referral_records_receipt_and_feedback(self, actors, matter):
        referral = services.document_issue(
            matter=matter, kind="referral", unit=actors.unit_a, recipient="区纪委监委",
            facts="执法人员涉嫌违规收受企业财物。", requirement="请依纪依法处理并反馈结果。", user=actors.supervisor,
        )  # fmt: skip
        assert referral.status == "recorded" and referral.number == "陆司监移〔2026〕1号"
        with pytest.raises(ValidationError, match="签收日期应在"):
            services.document_track(
                document=referral, receipt_on=datetime.date(2026, 9, 1), user=actors.supervisor
            )
        services.document_track(
            document=referral, receipt_on=datetime.date(2026, 9, 21), user=actors.supervisor
        )
        with at(datetime.date(2026, 11, 2)):
            referral = services.document_track(
                document=referral, feedback="已给予当事人党内警告处分。", user=actors.supervisor
            )
        assert referral.receipt_on == datetime.date(2026, 9, 21)
        assert referral.feedback_on == datetime.date(2026, 11, 2)
        assert list(referral.events.values_list("action", flat=True)) == [
            "签发",
            "登记签收",
            "登记反馈",
        ]

    def test_a_procuratorial_recommendation_is_supervised_to_rectification(self, actors, matter):
        with pytest.raises(ValidationError, match="发出建议或意见的机关"):
            services.document_issue(
                matter=matter, kind="procuratorial", unit=actors.unit_b,
                facts="对违法占道经营长期未依法查处。", requirement="督促落实检察建议。", user=actors.supervisor,
            )  # fmt: skip
        received = services.document_issue(
            matter=matter, kind="procuratorial", unit=actors.unit_b,
            source_organ="下陆区人民检察院", external_number="下检行建〔2026〕3号",
            facts="对违法占道经营长期未依法查处。", requirement="督促落实检察建议。", user=actors.supervisor,
        )  # fmt: skip
        assert received.number == "陆司监收〔2026〕1号" and received.status == "issued"
        assert Notification.objects.filter(
            user=actors.reporter_b, title__startswith="请落实下陆区人民检察院的检察建议"
        ).exists()
        texts = [p.text for p in Docx(io.BytesIO(document_docx(received))).paragraphs if p.text]
        assert "关于落实检察建议的督办函" in texts
        assert any(
            "下陆区人民检察院向你单位提出检察建议（下检行建〔2026〕3号）" in t for t in texts
        )
        with at(datetime.date(2026, 10, 22)):
            received.refresh_from_db()
            assert services.escalation_options(received) == ("notice",)


def test_a_matter_opens_prefilled_from_a_case_breach_a_red_assignment_and_a_draw(client, actors):
    """The platform's own findings open a matter in one click (the page reads the finding)."""
    from oversight.supervision.selectors import matter_initial

    class Request:
        def __init__(self, **get):
            self.GET, self.user = get, actors.supervisor

    assert matter_initial(Request()) == {"kind": "routine", "origin": "manual"}
    # A finding, an assignment or a draw that does not exist (or is out of scope) opens a blank form.
    for key in ("finding", "assignment", "inspection", "draw"):
        assert matter_initial(Request(**{key: "999999"}))["origin"] == "manual"
    client.force_login(actors.reporter_a)
    assert client.get(reverse("supervision:matter_add"), {"finding": "1"}).status_code == 403


def test_the_explanation_and_a_pending_review_are_reminded_too(actors, matter):
    from oversight.supervision.jobs import remind

    document = notice(actors, matter)  # explain by 2026-10-12
    assert remind(datetime.date(2026, 10, 9)) == 2  # the unit's reporter and head
    titles = set(Notification.objects.values_list("title", flat=True))
    assert f"{document}应于 2026-10-12 前书面说明情况" in titles
    with at(datetime.date(2026, 10, 6)):
        services.document_request_review(
            document=document,
            reason="检查系依企业申请开展,不属于主动检查。",
            user=actors.reporter_a,
        )
    assert remind(datetime.date(2026, 10, 19)) >= 1
    assert Notification.objects.filter(
        user=actors.supervisor, title__contains="的复查申请临近答复期限 2026-10-21"
    ).exists()
