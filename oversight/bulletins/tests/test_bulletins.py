"""Bulletin and evaluation figures on a hand-built timeline, including a past period that must not
change when later work arrives; the Word and Excel outputs."""

import datetime as dt
import io
import json
import re
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from oversight.bulletins import evaluations
from oversight.bulletins import services as bulletins
from oversight.bulletins.documents import (
    bulletin_docx,
    bulletin_xlsx,
    evaluation_docx,
    evaluation_xlsx,
)
from oversight.bulletins.figures import compute
from oversight.bulletins.models import Bulletin
from oversight.workplans import services
from oversight.workplans.lights import obligations
from oversight.workplans.models import Assignment, Plan
from oversight.workplans.tests.conftest import make_task

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive


def at(month, day, hour=10, year=2026):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@contextmanager
def on(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def story(actors, calendar):
    """Issued 1 July 2026. Task 1 is due 15 Sep with a milestone on 15 Aug (A leads, B helps);
    task 2 is standing. A does everything on time; B signs late, reports the milestone late, has
    it returned once, and has not completed task 1 by 30 Sep."""
    plan = Plan.objects.create(title="通报测试计划")
    make_task(
        plan,
        "1",
        units=[(actors.unit_a, True), (actors.unit_b, False)],
        due=dt.date(2026, 9, 15),
        milestones=[(dt.date(2026, 8, 15), "于8月15日前报送方案")],
        order=1,
    )
    make_task(
        plan, "2", units=[(actors.unit_a, False), (actors.unit_b, False)], standing=True, order=2
    )
    with on(at(7, 1, 9)):
        services.plan_issue(plan=plan, user=actors.supervisor)
    a1 = Assignment.objects.get(task__number="1", unit=actors.unit_a)
    b1 = Assignment.objects.get(task__number="1", unit=actors.unit_b)
    a2 = Assignment.objects.get(task__number="2", unit=actors.unit_a)
    b2 = Assignment.objects.get(task__number="2", unit=actors.unit_b)
    with on(at(7, 2)):
        services.assignment_sign(assignment=a1, user=actors.reporter_a)
        services.assignment_sign(assignment=a2, user=actors.reporter_a)
    with on(at(7, 8)):
        services.assignment_sign(assignment=b1, user=actors.reporter_b)
        services.assignment_sign(assignment=b2, user=actors.reporter_b)

    def milestone_report(assignment, user, when, accept_when):
        with on(when):
            report = services.report_save(
                assignment=assignment,
                kind="milestone",
                due_date=dt.date(2026, 8, 15),
                data={"done_text": "方案已报送", "self_status": "on_track"},
                user=user,
            )
            services.report_submit(report=report, user=user)
        return report

    report_a = milestone_report(a1, actors.reporter_a, at(8, 14), None)
    with on(at(8, 17)):
        services.report_accept(report=report_a, user=actors.supervisor)
    report_b = milestone_report(b1, actors.reporter_b, at(8, 20), None)
    with on(at(8, 21)):
        services.report_return(report=report_b, comment="请补充", user=actors.supervisor)
    with on(at(8, 24)):
        services.report_save(
            assignment=b1,
            kind="milestone",
            due_date=dt.date(2026, 8, 15),
            data={"done_text": "已补充", "self_status": "at_risk"},
            user=actors.reporter_b,
        )
        services.report_submit(report=report_b, user=actors.reporter_b)
    with on(at(8, 25)):
        services.report_accept(report=report_b, user=actors.supervisor)
    with on(at(9, 10)):
        services.completion_request(assignment=a1, note="已完成", user=actors.reporter_a)
    with on(at(9, 12)):
        services.completion_confirm(assignment=a1, approve=True, user=actors.supervisor)
    return Plan.objects.get(pk=plan.pk)


def unit(figures, name):
    return next(u for u in figures.units if u.unit == name)


@pytest.mark.django_db
class TestBulletinFigures:
    def test_third_quarter(self, story):
        with on(at(10, 5)):
            figures = compute(story, dt.date(2026, 7, 1), dt.date(2026, 9, 30))
        a, b = unit(figures, "区市场监管局"), unit(figures, "区城管执法局")
        assert (a.assignments, a.dated, a.completed, a.completed_on_time) == (2, 1, 1, 1)
        assert (
            a.due_in_period,
            a.on_time_in_period,
            a.late_in_period,
            a.returned_in_period,
            a.overdue,
        ) == (2, 2, 0, 0, 0)
        assert (b.assignments, b.dated, b.completed) == (2, 1, 0)
        assert (b.due_in_period, b.on_time_in_period, b.late_in_period, b.returned_in_period) == (
            2,
            0,
            2,
            1,
        )
        # 16 Sep – 30 Sep: 11 working days (Sunday 20 Sep is a make-up day, 25 Sep is 中秋).
        assert [(i["task_number"], i["label"], i["overdue_workdays"]) for i in b.overdue_items] == [
            ("1", "完成办结", 11)
        ]
        assert [u.unit for u in figures.units] == ["区市场监管局", "区城管执法局"]
        assert [u.rank for u in figures.units] == [1, 2]
        assert [u.unit for u in figures.laggards] == ["区城管执法局"]
        assert (figures.assignments, figures.completed, figures.on_time_rate) == (4, 1, 50.0)

    def test_past_period_does_not_change_when_later_work_arrives(self, story, actors):
        with on(at(10, 5)):
            before = compute(story, dt.date(2026, 7, 1), dt.date(2026, 9, 30)).to_json()
        b1 = Assignment.objects.get(task__number="1", unit=actors.unit_b)
        a2 = Assignment.objects.get(task__number="2", unit=actors.unit_a)
        with on(at(10, 9)):
            q3 = next(o for o in obligations(a2, dt.date(2026, 10, 9)) if o.kind == "periodic")
            report = services.report_save(
                assignment=a2,
                kind="periodic",
                due_date=q3.due,
                data={"done_text": "三季度", "self_status": "on_track"},
                user=actors.reporter_a,
                period=(q3.period_start, q3.period_end),
            )
            services.report_submit(report=report, user=actors.reporter_a)
        with on(at(10, 20)):
            services.completion_request(assignment=b1, note="补办完成", user=actors.reporter_b)
            services.completion_confirm(assignment=b1, approve=True, user=actors.supervisor)
        with on(at(10, 21)):
            after = compute(story, dt.date(2026, 7, 1), dt.date(2026, 9, 30)).to_json()
            october = compute(story, dt.date(2026, 10, 1), dt.date(2026, 10, 20))
        assert after == before
        assert unit(october, "区城管执法局").completed == 1
        assert unit(october, "区城管执法局").completed_on_time == 0

    def test_an_extension_approved_later_does_not_rewrite_the_past(self, story, actors):
        b1 = Assignment.objects.get(task__number="1", unit=actors.unit_b)
        with on(at(10, 10)):
            ext = services.extension_request(
                assignment=b1,
                new_date=dt.date(2026, 10, 30),
                reason="需要协调",
                user=actors.reporter_b,
            )
            services.extension_decide(extension=ext, approve=True, user=actors.supervisor)
        with on(at(10, 12)):
            past = compute(story, dt.date(2026, 7, 1), dt.date(2026, 9, 30))
            now = compute(story, dt.date(2026, 10, 1), dt.date(2026, 10, 12))
        assert unit(past, "区城管执法局").overdue == 1
        assert unit(now, "区城管执法局").overdue == 0


@pytest.mark.django_db
class TestBulletinService:
    def test_publish_freezes_numbers_and_notifies(self, story, actors):
        with on(at(10, 5)):
            bulletin = bulletins.bulletin_create(
                plan=story,
                period="quarter",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 9, 30),
                user=actors.supervisor,
            )
            assert bulletin.title == "关于2026年第三季度行政执法协调监督工作任务落实情况的通报"
            bulletins.bulletin_update(
                bulletin=bulletin,
                data={"highlights": "区市场监管局建立涉企检查台账。"},
                user=actors.supervisor,
            )
            bulletin = bulletins.bulletin_publish(bulletin=bulletin, user=actors.supervisor)
        assert bulletin.number == "陆司通〔2026〕1号"
        assert bulletin.figures["units"][0]["unit"] == "区市场监管局"
        assert actors.reporter_b.notifications.filter(key=f"bulletin:{bulletin.pk}").exists()
        with pytest.raises(ValidationError, match="不能修改"):
            bulletins.bulletin_update(
                bulletin=bulletin, data={"highlights": "改"}, user=actors.supervisor
            )
        with pytest.raises(ValidationError, match="已经发布"):
            bulletins.bulletin_publish(bulletin=bulletin, user=actors.supervisor)

    def test_period_in_the_future_is_refused(self, story, actors):
        with on(at(9, 1)), pytest.raises(ValidationError, match="不能晚于今天"):
            bulletins.bulletin_create(
                plan=story,
                period="quarter",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 9, 30),
                user=actors.supervisor,
            )

    def test_units_cannot_draft(self, story, actors):
        with pytest.raises(PermissionDenied):
            bulletins.bulletin_create(
                plan=story,
                period="month",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 7, 31),
                user=actors.reporter_a,
            )

    def test_drafting_twice_opens_the_same_draft(self, story, actors):
        args = dict(plan=story, period="month", date_from=dt.date(2026, 7, 1))
        with on(at(8, 3)):
            first = bulletins.bulletin_create(
                **args, date_to=dt.date(2026, 7, 31), user=actors.supervisor
            )
            second = bulletins.bulletin_create(
                **args, date_to=dt.date(2026, 7, 31), user=actors.supervisor
            )
        assert second.pk == first.pk and second.already_drafted
        assert Bulletin.objects.filter(plan=story).count() == 1

    def test_a_period_before_the_plan_was_issued_is_refused(self, story, actors):
        with on(at(8, 3)), pytest.raises(ValidationError, match="早于计划下发日 2026-07-01"):
            bulletins.bulletin_create(
                plan=story,
                period="month",
                date_from=dt.date(2026, 6, 1),
                date_to=dt.date(2026, 6, 30),
                user=actors.supervisor,
            )

    def test_a_draft_can_be_deleted_a_published_bulletin_cannot(self, story, actors):
        from oversight.core.models import AuditEntry

        with on(at(8, 3)):
            draft = bulletins.bulletin_create(
                plan=story,
                period="month",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 7, 31),
                user=actors.supervisor,
            )
        with pytest.raises(PermissionDenied):
            bulletins.bulletin_delete(bulletin=draft, user=actors.reporter_a)
        bulletins.bulletin_delete(bulletin=draft, user=actors.supervisor)
        assert not Bulletin.objects.filter(pk=draft.pk).exists()
        assert AuditEntry.objects.filter(action="delete", message__contains="删除通报草稿").exists()
        with on(at(8, 3)):
            kept = bulletins.bulletin_create(
                plan=story,
                period="month",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 7, 31),
                user=actors.supervisor,
            )
            bulletins.bulletin_publish(bulletin=kept, user=actors.supervisor)
        with pytest.raises(ValidationError, match="不能删除"):
            bulletins.bulletin_delete(bulletin=kept, user=actors.supervisor)

    def test_schedule_drafts_on_the_fifth_working_day(self, story):
        from oversight.bulletins.models import BulletinSchedule

        BulletinSchedule.objects.create(plan=story, period="quarter", workday=5)
        # The fourth quarter opens with the National Day holiday: its working days are 8, 9, 10
        # (a make-up Saturday), 12 and 13 October, so the 5th is the 13th.
        with on(at(10, 12)):
            assert bulletins.bulletin_schedule_run(today=dt.date(2026, 10, 12)) == []
        with on(at(10, 13)):
            created = bulletins.bulletin_schedule_run(today=dt.date(2026, 10, 13))
        with on(at(10, 14)):
            assert bulletins.bulletin_schedule_run(today=dt.date(2026, 10, 14)) == []
        assert [(b.date_from, b.date_to, b.status) for b in created] == [
            (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "draft")
        ]


@pytest.mark.django_db
class TestDocuments:
    @pytest.fixture
    def bulletin(self, story, actors):
        with on(at(10, 5)):
            return bulletins.bulletin_create(
                plan=story,
                period="quarter",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 9, 30),
                user=actors.supervisor,
            )

    def test_docx_layout_and_content(self, bulletin):
        with on(at(10, 5)):
            content = bulletin_docx(bulletin, bulletins.bulletin_figures(bulletin))
        doc = Document(io.BytesIO(content))
        section = doc.sections[0]

        def mm(length):  # Word stores twips: compare to a tenth of a millimetre
            return round(length / Mm(1), 1)

        assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
        assert [
            mm(x)
            for x in (
                section.top_margin,
                section.bottom_margin,
                section.left_margin,
                section.right_margin,
            )
        ] == [37, 35, 28, 26]
        texts = [p.text for p in doc.paragraphs if p.text]
        assert texts[0] == "下陆区司法局" and texts[1] == "（草稿）"
        # Chinese text carries full-width punctuation (GB/T 15834), whatever the code wrote.
        half = re.compile(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]")
        assert not [t for t in texts if half.search(t)]
        assert texts[2] == bulletin.title
        title_run = doc.paragraphs[3].runs[0]
        assert title_run.font.size.pt == 22
        assert (
            title_run._element.rPr.rFonts.get(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
            )
            == "方正小标宋简体"
        )
        body = "\n".join(texts)
        assert (
            "区城管执法局：逾期未完成 1 项，1“任务1”完成办结（应于2026年9月15日完成，已逾期11个工作日）"
            in body
        )
        table = doc.tables[0]
        assert [c.text for c in table.rows[1].cells[:2]] == ["1", "区市场监管局"]
        assert (
            "PAGE" in section.footer._element.xml
            and "PAGE" in section.even_page_footer._element.xml
        )
        font_table = next(
            p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
        )
        assert (
            "仿宋_GB2312" in font_table.blob.decode()
            and 'w:altName w:val="仿宋"' in font_table.blob.decode()
        )

    def test_xlsx_holds_the_ledger_behind_the_figures(self, bulletin):
        with on(at(10, 5)):
            content = bulletin_xlsx(bulletin, bulletins.bulletin_figures(bulletin))
        wb = load_workbook(io.BytesIO(content))
        assert wb.sheetnames == ["各单位情况", "逾期事项", "报送明细", "说明"]
        units = list(wb["各单位情况"].iter_rows(values_only=True))
        assert units[1][:3] == (1, "区市场监管局", 2)
        overdue = list(wb["逾期事项"].iter_rows(values_only=True))
        assert overdue[1] == ("区城管执法局", "1", "任务1", "完成办结", "2026-09-15", 11)


@pytest.mark.django_db
class TestEvaluation:
    @pytest.fixture
    def scheme(self, story, actors):
        scheme = evaluations.evaluation_create(
            plan=story, kind="midterm", as_of=dt.date(2026, 9, 30), user=actors.supervisor
        )
        with on(at(10, 5)):
            evaluations.evaluation_score(scheme=scheme, user=actors.supervisor)
        return scheme

    def results(self, scheme):
        return {r.unit.short_name: r for r in scheme.results.select_related("unit")}

    def test_scores_from_the_data(self, scheme):
        r = self.results(scheme)
        assert (
            r["区市场监管局"].auto_score == Decimal("100.00") and r["区市场监管局"].grade == "优秀"
        )
        # B, task 1: signing 2 working days late (-4), milestone 4 late (-8), completion 11 overdue
        # (-22), one return (-5) → 61; task 2: signing late (-4) → 96; average 78.5.
        b = r["区城管执法局"]
        assert [item["score"] for item in b.detail] == [61.0, 96.0]
        assert b.auto_score == Decimal("78.50") and b.grade == "合格" and b.rank == 2

    def test_weights(self, scheme, actors):
        scheme.task_weights = {"1": 3}
        scheme.save()
        with on(at(10, 5)):
            evaluations.evaluation_score(scheme=scheme, user=actors.supervisor)
        assert self.results(scheme)["区城管执法局"].auto_score == Decimal("69.75")

    def test_adjust_publish_object_once_settle(self, scheme, actors):
        b = self.results(scheme)["区城管执法局"]
        with pytest.raises(ValidationError):
            evaluations.evaluation_adjust(
                result=b, adjustment=Decimal(3), reason="", user=actors.supervisor
            )
        evaluations.evaluation_adjust(
            result=b,
            adjustment=Decimal(0),
            reason="",
            bonus=Decimal(2),
            bonus_reason="经验被市级推广",
            user=actors.supervisor,
        )
        assert self.results(scheme)["区城管执法局"].final_score == Decimal("80.50")
        assert self.results(scheme)["区城管执法局"].grade == "良好"
        with pytest.raises(PermissionDenied):  # unpublished results are not visible to the unit yet
            evaluations.evaluation_object(
                result=b, text="扣分有误,详见说明", user=actors.reporter_b
            )
        scheme = evaluations.evaluation_publish(scheme=scheme, user=actors.supervisor)
        assert scheme.number.startswith("陆司评〔")
        with pytest.raises(PermissionDenied):
            evaluations.evaluation_object(result=b, text="替别人提异议", user=actors.reporter_a)
        evaluations.evaluation_object(
            result=b, text="签收迟延系系统故障,有截图为证", user=actors.reporter_b
        )
        with pytest.raises(ValidationError, match="只能提出一次"):
            evaluations.evaluation_object(result=b, text="再提一次异议", user=actors.reporter_b)
        evaluations.evaluation_settle(
            result=b, text="情况属实,返还签收扣分", adjustment=Decimal(2), user=actors.supervisor
        )
        b = self.results(scheme)["区城管执法局"]
        assert b.final_score == Decimal("82.50") and b.settlement

    def test_outputs(self, scheme):
        doc = Document(io.BytesIO(evaluation_docx(scheme)))
        assert doc.tables[0].rows[1].cells[1].text == "区市场监管局"
        wb = load_workbook(io.BytesIO(evaluation_xlsx(scheme, scheme.results.order_by("rank"))))
        assert wb.sheetnames == ["评估结果", "评分明细"]
        detail = list(wb["评分明细"].iter_rows(values_only=True))
        assert any("报告被退回 1 次:-5.00" in (row[4] or "") for row in detail)

    def test_default_date_from_the_notice_body(self, story, actors):
        from oversight.workplans.models import Milestone, Task

        body = Task.objects.create(
            plan=story, kind="body", number="三", order=9, title="评估", text="…"
        )
        Milestone.objects.create(
            task=body, date=dt.date(2026, 11, 30), text="并于2026年11月前完成中期评估"
        )
        Milestone.objects.create(
            task=body, date=dt.date(2025, 10, 31), text="2025年10月前完成终期评估"
        )
        with on(at(9, 1)):  # the notice's date is still ahead: not scored before it comes
            early = evaluations.evaluation_create(
                plan=story, kind="midterm", user=actors.supervisor
            )
        assert early.as_of == dt.date(2026, 9, 1)
        with on(at(12, 1)):
            scheme = evaluations.evaluation_create(
                plan=story, kind="midterm", user=actors.supervisor
            )
        assert scheme.as_of == dt.date(2026, 11, 30)
        # A date before the plan was issued (here, 1 July 2026) would evaluate nothing: today instead.
        with on(at(11, 2)):
            final = evaluations.evaluation_create(plan=story, kind="final", user=actors.supervisor)
        assert final.as_of == dt.date(2026, 11, 2)

    def test_an_evaluation_before_the_plan_was_issued_is_refused(self, story, actors):
        with pytest.raises(ValidationError, match="早于计划下发日"):
            evaluations.evaluation_create(
                plan=story, kind="midterm", as_of=dt.date(2026, 6, 30), user=actors.supervisor
            )

    def test_creating_twice_gives_one_scheme_which_can_be_deleted(self, story, actors):
        kwargs = dict(
            plan=story, kind="midterm", as_of=dt.date(2026, 9, 30), user=actors.supervisor
        )
        first = evaluations.evaluation_create(**kwargs)
        assert evaluations.evaluation_create(**kwargs).pk == first.pk
        with on(at(10, 5)):
            evaluations.evaluation_score(scheme=first, user=actors.supervisor)
        assert first.results.exists()
        with pytest.raises(PermissionDenied):
            evaluations.evaluation_delete(scheme=first, user=actors.reporter_a)
        evaluations.evaluation_delete(scheme=first, user=actors.supervisor)
        assert not story.evaluations.exists()


@pytest.mark.django_db
def test_bulletin_command(story, tmp_path):
    from django.core.management import call_command

    with on(at(10, 5)):
        call_command(
            "bulletin",
            "--plan",
            str(story.pk),
            "--from",
            "2026-07-01",
            "--to",
            "2026-09-30",
            "--out",
            str(tmp_path),
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "通报-20260701-20260930.docx",
        "通报-20260701-20260930.xlsx",
    ]
    assert not Bulletin.objects.exists()


@pytest.mark.django_db
class TestPages:
    def test_drafting_runs_in_the_background_and_opens_the_draft(
        self, story, actors, client_as, django_capture_on_commit_callbacks
    ):
        from django.urls import reverse

        client = client_as(actors.supervisor)
        data = {
            "plan": story.pk,
            "period": "quarter",
            "date_from": "2026-07-01",
            "date_to": "2026-09-30",
        }
        with on(at(10, 5)), django_capture_on_commit_callbacks(execute=True):
            started = client.post(reverse("bulletins:bulletin_add"), data)
        assert started["Location"].startswith("/jobs/")
        bulletin = Bulletin.objects.get(plan=story)
        assert bulletin.status == "draft" and bulletin.figures  # computed once, kept with it
        with on(at(10, 5)):
            opened = client.get(started["Location"])
        assert opened["Location"] == bulletin.get_absolute_url()
        # Pressed again: the same draft, no second job.
        with on(at(10, 5)):
            again = client.post(reverse("bulletins:bulletin_add"), data)
        assert again["Location"] == bulletin.get_absolute_url()
        # A period before the plan was issued is refused on the form, nothing started.
        with on(at(10, 5)):
            refused = client.post(
                reverse("bulletins:bulletin_add"),
                {**data, "date_from": "2026-04-01", "date_to": "2026-06-30"},
            )
        assert "早于计划下发日" in refused.content.decode()
        assert Bulletin.objects.filter(plan=story).count() == 1

    def test_units_see_only_published_bulletins(self, story, actors, client_as):
        from django.urls import reverse

        with on(at(10, 5)):
            bulletin = bulletins.bulletin_create(
                plan=story,
                period="quarter",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 9, 30),
                user=actors.supervisor,
            )
        unit = client_as(actors.reporter_b)
        assert unit.get(bulletin.get_absolute_url()).status_code == 404
        with on(at(10, 5)):
            bulletins.bulletin_publish(bulletin=bulletin, user=actors.supervisor)
        page = unit.get(bulletin.get_absolute_url()).content.decode()
        assert "区城管执法局:第 2 名(共 2 个单位)" in page
        assert (
            unit.post(bulletin.get_absolute_url(), {"title": "改", "highlights": "x"}).status_code
            == 403
        )
        assert unit.get(reverse("bulletins:bulletin_add")).status_code == 403

    def test_supervisor_edits_draft_and_downloads(self, story, actors, client_as):
        with on(at(10, 5)):
            bulletin = bulletins.bulletin_create(
                plan=story,
                period="quarter",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 9, 30),
                user=actors.supervisor,
            )
            client = client_as(actors.supervisor)
            client.post(
                bulletin.get_absolute_url(),
                {
                    "title": bulletin.title,
                    "intro": "导语",
                    "highlights": "区市场监管局按时完成全部任务。",
                    "requirements": "",
                },
            )
            bulletin.refresh_from_db()
            assert bulletin.highlights == "区市场监管局按时完成全部任务。"
            docx = client.get(bulletin.get_absolute_url(), {"format": "docx"})
        assert docx["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
        assert "区市场监管局按时完成全部任务。" in "\n".join(
            p.text for p in Document(io.BytesIO(docx.content)).paragraphs
        )

    def test_unit_sees_only_its_own_published_result(self, story, actors, client_as):
        scheme = evaluations.evaluation_create(
            plan=story, kind="midterm", as_of=dt.date(2026, 9, 30), user=actors.supervisor
        )
        with on(at(10, 5)):
            evaluations.evaluation_score(scheme=scheme, user=actors.supervisor)
        client = client_as(actors.reporter_b)
        assert client.get(scheme.get_absolute_url()).status_code == 404
        evaluations.evaluation_publish(scheme=scheme, user=actors.supervisor)
        results = client.get(scheme.get_absolute_url()).context["results"]
        assert [r.unit.short_name for r in results] == ["区城管执法局"]

    def test_unit_export_of_an_evaluation_holds_only_its_own_row(self, story, actors, client_as):
        scheme = evaluations.evaluation_create(
            plan=story, kind="midterm", as_of=dt.date(2026, 9, 30), user=actors.supervisor
        )
        with on(at(10, 5)):
            evaluations.evaluation_score(scheme=scheme, user=actors.supervisor)
        a = scheme.results.get(unit=actors.unit_a)
        evaluations.evaluation_adjust(
            result=a, adjustment=Decimal(-1), reason="甲单位的内部扣分理由", bonus=Decimal(0),
            bonus_reason="", user=actors.supervisor,
        )  # fmt: skip
        evaluations.evaluation_publish(scheme=scheme, user=actors.supervisor)
        content = client_as(actors.reporter_b).get(scheme.get_absolute_url(), {"format": "xlsx"})
        sheets = load_workbook(io.BytesIO(content.content))
        text = json.dumps(
            [list(ws.iter_rows(values_only=True)) for ws in sheets.worksheets],
            ensure_ascii=False,
            default=str,
        )
        assert "区城管执法局" in text
        assert "区市场监管局" not in text
        assert "甲单位的内部扣分理由" not in text

    def test_unit_export_of_a_bulletin_lists_only_its_own_tasks(self, story, actors, client_as):
        with on(at(10, 5)):
            bulletin = bulletins.bulletin_create(
                plan=story,
                period="quarter",
                date_from=dt.date(2026, 7, 1),
                date_to=dt.date(2026, 9, 30),
                user=actors.supervisor,
            )
            bulletins.bulletin_publish(bulletin=bulletin, user=actors.supervisor)
        content = client_as(actors.reporter_b).get(bulletin.get_absolute_url(), {"format": "xlsx"})
        wb = load_workbook(io.BytesIO(content.content))
        detail = list(wb["报送明细"].iter_rows(min_row=2, values_only=True))
        assert detail and {row[0] for row in detail} == {"区城管执法局"}
        # The ranking of units is the bulletin's own and stays whole.
        assert {row[1] for row in wb["各单位情况"].iter_rows(min_row=2, values_only=True)} == {
            "区市场监管局",
            "区城管执法局",
        }
        full = client_as(actors.supervisor).get(bulletin.get_absolute_url(), {"format": "xlsx"})
        rows = load_workbook(io.BytesIO(full.content))["报送明细"].iter_rows(
            min_row=2, values_only=True
        )
        assert {row[0] for row in rows} == {"区市场监管局", "区城管执法局"}


@pytest.mark.django_db
class TestEvaluationPage:
    """The page's actions run the evaluation services, each for whom it is meant."""

    @pytest.fixture
    def published(self, story, actors):
        scheme = evaluations.evaluation_create(
            plan=story, kind="midterm", as_of=dt.date(2026, 9, 30), user=actors.supervisor
        )
        with on(at(10, 5)):
            evaluations.evaluation_score(scheme=scheme, user=actors.supervisor)
        return evaluations.evaluation_publish(scheme=scheme, user=actors.supervisor)

    def test_unit_objects_to_its_own_result_only(self, published, actors, client_as):
        own = published.results.get(unit=actors.unit_b)
        other = published.results.get(unit=actors.unit_a)
        client = client_as(actors.reporter_b)
        url = published.get_absolute_url()
        page = client.post(
            url, {"op": "object", "result": other.pk, "text": "替别人提异议"}, follow=True
        )
        assert page.status_code == 404
        page = client.post(url, {"op": "object", "result": own.pk, "text": ""}, follow=True)
        assert "异议:该字段是必填项。" in page.content.decode()
        page = client.post(
            url, {"op": "object", "result": own.pk, "text": "签收迟延系系统故障"}, follow=True
        )
        assert "异议已提交" in page.content.decode()
        own.refresh_from_db()
        assert own.objection == "签收迟延系系统故障"

    def test_scoring_method_of_a_published_evaluation_cannot_change(
        self, published, actors, client_as
    ):
        from oversight.core.models import AuditEntry

        client = client_as(actors.supervisor)
        data = {
            "op": "scheme",
            "as_of": "2026-09-30",
            "points_per_overdue_workday": "3",
            "points_per_missed_period": "5",
            "points_per_returned_report": "5",
            "points_per_substantiated_clue": "2",
            "points_per_late_document_reply": "2",
            "points_per_failed_rectification": "3",
            "points_per_sanction": "5",
            "points_per_failed_review_file": "3",
            "max_bonus": "5",
            "task_weights": "",
            "grades": "90=优秀,75=良好,60=合格,0=不合格",
        }
        page = client.post(published.get_absolute_url(), data, follow=True)
        assert "评分办法不能修改" in page.content.decode()
        published.refresh_from_db()
        assert published.points_per_overdue_workday != 3
        assert not AuditEntry.objects.filter(
            object_id=str(published.pk), action="update", data_after__has_key="max_bonus"
        ).exists()
        # Before publication: a typo is shown again with what was typed; a valid change is saved.
        draft = evaluations.evaluation_create(
            plan=published.plan, kind="final", as_of=dt.date(2026, 9, 30), user=actors.supervisor
        )
        page = client.post(draft.get_absolute_url(), data | {"max_bonus": "99"})
        assert page.status_code == 200 and 'value="99"' in page.content.decode()
        page = client.post(draft.get_absolute_url(), data | {"max_bonus": "4"}, follow=True)
        assert "评分办法已保存" in page.content.decode()
        draft.refresh_from_db()
        assert draft.max_bonus == 4


@pytest.mark.django_db
class TestCockpit:
    def test_each_figure_counts_what_its_page_lists(self, story, actors, client_as):
        from oversight.bulletins.cockpit import charts, cockpit

        with on(at(10, 5)):
            view = cockpit(user=actors.leader, today=dt.date(2026, 10, 5))
            assert view.plan == story and view.lights["red"] >= 1
            client = client_as(actors.leader)
            page = client.get("/plans/cockpit/").content.decode()
            assert 'data-testid="red">' + str(view.lights["red"]) in page
            ledger = client.get(f"/plans/ledger/?plan={story.pk}&light=red").content.decode()
            assert f"共 {view.lights['red']} 条" in ledger
            # The stacked bar of a unit's red part leads to that unit's red assignments.
            (_, _, links, _), *_ = charts(view)
            unit_b = next(u for u in view.by_unit if u.unit_id == actors.unit_b.pk)
            url = links[f"红灯|{unit_b.name}"]
            listed = client.get(url).content.decode()
            assert f"共 {unit_b.red} 条" in listed
            # The trend ends today, after the month-ends since the plan was issued.
            assert [row[0] for row in view.trend] == ["7月末", "8月末", "9月末", "今天"]
            assert view.trend[-1][1] == view.lights["red"]

    def test_the_longest_overdue_are_the_ledgers_first_red_rows(self, story, actors, client_as):
        """The cockpit lists the plan's red assignments as the ledger does, most overdue first:
        each with its unit, the obligation overdue and the working days since, linked. On 20
        October: B's completion (due 15 September), then both quarterly reports (13 October)."""
        with on(at(10, 20)):
            client = client_as(actors.leader)
            response = client.get("/plans/cockpit/")
            shown = response.context["view"].overdue
            ledger = client.get(f"/plans/ledger/?plan={story.pk}&light=red").context["rows"]
            assert len(shown) == len(ledger) == 3
            expected = [(r.pk, r.unit, r.number, r.next_label, r.late_days) for r in ledger]
            assert [(s.pk, s.unit, s.number, s.label, s.late_days) for s in shown] == expected[:10]
            assert all(s.late_days > 0 for s in shown)
            page = response.content.decode()
            table = page[page.index('data-testid="overdue"') :]
            table = table[: table.index("</table>")]
            for s in shown:
                assert f'href="/plans/assignments/{s.pk}/"' in table
                assert f"{s.late_days} 个工作日" in table and s.unit in table

    def test_the_meeting_room_screen_hides_the_menu(self, story, actors, client_as):
        page = client_as(actors.leader).get("/plans/cockpit/?screen=1").content.decode()
        assert 'class="screen-mode"' in page

    def test_units_and_officers_do_not_see_it(self, story, actors, client_as):
        assert client_as(actors.reporter_a).get("/plans/cockpit/").status_code == 403


@pytest.mark.django_db
def test_scoring_from_the_page_runs_as_a_job_and_opens_the_scored_evaluation(
    story, actors, client_as, django_capture_on_commit_callbacks
):
    """Scoring replays the whole plan: a background job the page follows, one at a time."""
    from oversight.core.models import Job

    scheme = evaluations.evaluation_create(
        plan=story, kind="midterm", as_of=dt.date(2026, 9, 30), user=actors.supervisor
    )
    client = client_as(actors.supervisor)
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(scheme.get_absolute_url(), {"op": "score"})
    job = Job.objects.get(kind=f"bulletins.evaluation_score:{scheme.pk}")
    assert started["Location"] == job.get_absolute_url() and job.status == "queued"
    again = client.post(scheme.get_absolute_url(), {"op": "score"})  # pressed twice
    assert again["Location"] == job.get_absolute_url() and Job.objects.count() == 1
    from oversight.bulletins.tasks import score_evaluation

    with on(at(10, 5)):
        score_evaluation.func(str(job.pk), scheme.pk)  # a worker takes it
    job.refresh_from_db()
    scheme.refresh_from_db()
    assert job.status == "succeeded" and scheme.status == "scored"
    assert job.message == f"已按数据为 {scheme.results.count()} 个单位评分。"
    opened = client.get(job.get_absolute_url())
    assert opened["Location"] == scheme.get_absolute_url()
