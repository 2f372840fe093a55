"""One class per service of the loop, each with its forbidden transitions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.models import AuditEntry, Notification
from oversight.workplans import services
from oversight.workplans.models import (
    Assignment,
    AssignmentEvent,
    Extension,
    Report,
    ReportRevision,
)

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive

TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def signed(assignment, user):
    return services.assignment_sign(assignment=assignment, user=user)


def report_for(assignment, user, kind="milestone", *, submit=False, self_status="on_track"):
    from oversight.workplans.lights import obligations

    ob = next(o for o in obligations(assignment, TODAY) if o.kind == kind)
    report = services.report_save(
        assignment=assignment,
        kind=ob.kind,
        due_date=ob.due,
        data={"done_text": "已完成方案制定。", "self_status": self_status},
        user=user,
        period=(ob.period_start, ob.period_end) if ob.period_start else None,
    )
    if submit:
        report = services.report_submit(report=report, user=user)
    return report


@pytest.mark.django_db
class TestPlanIssue:
    def test_one_assignment_per_unit_with_groups_expanded(self, issued, actors):
        units = {(a.task.number, a.unit.short_name, a.is_lead) for a in Assignment.objects.all()}
        assert ("1", "区市场监管局", True) in units and ("1", "区城管执法局", False) in units
        task3 = {a.unit for a in Assignment.objects.filter(task__number="3")}
        assert task3 == {
            actors.bureau,
            actors.unit_a,
            actors.unit_b,
        }  # every enforcement department
        assert (
            Assignment.objects.filter(task__number="3", via_group__name="测试执法部门").count() == 3
        )

    def test_units_are_notified_once_per_unit(self, issued, actors):
        notices = Notification.objects.filter(user=actors.reporter_a, key__startswith="plan_issued")
        assert notices.count() == 1
        assert "3 项任务" in notices.get().body

    def test_issuing_twice_is_refused(self, issued, actors):
        with pytest.raises(ValidationError, match="已经下发"):
            services.plan_issue(plan=issued, user=actors.supervisor)

    def test_only_the_supervisor_issues(self, plan, actors):
        with pytest.raises(PermissionDenied):
            services.plan_issue(plan=plan, user=actors.reporter_a)
        assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_a_report_longer_than_the_rule_allows_is_refused(assignment, actors):
    signed(assignment, actors.reporter_a)
    from oversight.workplans.lights import obligations

    ob = next(o for o in obligations(assignment, TODAY) if o.kind == "milestone")
    with pytest.raises(ValidationError, match="不能超过 5000 字"):
        services.report_save(
            assignment=assignment,
            kind=ob.kind,
            due_date=ob.due,
            data={"done_text": "进" * 3_500_000, "self_status": "on_track"},
            user=actors.reporter_a,
        )
    assert not Report.objects.exists()


@pytest.mark.django_db
class TestAssignmentSign:
    def test_sign(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        assignment.refresh_from_db()
        assert assignment.status == "signed" and assignment.signed_by == actors.reporter_a
        assert assignment.events.filter(action="sign").exists()

    def test_signing_twice_is_refused(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        with pytest.raises(ValidationError, match="无需重复签收"):
            signed(assignment, actors.reporter_a)

    def test_a_unit_cannot_sign_another_units_assignment(self, assignment, actors):
        with pytest.raises(PermissionDenied):
            signed(assignment, actors.reporter_b)
        assignment.refresh_from_db()
        assert assignment.status == "issued"

    def test_the_supervisor_does_not_sign_for_units(self, assignment, actors):
        with pytest.raises(PermissionDenied):
            signed(assignment, actors.supervisor)

    def test_signing_several_at_once_records_each_one(self, issued, actors):
        mine = list(Assignment.objects.filter(unit=actors.unit_a).order_by("task__order"))
        assert len(mine) >= 2
        before = AuditEntry.objects.filter(message="签收任务").count()
        services.assignments_sign(assignments=mine, user=actors.reporter_a)
        assert set(
            Assignment.objects.filter(unit=actors.unit_a).values_list("status", flat=True)
        ) == {"signed"}
        assert AuditEntry.objects.filter(message="签收任务").count() == before + len(mine)
        assert AssignmentEvent.objects.filter(assignment__in=mine, action="sign").count() == len(
            mine
        )

    def test_signing_several_is_all_or_nothing(self, issued, actors):
        mine = list(Assignment.objects.filter(unit=actors.unit_a).order_by("task__order"))
        signed(mine[-1], actors.reporter_a)
        with pytest.raises(ValidationError, match="本次未签收任何任务"):
            services.assignments_sign(assignments=mine, user=actors.reporter_a)
        assert Assignment.objects.filter(
            pk__in=[a.pk for a in mine[:-1]], status="issued"
        ).count() == (len(mine) - 1)


@pytest.mark.django_db
class TestHandBack:
    def test_request_and_approve(self, assignment, actors):
        services.assignment_hand_back_request(
            assignment=assignment, reason="职能不符:本局不承担该项职责", user=actors.reporter_a
        )
        services.assignment_hand_back_decide(
            assignment=assignment, approve=True, comment="同意", user=actors.supervisor
        )
        assignment.refresh_from_db()
        assert assignment.status == "handed_back"
        assert list(assignment.events.values_list("action", flat=True)) == [
            "issue",
            "hand_back_request",
            "hand_back_approve",
        ]

    def test_refusal_needs_a_reason_and_restores_the_status(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        services.assignment_hand_back_request(
            assignment=assignment, reason="职能不符", user=actors.reporter_a
        )
        with pytest.raises(ValidationError, match="写明理由"):
            services.assignment_hand_back_decide(
                assignment=assignment, approve=False, user=actors.supervisor
            )
        services.assignment_hand_back_decide(
            assignment=assignment, approve=False, comment="属于贵局职责", user=actors.supervisor
        )
        assignment.refresh_from_db()
        assert assignment.status == "signed"

    def test_reason_is_required(self, assignment, actors):
        with pytest.raises(ValidationError):
            services.assignment_hand_back_request(
                assignment=assignment, reason="", user=actors.reporter_a
            )

    def test_units_cannot_decide(self, assignment, actors):
        services.assignment_hand_back_request(
            assignment=assignment, reason="职能不符", user=actors.reporter_a
        )
        with pytest.raises(PermissionDenied):
            services.assignment_hand_back_decide(
                assignment=assignment, approve=True, user=actors.reporter_a
            )


@pytest.mark.django_db
class TestBreakdown:
    def test_prefill_from_milestones(self, assignment):
        rows = services.breakdown_prefill(assignment)
        assert [r["content"] for r in rows] == ["于节点前报送方案", "完成任务并申请办结"]

    def test_breakdown_after_signing(self, assignment, actors):
        with pytest.raises(ValidationError, match="请先签收"):
            services.assignment_breakdown(
                assignment=assignment, measures=[], user=actors.reporter_a
            )
        signed(assignment, actors.reporter_a)
        measures = [
            {
                "content": "制定方案",
                "responsible_person": "李四",
                "planned_date": TODAY + datetime.timedelta(days=5),
            }
        ]
        assert (
            len(
                services.assignment_breakdown(
                    assignment=assignment, measures=measures, user=actors.reporter_a
                )
            )
            == 1
        )

    def test_invalid_measures_are_listed(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        measures = [
            {"content": "", "responsible_person": "李四", "planned_date": TODAY},
            {
                "content": "延后",
                "responsible_person": "",
                "planned_date": assignment.due_date + datetime.timedelta(days=1),
            },
        ]
        with pytest.raises(ValidationError) as caught:
            services.assignment_breakdown(
                assignment=assignment, measures=measures, user=actors.reporter_a
            )
        text = " ".join(caught.value.messages)
        assert (
            "第 1 条措施:请填写具体措施" in text
            and "第 2 条措施:请填写责任人" in text
            and "不能晚于完成时限" in text
        )


@pytest.mark.django_db
class TestReports:
    def test_report_on_an_unsigned_assignment_is_refused(self, assignment, actors):
        with pytest.raises(ValidationError, match="请先签收"):
            services.report_save(
                assignment=assignment,
                kind="milestone",
                due_date=TODAY,
                data={"done_text": "x", "self_status": "on_track"},
                user=actors.reporter_a,
            )

    def test_submit_accept(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a, submit=True)
        assert report.status == "submitted"
        services.report_accept(report=report, user=actors.supervisor)
        report.refresh_from_db()
        assert report.status == "accepted"

    def test_accepting_twice_is_refused(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a, submit=True)
        services.report_accept(report=report, user=actors.supervisor)
        with pytest.raises(ValidationError, match="不能重复审核"):
            services.report_accept(report=report, user=actors.supervisor)

    def test_return_revise_resubmit_keeps_history(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a, submit=True)
        with pytest.raises(ValidationError):
            services.report_return(report=report, comment="", user=actors.supervisor)
        services.report_return(report=report, comment="请补充会议纪要", user=actors.supervisor)
        assert Notification.objects.filter(
            user=actors.reporter_a, title__contains="被退回修改"
        ).exists()
        services.report_save(
            assignment=assignment,
            kind=report.kind,
            due_date=report.due_date,
            data={"done_text": "已补充会议纪要。", "self_status": "on_track"},
            user=actors.reporter_a,
        )
        report = services.report_submit(
            report=Report.objects.get(pk=report.pk), user=actors.reporter_a
        )
        assert report.version == 2
        revisions = list(ReportRevision.objects.filter(report=report).order_by("version"))
        assert [(r.version, r.content["done_text"], r.review_comment) for r in revisions] == [
            (1, "已完成方案制定。", "请补充会议纪要"),
            (2, "已补充会议纪要。", ""),
        ]

    def test_submitted_report_cannot_be_edited(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a, submit=True)
        with pytest.raises(ValidationError, match="不能修改"):
            services.report_save(
                assignment=assignment,
                kind=report.kind,
                due_date=report.due_date,
                data={"done_text": "改", "self_status": "on_track"},
                user=actors.reporter_a,
            )

    def test_another_unit_cannot_touch_the_report(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a)
        with pytest.raises(PermissionDenied):
            services.report_submit(report=report, user=actors.reporter_b)
        report.refresh_from_db()
        assert report.status == "draft"

    def test_units_cannot_accept(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a, submit=True)
        with pytest.raises(PermissionDenied):
            services.report_accept(report=report, user=actors.reporter_a)

    def test_head_approval_when_the_plan_asks(self, assignment, actors):
        plan = assignment.task.plan
        plan.require_head_approval = True
        plan.save()
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a, submit=True)
        assert report.status == "pending_approval"
        assert Notification.objects.filter(user=actors.head_a, title__contains="待您审核").exists()
        with pytest.raises(ValidationError, match="尚未报送到监督机构"):
            services.report_accept(report=report, user=actors.supervisor)
        with pytest.raises(PermissionDenied):
            services.report_approve(report=report, approve=True, user=actors.reporter_a)
        services.report_approve(report=report, approve=True, user=actors.head_a)
        report.refresh_from_db()
        assert report.status == "submitted" and report.approved_by == actors.head_a

    def test_audit_and_timeline(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        report = report_for(assignment, actors.reporter_a, submit=True)
        services.report_accept(report=report, user=actors.supervisor)
        actions = list(
            AssignmentEvent.objects.filter(assignment=assignment).values_list("action", flat=True)
        )
        assert actions == ["issue", "sign", "report_submit", "report_accept"]
        assert AuditEntry.objects.filter(object_id=str(report.pk), message="报告通过").exists()


@pytest.mark.django_db
class TestEvidence:
    @pytest.fixture
    def draft(self, assignment, actors, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        signed(assignment, actors.reporter_a)
        return report_for(assignment, actors.reporter_a)

    def test_stored_with_sha256(self, draft, actors):
        import hashlib

        evidence = services.evidence_add(
            report=draft, name="会议纪要.pdf", data=PDF, user=actors.reporter_a
        )
        assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
        assert evidence.file.read() == PDF

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            ("a.exe", b"MZ", "类型不支持"),
            ("a.pdf", PNG, "内容与扩展名不符"),
            ("a.png", b"", "空文件"),
        ],
    )
    def test_type_checks(self, draft, actors, name, data, message):
        with pytest.raises(ValidationError, match=message):
            services.evidence_add(report=draft, name=name, data=data, user=actors.reporter_a)

    def test_duplicate_upload_is_refused(self, draft, actors):
        services.evidence_add(report=draft, name="a.png", data=PNG, user=actors.reporter_a)
        with pytest.raises(ValidationError, match="已经上传过"):
            services.evidence_add(report=draft, name="b.png", data=PNG, user=actors.reporter_a)

    def test_no_evidence_after_submitting(self, draft, actors):
        services.report_submit(report=draft, user=actors.reporter_a)
        with pytest.raises(ValidationError, match="不能再添加"):
            services.evidence_add(report=draft, name="a.png", data=PNG, user=actors.reporter_a)


@pytest.mark.django_db
class TestExtension:
    def test_request_and_approve_moves_the_deadline(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        new = assignment.due_date + datetime.timedelta(days=30)
        with pytest.raises(ValidationError, match="应晚于当前时限"):
            services.extension_request(
                assignment=assignment,
                new_date=assignment.due_date,
                reason="人手不足",
                user=actors.reporter_a,
            )
        extension = services.extension_request(
            assignment=assignment, new_date=new, reason="人手不足,需延期", user=actors.reporter_a
        )
        with pytest.raises(ValidationError, match="已有一份延期申请"):
            services.extension_request(
                assignment=assignment, new_date=new, reason="再次申请", user=actors.reporter_a
            )
        services.extension_decide(extension=extension, approve=True, user=actors.supervisor)
        assignment.refresh_from_db()
        assert assignment.due_date == new
        with pytest.raises(ValidationError, match="已经审批"):
            services.extension_decide(extension=extension, approve=True, user=actors.supervisor)

    def test_an_extension_to_2099_is_refused_by_the_rule(self, assignment, actors):
        from oversight.core.rules import rule_set

        signed(assignment, actors.reporter_a)
        with pytest.raises(ValidationError, match="一次延期最多延长 90 天"):
            services.extension_request(
                assignment=assignment,
                new_date=datetime.date(2099, 12, 31),
                reason="人手不足,需延期",
                user=actors.reporter_a,
            )
        rule_set(key="workplans.extension_max_days", value=200, user=actors.supervisor)
        services.extension_request(
            assignment=assignment,
            new_date=assignment.due_date + datetime.timedelta(days=200),
            reason="人手不足,需延期",
            user=actors.reporter_a,
        )

    def test_refusal_keeps_the_deadline(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        old = assignment.due_date
        extension = services.extension_request(
            assignment=assignment,
            new_date=old + datetime.timedelta(days=9),
            reason="人手不足",
            user=actors.reporter_a,
        )
        services.extension_decide(
            extension=extension, approve=False, comment="时限不能推迟", user=actors.supervisor
        )
        assignment.refresh_from_db()
        assert assignment.due_date == old
        assert Extension.objects.get().status == "refused"

    def test_standing_tasks_have_no_deadline_to_extend(self, issued, actors):
        standing = issued.tasks.get(number="2").assignments.get(unit=actors.unit_a)
        signed(standing, actors.reporter_a)
        with pytest.raises(ValidationError, match="长期任务"):
            services.extension_request(
                assignment=standing, new_date=TODAY, reason="理由充分", user=actors.reporter_a
            )


@pytest.mark.django_db
class TestCompletion:
    def test_request_and_confirm(self, assignment, actors):
        signed(assignment, actors.reporter_a)
        services.completion_request(
            assignment=assignment, note="方案已印发", user=actors.reporter_a
        )
        services.completion_confirm(assignment=assignment, approve=True, user=actors.supervisor)
        assignment.refresh_from_db()
        assert assignment.status == "completed" and assignment.completed_at

    def test_confirming_without_a_request_is_refused(self, assignment, actors):
        with pytest.raises(ValidationError, match="没有待确认的办结申请"):
            services.completion_confirm(assignment=assignment, approve=True, user=actors.supervisor)

    def test_standing_task_is_never_completed(self, issued, actors):
        standing = issued.tasks.get(number="2").assignments.get(unit=actors.unit_a)
        signed(standing, actors.reporter_a)
        with pytest.raises(ValidationError, match="长期坚持的任务不办结"):
            services.completion_request(assignment=standing, note="完成", user=actors.reporter_a)


@pytest.mark.django_db
class TestTaskSetUnits:
    def test_adding_a_unit_after_issuing_assigns_it(self, issued, actors):
        task = issued.tasks.get(number="2")
        services.task_set_units(
            task=task, links=[(actors.unit_a, True), (actors.unit_b, False)], user=actors.supervisor
        )
        assert set(task.assignments.values_list("unit__short_name", "is_lead")) == {
            ("区市场监管局", True),
            ("区城管执法局", False),
        }

    def test_a_unit_with_reports_cannot_be_removed(self, issued, actors):
        task = issued.tasks.get(number="1")
        b = task.assignments.get(unit=actors.unit_b)
        signed(b, actors.reporter_b)
        report_for(b, actors.reporter_b, submit=True)
        with pytest.raises(ValidationError, match="已报送报告"):
            services.task_set_units(
                task=task, links=[(actors.unit_a, True)], user=actors.supervisor
            )
        assert task.assignments.filter(unit=actors.unit_b).exists()


@pytest.mark.django_db
class TestLeadSummary:
    def test_only_the_lead_unit_sums_up(self, issued, actors):
        task = issued.tasks.get(number="1")
        lead = task.assignments.get(unit=actors.unit_a)
        other = task.assignments.get(unit=actors.unit_b)
        services.lead_summary_save(
            assignment=lead, text="两家单位均按计划推进。", user=actors.reporter_a
        )
        with pytest.raises(ValidationError, match="只有牵头单位"):
            services.lead_summary_save(assignment=other, text="x", user=actors.reporter_b)


@pytest.mark.django_db
class TestLetters:
    def test_numbers_run_without_gaps(self, issued, actors):
        letters = [
            services.letter_propose(assignment=a, due_date=TODAY, overdue=5)
            for a in Assignment.objects.all()[:2]
        ]
        numbers = [
            services.letter_issue(
                letter=letter,
                level="blue",
                content="请整改",
                reply_due=TODAY + datetime.timedelta(days=5),
                user=actors.supervisor,
            ).number
            for letter in letters
        ]
        year = TODAY.year
        assert numbers == [f"陆司督〔{year}〕1号", f"陆司督〔{year}〕2号"]

    def test_proposed_once_per_obligation(self, assignment):
        assert services.letter_propose(assignment=assignment, due_date=TODAY, overdue=5) is not None
        assert services.letter_propose(assignment=assignment, due_date=TODAY, overdue=6) is None

    def test_dismissing_is_the_supervisors_and_audited(self, assignment, actors):
        from oversight.core.models import AuditEntry

        letter = services.letter_propose(assignment=assignment, due_date=TODAY, overdue=5)
        with pytest.raises(PermissionDenied):
            services.letter_dismiss(letter=letter, user=actors.reporter_a)
        services.letter_dismiss(letter=letter, user=actors.supervisor)
        entry = AuditEntry.objects.get(
            object_id=str(letter.pk), object_type__model="supervisionletter", action="action"
        )
        assert entry.data_after == {"status": "dismissed"}
        with pytest.raises(ValidationError, match="已处理"):
            services.letter_dismiss(letter=letter, user=actors.supervisor)

    def test_the_letter_page_issues_dismisses_and_keeps_what_was_typed(
        self, issued, actors, client_as
    ):
        from django.urls import reverse

        first, second = (
            services.letter_propose(assignment=a, due_date=TODAY, overdue=5)
            for a in Assignment.objects.order_by("pk")[:2]
        )
        client = client_as(actors.supervisor)
        url = reverse("workplans:letter_issue", args=[first.pk])
        page = client.post(url, {"op": "issue", "level": "blue", "content": "请立即整改(草稿)"})
        assert page.status_code == 200 and "请立即整改(草稿)" in page.content.decode()
        first.refresh_from_db()
        assert first.status == "proposed"
        due = (TODAY + datetime.timedelta(days=5)).isoformat()
        page = client.post(
            url,
            {"op": "issue", "level": "blue", "content": "请整改", "reply_due": due},
            follow=True,
        )
        first.refresh_from_db()
        assert first.status == "issued" and f"已签发督办函 {first.number}" in page.content.decode()
        assert page.redirect_chain[-1][0] == reverse("workplans:letter_list")
        page = client.post(
            reverse("workplans:letter_issue", args=[second.pk]), {"op": "dismiss"}, follow=True
        )
        second.refresh_from_db()
        assert second.status == "dismissed" and "已决定不发督办函" in page.content.decode()
        # A unit's reporter cannot reach the page at all.
        assert client_as(actors.reporter_a).post(url, {"op": "dismiss"}).status_code == 403
