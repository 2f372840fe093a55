"""Pages of the loop: who may do what through the web, query counts, ledger export and command."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from oversight.workplans.models import Assignment, Report

from .conftest import make_task

PDF = b"%PDF-1.4\n%%EOF"


def action(a, op):
    return reverse("workplans:assignment_action", args=[a.pk, op])


def signed_and_reported(assignment, user) -> Report:
    """The assignment signed for, and its final report written and submitted, by `user`."""
    from oversight.workplans import services

    services.assignment_sign(assignment=assignment, user=user)
    report = services.report_save(
        assignment=assignment,
        kind="final",
        due_date=assignment.task.due_date,
        data={"done_text": "已完成", "self_status": "on_track"},
        user=user,
    )
    return services.report_submit(report=report, user=user)


@pytest.mark.django_db
class TestUnitPages:
    def test_workspace_lists_what_to_sign(self, assignment, actors, client_as):
        page = client_as(actors.reporter_a).get(reverse("workplans:workspace")).content.decode()
        assert "任务1" in page and "前签收" in page

    def test_a_lead_units_workspace_holds_only_its_own_assignments(self, issued, actors, client_as):
        """Unit A leads task 1 and so reads B's part of it in the ledger; its workspace and its
        home figures are its own."""
        client = client_as(actors.reporter_a)
        theirs = issued.tasks.get(number="1").assignments.get(unit=actors.unit_b)
        ledger = client.get(reverse("workplans:assignment_list")).context["rows"]
        assert theirs.pk in {s.pk for s in ledger}
        page = client.get(reverse("workplans:workspace"))
        mine = set(Assignment.objects.filter(unit=actors.unit_a).values_list("pk", flat=True))
        assert {s.pk for s in page.context["rows"]} == mine
        assert {s.pk for s in page.context["to_sign"]} == mine
        assert page.context["to_sign_total"] == len(mine)
        from oversight.workplans.navigation import plans_panel

        figures = {f.label: f.value for f in plans_panel(actors.reporter_a).figures}
        assert figures["待签收"] == len(mine)
        assert figures["红灯"] + figures["黄灯"] + figures["绿灯"] == len(mine)

    def test_the_ledger_and_workspace_rows_show_a_change_at_once(
        self, assignment, actors, client_as
    ):
        """Their rows are kept rendered under a digest of what they show ({% memo %}, with the
        cache on): signing changes a row, so the next page renders it afresh."""
        client = client_as(actors.reporter_a)
        ledger_url, workspace_url = (
            reverse("workplans:assignment_list"),
            reverse("workplans:workspace"),
        )

        def row_of(url: str) -> str:
            page = client.get(url).content.decode()
            return page.split(f'href="{assignment.get_absolute_url()}"', 1)[1].split("</tr>", 1)[0]

        assert "待签收</span>" in row_of(ledger_url)
        to_sign = f'id="sign-{assignment.pk}"'
        assert to_sign in client.get(workspace_url).content.decode()
        client.post(action(assignment, "sign"))
        assert "落实中</span>" in row_of(ledger_url) and "待签收" not in row_of(ledger_url)
        assert "落实中</span>" in row_of(workspace_url)
        assert to_sign not in client.get(workspace_url).content.decode()

    def test_sign_through_the_page(self, assignment, actors, client_as):
        response = client_as(actors.reporter_a).post(action(assignment, "sign"))
        assert response.status_code == 302
        assignment.refresh_from_db()
        assert assignment.status == "signed"

    def test_sign_the_ticked_ones_or_all_at_once(self, issued, actors, client_as):
        client = client_as(actors.reporter_a)
        mine = list(Assignment.objects.filter(unit=actors.unit_a).order_by("task__order"))
        page = client.get(reverse("workplans:workspace")).content.decode()
        assert 'data-testid="sign-all"' in page and issued.title[:10] in page  # the plan is named
        url = reverse("workplans:assignments_sign")
        client.post(url, {"assignments": [mine[0].pk]})
        assert [
            a.status
            for a in Assignment.objects.filter(pk__in=[m.pk for m in mine]).order_by("task__order")
        ][:2] == ["signed", "issued"]
        response = client.post(url, {"all": "1"}, follow=True)
        assert f"已签收 {len(mine) - 1} 项任务" in response.content.decode()
        assert not Assignment.objects.filter(unit=actors.unit_a, status="issued").exists()

    def test_a_long_list_to_sign_shows_the_earliest_and_signs_all(
        self, issued, actors, client_as, monkeypatch
    ):
        from oversight.workplans.views import WorkspaceView

        client = client_as(actors.reporter_a)
        mine = Assignment.objects.filter(unit=actors.unit_a, status="issued")
        total = mine.count()
        assert total > 2
        monkeypatch.setattr(WorkspaceView, "shown", 2)
        page = client.get(reverse("workplans:workspace"))
        shown = [s.pk for s in page.context["to_sign"]]
        assert shown == list(mine.order_by("sign_due", "pk").values_list("pk", flat=True)[:2])
        html = page.content.decode()
        assert f"共 {total} 项待签收" in html and "?status=issued" in html
        assert f'data-testid="to-sign-count">{total}<' in html
        response = client.post(reverse("workplans:assignments_sign"), {"all": "1"}, follow=True)
        assert f"已签收 {total} 项任务" in response.content.decode()

    def test_reports_to_write_are_the_earliest_with_a_note_when_more_wait(
        self, issued, actors, client_as, monkeypatch
    ):
        from oversight.workplans.views import WorkspaceView

        client = client_as(actors.reporter_a)
        client.post(reverse("workplans:assignments_sign"), {"all": "1"})
        every = client.get(reverse("workplans:workspace")).context["to_write"]
        dues = [w.due for w in every]
        assert len(every) >= 2 and dues == sorted(dues)
        assert not client.get(reverse("workplans:workspace")).context["more_to_write"]
        monkeypatch.setattr(WorkspaceView, "shown", 1)
        page = client.get(reverse("workplans:workspace"))
        assert [w.due for w in page.context["to_write"]] == dues[:1]
        assert (
            page.context["more_to_write"] and 'data-testid="to-write-more"' in page.content.decode()
        )
        # However few assignments are read, what is shown is the start of the whole list.
        whole = [(w.pk, w.kind, w.due) for w in every]
        for shown in range(1, len(every) + 1):
            monkeypatch.setattr(WorkspaceView, "shown", shown)
            page = client.get(reverse("workplans:workspace"))
            listed = [(w.pk, w.kind, w.due) for w in page.context["to_write"]]
            assert listed and listed == whole[: len(listed)], shown
            if len(listed) < len(whole):
                assert page.context["more_to_write"], shown

    def test_signing_another_units_assignment_in_a_batch_signs_nothing(
        self, issued, actors, client_as
    ):
        mine = Assignment.objects.filter(unit=actors.unit_a).first()
        theirs = Assignment.objects.filter(unit=actors.unit_b).first()
        response = client_as(actors.reporter_a).post(
            reverse("workplans:assignments_sign"),
            {"assignments": [mine.pk, theirs.pk]},
            follow=True,
        )
        assert "不在您签收范围内" in response.content.decode()
        assert Assignment.objects.filter(pk__in=[mine.pk, theirs.pk], status="issued").count() == 2

    def test_other_units_assignment_is_404_and_unchanged(self, assignment, actors, client_as):
        client = client_as(actors.reporter_b)
        assert client.get(assignment.get_absolute_url()).status_code == 404
        assert client.post(action(assignment, "sign")).status_code == 404
        assignment.refresh_from_db()
        assert assignment.status == "issued"

    def test_lead_unit_sees_cooperating_units_reports_read_only(self, issued, actors, client_as):
        b = issued.tasks.get(number="1").assignments.get(unit=actors.unit_b)
        client = client_as(actors.reporter_a)
        assert client.get(b.get_absolute_url()).status_code == 200  # A leads task 1
        assert client.post(action(b, "sign")).status_code == 404
        standing_b = issued.tasks.get(number="3").assignments.get(unit=actors.unit_b)
        assert (
            client.get(standing_b.get_absolute_url()).status_code == 404
        )  # A does not lead task 3

    def test_report_with_evidence_through_the_page(
        self, assignment, actors, client_as, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        client = client_as(actors.reporter_a)
        client.post(action(assignment, "sign"))
        ob_due = assignment.task.milestones.get().date.isoformat()
        url = reverse("workplans:report_form", args=[assignment.pk])
        response = client.post(
            url,
            {
                "kind": "milestone",
                "due": ob_due,
                "done_text": "方案已报送",
                "self_status": "on_track",
                "action": "submit",
                "files": [SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")],
            },
        )
        report = Report.objects.get()
        assert response["Location"] == report.get_absolute_url()
        assert report.status == "submitted" and report.evidence.count() == 1
        evidence = report.evidence.get()
        served = client.get(evidence.get_absolute_url())
        assert (
            served["Content-Type"] == "application/pdf"
            and b"".join(served.streaming_content) == PDF
        )
        assert served["Content-Disposition"].startswith("inline")
        page = client.get(report.get_absolute_url()).content.decode()
        assert f'href="{evidence.get_absolute_url()}?download=1"' in page
        saved = client.get(evidence.get_absolute_url(), {"download": "1"})
        assert saved["Content-Disposition"].startswith("attachment")
        assert b"".join(saved.streaming_content) == PDF
        assert client_as(actors.reporter_b).get(evidence.get_absolute_url()).status_code == 404

    def test_report_form_error_is_shown_and_nothing_saved(self, assignment, actors, client_as):
        client = client_as(actors.reporter_a)
        client.post(action(assignment, "sign"))
        due = assignment.task.milestones.get().date.isoformat()
        response = client.post(
            reverse("workplans:report_form", args=[assignment.pk]),
            {
                "kind": "milestone",
                "due": due,
                "done_text": "有附件",
                "self_status": "on_track",
                "action": "submit",
                "files": [SimpleUploadedFile("病毒.exe", b"MZ")],
            },
        )
        assert "类型不支持" in response.content.decode()
        assert not Report.objects.exists()

    def test_obligation_that_does_not_exist_is_404(self, assignment, actors, client_as):
        client = client_as(actors.reporter_a)
        client.post(action(assignment, "sign"))
        assert (
            client.get(
                reverse("workplans:report_form", args=[assignment.pk]),
                {"kind": "milestone", "due": "2001-01-01"},
            ).status_code
            == 404
        )


@pytest.mark.django_db
class TestSupervisorPages:
    def test_return_then_accept(self, assignment, actors, client_as):
        unit = client_as(actors.reporter_a)
        unit.post(action(assignment, "sign"))
        due = assignment.task.milestones.get().date.isoformat()
        unit.post(
            reverse("workplans:report_form", args=[assignment.pk]),
            {
                "kind": "milestone",
                "due": due,
                "done_text": "初稿",
                "self_status": "on_track",
                "action": "submit",
            },
        )
        report = Report.objects.get()
        supervisor = client_as(actors.supervisor)
        supervisor.post(
            reverse("workplans:report_action", args=[report.pk, "return"]),
            {"comment": "请补充佐证"},
        )
        report.refresh_from_db()
        assert report.status == "returned"
        client_as(actors.reporter_a).post(
            reverse("workplans:report_action", args=[report.pk, "submit"])
        )
        client_as(actors.supervisor).post(
            reverse("workplans:report_action", args=[report.pk, "accept"]), {"comment": ""}
        )
        report.refresh_from_db()
        assert report.status == "accepted" and report.version == 2

    def test_units_cannot_review(self, assignment, actors, client_as):
        from oversight.workplans import services
        from oversight.workplans.lights import obligations

        services.assignment_sign(assignment=assignment, user=actors.reporter_a)
        ob = next(
            o for o in obligations(assignment, assignment.issued_at.date()) if o.kind == "milestone"
        )
        report = services.report_save(
            assignment=assignment,
            kind="milestone",
            due_date=ob.due,
            data={"done_text": "x", "self_status": "on_track"},
            user=actors.reporter_a,
        )
        services.report_submit(report=report, user=actors.reporter_a)
        client_as(actors.reporter_a).post(
            reverse("workplans:report_action", args=[report.pk, "accept"])
        )
        report.refresh_from_db()
        assert report.status == "submitted"

    def test_issue_through_the_page(self, plan, actors, client_as):
        response = client_as(actors.supervisor).post(
            reverse("workplans:plan_issue", args=[plan.pk])
        )
        assert response.status_code == 302 and Assignment.objects.count() == 6

    def test_plan_settings_are_saved_by_a_service_and_audited(self, plan, actors, client_as):
        from oversight.core.models import AuditEntry

        url = reverse("workplans:plan_settings", args=[plan.pk])
        client = client_as(actors.supervisor)
        page = client.post(
            url, {"report_cadence": "monthly", "require_head_approval": "on"}, follow=True
        )
        body = page.content.decode()
        assert "计划设置已保存" in body, body[body.find("alert") :][:400]
        plan.refresh_from_db()
        assert plan.report_cadence == "monthly" and plan.require_head_approval
        entry = AuditEntry.objects.filter(object_id=str(plan.pk), action="update").latest("time")
        assert entry.data_after["report_cadence"] == "monthly"
        page = client.post(url, {"report_cadence": "hourly"}, follow=True)
        assert "报送周期" in page.content.decode() and plan.report_cadence == "monthly"
        plan.refresh_from_db()
        assert plan.report_cadence == "monthly"

    def test_leader_reads_but_cannot_issue(self, plan, actors, client_as):
        client = client_as(actors.leader)
        assert client.get(plan.get_absolute_url()).status_code == 200
        assert client.post(reverse("workplans:plan_issue", args=[plan.pk])).status_code == 403

    def test_dashboard_figures_and_bounded_queries(self, issued, actors, client_as):
        client = client_as(actors.supervisor)
        response = client.get(issued.get_absolute_url())
        board = response.context["board"]
        assert sum(board.lights.values()) == 6
        # Freshly issued: the 3-working-day sign-for limit warns only on its last day.
        assert board.waiting_count == 0 and board.lights["green"] == 6
        with CaptureQueriesContext(connection) as few:
            client.get(issued.get_absolute_url())
        for i in range(15):
            make_task(
                issued,
                f"{10 + i}",
                units=[(actors.unit_a, False), (actors.unit_b, True)],
                standing=True,
                order=10 + i,
            )
        from oversight.workplans.services import task_set_units

        for task in issued.tasks.filter(number__gte="10"):
            task_set_units(
                task=task,
                links=[(actors.unit_a, False), (actors.unit_b, True)],
                user=actors.supervisor,
            )
        with CaptureQueriesContext(connection) as many:
            response = client.get(issued.get_absolute_url())
        assert sum(response.context["board"].lights.values()) == 36
        assert len(many) <= len(few) + 2, [q["sql"][:80] for q in many.captured_queries]

    def test_ledger_list_bounded_queries(self, issued, actors, client_as):
        client = client_as(actors.supervisor)
        url = reverse("workplans:assignment_list")
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for i in range(10):
            task = make_task(
                issued, f"x{i}", units=[(actors.unit_a, False)], standing=True, order=50 + i
            )
            from oversight.workplans.services import task_set_units

            task_set_units(task=task, links=[(actors.unit_a, False)], user=actors.supervisor)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert len(response.context["rows"]) == 16
        assert len(many) <= len(few) + 2


@pytest.mark.django_db
class TestLedger:
    def test_excel_export_of_a_plan(self, issued, actors, client_as):
        response = client_as(actors.supervisor).get(
            reverse("workplans:assignment_list"), {"plan": issued.pk, "export": "xlsx"}
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][:9] == (
            "工作计划",
            "部分",
            "类别",
            "序号",
            "任务",
            "责任单位",
            "牵头",
            "状态",
            "亮灯",
        )
        assert len(rows) == 7
        assert {r[5] for r in rows[1:]} == {"区市场监管局", "区城管执法局", "区司法局"}

    def test_unit_export_is_scoped(self, issued, actors, client_as):
        response = client_as(actors.reporter_b).get(
            reverse("workplans:assignment_list"), {"export": "xlsx"}
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[
            1:
        ]
        assert {r[5] for r in rows} <= {
            "区城管执法局",
            "区市场监管局",
        }  # its own, and (read-only) none it leads
        assert all(r[5] == "区城管执法局" for r in rows)

    def test_ledger_command(self, issued, capsys):
        call_command("ledger", "--plan", str(issued.pk), "--json")
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert len(lines) == 6
        first = lines[0]
        assert set(first) >= {
            "plan",
            "task_number",
            "task_title",
            "unit",
            "lead",
            "status",
            "light",
            "next_due_date",
            "last_report_status",
        }
        assert first["light"] in {"green", "yellow", "red"} and first["status"] == "issued"


@pytest.mark.django_db
def test_a_refused_breakdown_keeps_what_was_typed(assignment, actors, client_as):
    client = client_as(actors.reporter_a)
    client.post(action(assignment, "sign"))
    late = (assignment.due_date + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        action(assignment, "breakdown"),
        {
            "m-TOTAL_FORMS": "1",
            "m-INITIAL_FORMS": "0",
            "m-0-content": "建立涉企检查备案台账",
            "m-0-responsible_person": "李填报",
            "m-0-planned_date": late,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "建立涉企检查备案台账" in page and 'value="李填报"' in page
    assert "时间节点不能晚于完成时限" in page
    assert not assignment.measures.exists()


@pytest.mark.django_db
def test_plan_page_lights_each_task_by_its_worst_visible_assignment(issued, actors, client_as):
    from django.db.models import Max

    from oversight.workplans.lights import Light

    today = datetime.date.today()
    task1 = issued.tasks.get(number="1")
    red = task1.assignments.get(unit=actors.unit_b)
    Assignment.objects.filter(pk=red.pk).update(
        light=Light.RED, light_on=today, light_next_on=today + datetime.timedelta(days=300)
    )
    report = signed_and_reported(task1.assignments.get(unit=actors.unit_a), actors.reporter_a)
    for user in (actors.supervisor, actors.leader, actors.reporter_a, actors.reporter_b):
        response = client_as(user).get(issued.get_absolute_url())
        expected = {
            row["task"]: Light(row["worst"])
            for row in Assignment.objects.restrict(user, "view")
            .filter(plan=issued)
            .exclude(status=Assignment.Status.HANDED_BACK)
            .values("task")
            .annotate(worst=Max("light"))
        }
        assert response.context["task_lights"] == expected, user
    asking = issued.tasks.get(number="2").assignments.get(unit=actors.unit_a)
    Assignment.objects.filter(pk=asking.pk).update(status=Assignment.Status.COMPLETION)
    response = client_as(actors.supervisor).get(issued.get_absolute_url())
    board = response.context["board"]
    assert not hasattr(board, "task_lights") and board.overdue_total == 1
    assert [item.pk for item in board.overdue] == [red.pk]
    assert board.waiting_reports_total == 1
    assert [item.pk for item in board.waiting_reports] == [report.pk]
    # The lists' rows as the page prints them, each read as plain values.
    red.refresh_from_db()
    [overdue] = response.context["board_rows"]["overdue"]
    assert overdue.url == red.get_absolute_url()
    assert (overdue.unit, overdue.number, overdue.text) == (str(actors.unit_b), "1", "任务1")
    assert (overdue.due, overdue.label) == (red.next_due_on, red.next_due_label)
    [waiting] = response.context["board_rows"]["waiting"]
    assert waiting.url == report.get_absolute_url() and waiting.text == "完成报告"
    assert (waiting.unit, waiting.due) == (str(actors.unit_a), task1.due_date)
    [pending] = response.context["board_rows"]["pending"]
    assert pending.url == asking.get_absolute_url() and "申请办结" in pending.badge
    assert "text-bg-" in pending.badge and pending.number == "2"
    supervisor_lights = client_as(actors.supervisor).get(issued.get_absolute_url())
    assert supervisor_lights.context["task_lights"][task1.pk] == Light.RED


@pytest.mark.django_db
def test_ledger_unit_filter_offers_the_units_of_the_rows_one_sees(issued, actors, client_as):
    """A lead unit sees its partners' rows of the tasks it leads, so it may filter by them; a
    cooperating unit sees only its own; the bureau every unit with an assignment."""
    from oversight.organisations.models import Unit

    url = reverse("workplans:assignment_list")
    offered = {}
    for user in (actors.supervisor, actors.leader, actors.reporter_a, actors.reporter_b):
        seen = (
            Assignment.objects.restrict(user, "view")
            .exclude(status=Assignment.Status.HANDED_BACK)
            .values("unit_id")
        )
        expected = list(
            Unit.objects.filter(pk__in=seen)
            .order_by("sort_order", "short_name")
            .values_list("pk", "short_name")
        )
        offered[user] = [pk for pk, _ in client_as(user).get(url).context["units"]]
        assert offered[user] == [pk for pk, _ in expected], user
    a, b = actors.unit_a.pk, actors.unit_b.pk
    assert {a, b} <= set(offered[actors.reporter_a])  # A leads task 1, B cooperates
    assert b in offered[actors.reporter_b] and a not in offered[actors.reporter_b]
    assert set(offered[actors.supervisor]) > set(offered[actors.reporter_b])


@pytest.mark.django_db
def test_plan_page_prints_each_tasks_units_and_deadlines(plan, actors, client_as):
    """The task table's lead and other units (a group marked as one) and deadlines, and the
    notice body's requirements with their deadlines' own words."""
    from oversight.workplans.models import Task, TaskDeadline

    body = Task.objects.create(
        plan=plan, kind=Task.Kind.BODY, number="一", order=9, title="正文要求", text="正文。"
    )
    TaskDeadline.objects.create(task=body, standing=True)
    TaskDeadline.objects.create(task=body, date=datetime.date(2026, 6, 30), text="6月底前")
    response = client_as(actors.supervisor).get(plan.get_absolute_url())
    rows = {
        row.number: row
        for _, sections in response.context["task_parts"]
        for _, tasks in sections
        for row in tasks
    }
    assert rows["1"].leads == (str(actors.unit_a),)
    assert rows["1"].others == ((str(actors.unit_b), False, False),)
    assert rows["1"].deadlines == ((False, plan.tasks.get(number="1").due_date),)
    assert rows["2"].leads == () and rows["2"].deadlines == ((True, None),)
    assert rows["3"].others == (("测试执法部门", True, False),)
    [(task, deadlines)] = response.context["body"]
    assert task.pk == body.pk
    assert deadlines == [(False, datetime.date(2026, 6, 30), "6月底前"), (True, None, "")]
    page = response.content.decode()
    assert "2026-06-30 6月底前;长期坚持" in page
    assert '<span class="badge text-bg-light border">测试执法部门</span>' in page


def test_plans_count_their_own_table_tasks_and_standing_ones(plan, actors, client_as):
    """The plan list and the home panel count each plan's table tasks (the notice body's
    requirements aside) and, of them, the standing ones; a plan without tasks counts none."""
    from oversight.workplans.models import Plan, Task

    Task.objects.create(
        plan=plan, kind=Task.Kind.BODY, number="一", order=9, title="正文要求", text="正文。"
    )
    empty = Plan.objects.create(title="空计划", year=2026)
    other = Plan.objects.create(title="另一计划", year=2026)
    make_task(other, "1", units=[(actors.unit_a, True)], standing=True)
    response = client_as(actors.supervisor).get(reverse("workplans:plan_list"))
    counts = {p.pk: (p.task_count, p.standing_count) for p, _ in response.context["rows"]}
    assert counts == {plan.pk: (3, 1), empty.pk: (0, 0), other.pk: (1, 1)}
    export = client_as(actors.supervisor).get(reverse("workplans:plan_list") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    rows = {row[0]: row[2:4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {"测试计划": (3, 1), "空计划": (0, 0), "另一计划": (1, 1)}
    home = client_as(actors.supervisor).get("/").content.decode()
    assert "3 项任务" in home and "0 项任务" in home and "1 项任务" in home


@pytest.mark.django_db
def test_ledger_and_workspace_rows_say_what_each_assignment_stores(assignment, actors, client_as):
    """The rows are read as plain columns: each says its own assignment's task, plan, unit,
    status, stored light and next obligation, and the to-sign list its last day to sign."""
    from oversight.workplans.lights import Light

    assignment.refresh_from_db()
    assert assignment.next_due_on and assignment.next_due_label
    client = client_as(actors.reporter_a)
    for url in (reverse("workplans:assignment_list"), reverse("workplans:workspace")):
        response = client.get(url)
        row = {r.pk: r for r in response.context["rows"]}[assignment.pk]
        assert (row.number, row.title, row.plan) == ("1", "任务1", "测试计划")
        assert row.unit == str(actors.unit_a) and row.is_lead
        assert row.url == assignment.get_absolute_url()
        assert row.light == Light(assignment.light)
        assert (row.next_label, row.next_due) == (
            assignment.next_due_label,
            assignment.next_due_on,
        )
        assert "待签收" in row.status and "text-bg-" in row.status
    [sign] = [s for s in response.context["to_sign"] if s.pk == assignment.pk]
    assert (sign.number, sign.title, sign.plan) == ("1", "任务1", "测试计划")
    assert sign.url == assignment.get_absolute_url() and sign.sign_due == assignment.sign_due


@pytest.mark.django_db
def test_workspace_lists_reports_returned_and_awaiting_the_heads_approval(
    assignment, actors, client_as
):
    from oversight.workplans import services
    from oversight.workplans.models import Plan

    task = assignment.task
    report = signed_and_reported(assignment, actors.reporter_a)
    services.report_return(report=report, comment="请补充佐证材料", user=actors.supervisor)
    page = client_as(actors.reporter_a).get(reverse("workplans:workspace"))
    [row] = page.context["returned"]
    assert (row.pk, row.url, row.number, row.kind) == (
        report.pk,
        report.get_absolute_url(),
        "1",
        "完成报告",
    )
    assert (row.due_date, row.review_comment) == (task.due_date, "请补充佐证材料")
    assert "意见:请补充佐证材料" in page.content.decode() and not page.context["approvals"]

    Plan.objects.filter(pk=task.plan_id).update(require_head_approval=True)
    report.refresh_from_db()
    services.report_submit(report=report, user=actors.reporter_a)
    page = client_as(actors.head_a).get(reverse("workplans:workspace"))
    [row] = page.context["approvals"]
    assert (row.pk, row.number, row.kind) == (report.pk, "1", "完成报告")
    assert f'<a href="{report.get_absolute_url()}">1 完成报告(' in page.content.decode()
    assert not page.context["returned"]


@pytest.mark.django_db
def test_the_home_panel_lists_the_newest_plans_first(actors):
    """Five plans, newest first: a grouped query drops the model's default order, so the panel's
    order is said where the plans are read."""
    from django.utils import timezone

    from oversight.workplans.models import Plan
    from oversight.workplans.navigation import plans_panel

    start = timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
    for i in range(7):
        plan = Plan.objects.create(title=f"计划{i}", year=2026)
        # Created out of id order, so neither the ids nor the table's order can pass for it.
        Plan.objects.filter(pk=plan.pk).update(
            created_at=start + datetime.timedelta(days=(3 * i) % 7)
        )
    rows = plans_panel(actors.supervisor).rows
    expected = [
        p.title
        for p in sorted(Plan.objects.all(), key=lambda p: (p.created_at, p.pk), reverse=True)
    ][:5]
    assert [title for title, _, _ in rows] == expected
