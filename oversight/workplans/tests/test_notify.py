"""Reminders and escalation: rules as data, exactly once, working days only; the channels."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone

from oversight.core.models import Notification
from oversight.core.notifications import post_webhook, send_digests, webhook_payload
from oversight.organisations.models import WebhookTarget
from oversight.workplans.models import Assignment, NotificationRule, Plan, SupervisionLetter
from oversight.workplans.notify import ensure_default_rules, run_reminders
from oversight.workplans.selectors import active_assignments

from .conftest import make_task

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def due_friday(actors, calendar):
    """Unit A's dated assignment due Friday 9 October 2026, signed; the reporter has an email."""
    ensure_default_rules()
    actors.reporter_a.email = "a@example.gov.cn"
    actors.reporter_a.save()
    plan = Plan.objects.create(title="提醒", status=Plan.Status.ISSUED)
    task = make_task(plan, "1", units=[(actors.unit_a, True)], due=dt.date(2026, 10, 9))
    issued = timezone.make_aware(dt.datetime(2026, 9, 1, 9))
    return Assignment.objects.create(
        task=task,
        unit=actors.unit_a,
        is_lead=True,
        issued_at=issued,
        sign_due=dt.date(2026, 9, 4),
        due_date=dt.date(2026, 10, 9),
        status="signed",
        signed_at=issued,
    )


def reminders_for(user):
    return Notification.objects.filter(user=user, key__startswith="remind")


@pytest.mark.django_db
class TestReminders:
    def test_three_working_days_before_across_the_holiday(self, due_friday, actors):
        run_reminders(dt.date(2026, 9, 29))  # 3 working days before 9 Oct: 30 Sep, 8 and 9 Oct
        assert [n.title for n in reminders_for(actors.reporter_a)] == ["完成办结将于 10月09日 到期"]

    def test_a_reminder_names_its_plan(self, due_friday, actors):
        run_reminders(dt.date(2026, 9, 29))
        assert "所属计划:《提醒》" in reminders_for(actors.reporter_a).get().body

    def test_evaluated_twice_it_goes_out_once(self, due_friday, actors):
        run_reminders(dt.date(2026, 9, 29))
        run_reminders(dt.date(2026, 9, 29))  # a second scheduler, or the next tick
        run_reminders(dt.date(2026, 9, 30))  # the next day: the one-off reminder is not repeated
        assert reminders_for(actors.reporter_a).count() == 1

    def test_on_the_day_is_urgent_and_emailed(
        self, due_friday, actors, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):  # mailed once the notice is saved
            run_reminders(dt.date(2026, 10, 9))
        notice = reminders_for(actors.reporter_a).get()
        assert notice.title == "完成办结今天到期" and notice.urgent
        assert [m.to for m in mail.outbox] == [["a@example.gov.cn"]]

    def test_overdue_every_two_working_days(self, due_friday, actors):
        day = dt.date(2026, 10, 10)  # the make-up Saturday is the first overdue working day
        sent_days = []
        for offset in range(0, 10):
            today = day + dt.timedelta(days=offset)
            before = reminders_for(actors.reporter_a).filter(title__contains="已逾期").count()
            run_reminders(today)
            if reminders_for(actors.reporter_a).filter(title__contains="已逾期").count() > before:
                sent_days.append(today)
        # Overdue working days 1 (Sat 10th), 3 (Tue 13th), 5 (Thu 15th), 7 (Mon 19th).
        assert sent_days == [
            dt.date(2026, 10, 10),
            dt.date(2026, 10, 13),
            dt.date(2026, 10, 15),
            dt.date(2026, 10, 19),
        ]

    def test_no_reminders_on_days_off(self, due_friday, actors):
        run_reminders(dt.date(2026, 10, 11))  # Sunday
        assert not Notification.objects.exists()

    def test_letter_proposed_after_five_overdue_working_days_once(self, due_friday, actors):
        run_reminders(dt.date(2026, 10, 14))  # 3 overdue working days
        assert not SupervisionLetter.objects.exists()
        run_reminders(dt.date(2026, 10, 16))  # 5
        run_reminders(dt.date(2026, 10, 19))  # 6
        letter = SupervisionLetter.objects.get()
        assert letter.status == "proposed" and letter.due_date == dt.date(2026, 10, 9)
        assert (
            Notification.objects.filter(user=actors.supervisor, title__contains="建议向").count()
            == 1
        )

    def test_rules_are_data(self, due_friday, actors):
        NotificationRule.objects.filter(trigger="before").update(workdays=5)
        # From Wed 23 Sep: 24, 28, 29, 30 Sep, 8, 9 Oct are six working days (25 Sep is 中秋).
        run_reminders(dt.date(2026, 9, 23))
        assert not reminders_for(actors.reporter_a).exists()
        run_reminders(dt.date(2026, 9, 24))  # five
        assert reminders_for(actors.reporter_a).count() == 1

    def test_inactive_rule_sends_nothing(self, due_friday, actors):
        NotificationRule.objects.update(active=False)
        run_reminders(dt.date(2026, 10, 9))
        assert not Notification.objects.exists()

    def test_met_obligations_are_not_chased(self, due_friday, actors):
        Assignment.objects.filter(pk=due_friday.pk).update(status="completed")
        run_reminders(dt.date(2026, 10, 9))
        assert not Notification.objects.exists()
        assert not list(active_assignments())


@pytest.mark.django_db
class TestChannels:
    def test_digest_bundles_non_urgent_notices(self, due_friday, actors):
        run_reminders(dt.date(2026, 9, 29))  # a non-urgent reminder
        assert mail.outbox == []
        assert send_digests() == 1
        assert "今日待办汇总(1 条)" in mail.outbox[0].subject
        assert send_digests() == 0  # not twice

    def test_webhook_payloads(self):
        ding = webhook_payload("dingtalk", "标题", "正文", "/plans/1/")
        assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == "标题"
        wecom = webhook_payload("wecom", "标题", "正文")
        assert wecom == {"msgtype": "markdown", "markdown": {"content": "**标题**\n正文"}}

    def test_a_robot_link_opens_the_page_inside_the_app_after_login(self, settings, client, db):
        settings.SITE_URL = "https://jiandu.example.gov.cn"
        ding = webhook_payload("dingtalk", "标题", "正文", "/plans/1/?tab=units")
        assert (
            "[查看详情](dingtalk://dingtalkclient/page/link?pc_slide=true&url="
            "https%3A%2F%2Fjiandu.example.gov.cn%2Fplans%2F1%2F%3Ftab%3Dunits)"
        ) in ding["markdown"]["text"]
        wecom = webhook_payload("wecom", "标题", "正文", "/plans/1/")
        assert "[查看详情](https://jiandu.example.gov.cn/plans/1/)" in wecom["markdown"]["content"]
        # Not signed in yet: the page sends the user to sign in, then on to the page.
        response = client.get("/plans/1/?tab=units")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert "next=/plans/1/%3Ftab%3Dunits" in response["Location"]

    def test_user_text_cannot_add_markup_to_a_robot_message(self):
        hostile = '[点这里](http://evil.example) <font color="red">**紧急**</font>\n# 冒充标题'
        for kind in ("dingtalk", "wecom"):
            body = json.dumps(
                webhook_payload(kind, hostile, hostile, "/plans/1/"), ensure_ascii=False
            )
            assert "](http://evil" not in body and "<font" not in body and "**紧急**" not in body
            assert "\\n# " not in body
            assert "［点这里］（http://evil.example）" in body
            assert "[查看详情](" in body  # the platform's own link stays a link

    def test_webhook_post_is_signed_for_dingtalk_and_records_the_result(self, db):
        target = WebhookTarget.objects.create(
            name="市场监管局群",
            kind="dingtalk",
            url="https://oapi.dingtalk.com/robot/send?access_token=x",
            secret="SEC123",
        )
        seen = {}

        class Response:
            def __enter__(self):
                return self

            def __exit__(self, *a):
                return False

            def read(self):
                return json.dumps({"errcode": 0, "errmsg": "ok"}).encode()

        def opener(request, timeout):
            seen["url"], seen["body"] = request.full_url, json.loads(request.data)
            return Response()

        assert post_webhook(target, "提醒", "内容", opener=opener)
        assert "timestamp=" in seen["url"] and "sign=" in seen["url"]
        assert seen["body"]["markdown"]["title"] == "提醒"
        target.refresh_from_db()
        assert "成功" in target.last_status

    def test_robot_failure_does_not_raise(self, db):
        target = WebhookTarget.objects.create(
            name="群", kind="wecom", url="https://qyapi.weixin.qq.com/x"
        )

        def opener(request, timeout):
            raise OSError("network unreachable")

        assert post_webhook(target, "提醒", "内容", opener=opener) is False
        target.refresh_from_db()
        assert "失败" in target.last_status


class _Robot:
    """A robot endpoint that answers each post with the next of `answers` (errcode, or an error)."""

    def __init__(self, *answers):
        self.answers, self.posts = list(answers), []

    def __call__(self, request, timeout):
        self.posts.append(json.loads(request.data))
        answer = self.answers.pop(0) if self.answers else 0
        if isinstance(answer, Exception):
            raise answer

        class Response:
            def __enter__(self):
                return self

            def __exit__(self, *a):
                return False

            def read(self):
                return json.dumps(
                    {"errcode": answer, "errmsg": "ok" if not answer else "x"}
                ).encode()

        return Response()


@pytest.mark.django_db
class TestRobotPosts:
    """Robot posts leave the request: queued with the notice, posted by a task once per robot and
    key, tried again after a failure."""

    @pytest.fixture
    def target(self, actors):
        return WebhookTarget.objects.create(
            name="市场监管局群",
            kind="wecom",
            url="https://qyapi.weixin.qq.com/x",
            unit=actors.unit_a,
        )

    def test_posted_once_after_commit_however_often_queued(
        self, target, actors, monkeypatch, django_capture_on_commit_callbacks
    ):
        from oversight.organisations.models import RobotPost
        from oversight.organisations.services import notify_robots

        robot = _Robot(0)
        monkeypatch.setattr("urllib.request.urlopen", robot)
        with django_capture_on_commit_callbacks(execute=False) as pending:
            assert notify_robots([actors.unit_a.pk], "提醒", "内容", key="remind:1") == 1
            assert notify_robots([actors.unit_a.pk], "提醒", "内容", key="remind:1") == 0
            assert robot.posts == []  # nothing leaves before the transaction commits
        for callback in pending:
            callback()
        assert len(robot.posts) == 1 and "提醒" in json.dumps(robot.posts[0], ensure_ascii=False)
        post = RobotPost.objects.get()
        assert (post.status, post.attempts) == ("sent", 1) and post.sent_at
        from oversight.organisations.tasks import post_robot

        assert post_robot.func(post.pk) == "已处理"  # a rerun of the task posts nothing
        assert len(robot.posts) == 1

    def test_a_failed_post_is_tried_again_then_given_up(
        self, target, actors, monkeypatch, settings, django_capture_on_commit_callbacks
    ):
        from oversight.organisations.models import RobotPost
        from oversight.organisations.services import notify_robots

        settings.TASK_RETRIES = 2
        robot = _Robot(OSError("network unreachable"), 93000, OSError("timed out"), 0)
        monkeypatch.setattr("urllib.request.urlopen", robot)
        with django_capture_on_commit_callbacks(execute=True):
            notify_robots([actors.unit_a.pk], "提醒", "内容", key="remind:2")
        post = RobotPost.objects.get()
        assert len(robot.posts) == 3 and (post.status, post.attempts) == ("failed", 3)
        assert "失败" in post.result

    def test_an_urgent_email_goes_once_and_again_after_a_refusal(
        self, actors, monkeypatch, django_capture_on_commit_callbacks
    ):
        from oversight.core import notifications
        from oversight.core.tasks import send_email

        actors.reporter_a.email = "a@example.gov.cn"
        actors.reporter_a.save()
        refusals = iter([ConnectionRefusedError("smtp down")])
        sent = []

        def flaky_send(subject, body, sender, to):
            error = next(refusals, None)
            if error:
                raise error
            sent.append(to)

        monkeypatch.setattr(notifications, "send_mail", flaky_send)
        message = notifications.Message(
            key="urgent:1", title="今天到期", body="请办理", urgent=True
        )
        with django_capture_on_commit_callbacks(execute=True):
            (notice,) = notifications.notify([actors.reporter_a], message)
        assert sent == [["a@example.gov.cn"]]  # refused once, sent on the retry
        notice.refresh_from_db()
        assert notice.emailed_at is not None
        assert send_email.func(notice.pk) == "已发送" and len(sent) == 1  # never twice

    def test_an_urgent_email_never_sent_goes_into_the_next_digest(
        self, actors, monkeypatch, settings, django_capture_on_commit_callbacks
    ):
        import time_machine

        from oversight.core import notifications

        settings.TASK_RETRIES = 0
        actors.reporter_a.email = "a@example.gov.cn"
        actors.reporter_a.save()

        def refused(*args, **kwargs):
            raise ConnectionRefusedError("smtp down")

        moment = timezone.make_aware(dt.datetime(2026, 10, 9, 9, 0))
        message = notifications.Message(
            key="urgent:2", title="今天到期", body="请办理", urgent=True
        )
        with time_machine.travel(moment, tick=False):
            monkeypatch.setattr(notifications, "send_mail", refused)
            with django_capture_on_commit_callbacks(execute=True):
                notifications.notify([actors.reporter_a], message)
        monkeypatch.setattr(notifications, "send_mail", mail.send_mail)
        assert notifications.send_digests(now=moment + dt.timedelta(minutes=30)) == 0  # retrying
        assert notifications.send_digests(now=moment + dt.timedelta(hours=2)) == 1
        assert "今天到期" in mail.outbox[-1].body

    def test_the_system_administrator_sees_what_went_out_and_what_failed(
        self, target, actors, client_as, monkeypatch, settings, django_capture_on_commit_callbacks
    ):
        from oversight.organisations.services import notify_robots

        settings.TASK_RETRIES = 0
        monkeypatch.setattr("urllib.request.urlopen", _Robot(0, OSError("network unreachable")))
        with django_capture_on_commit_callbacks(execute=True):
            notify_robots([actors.unit_a.pk], "第一条", "内容", key="k:1")
            notify_robots([actors.unit_a.pk], "第二条", "内容", key="k:2")
        client = client_as(actors.sysadmin)
        page = client.get("/organisations/webhooks/posts/", {"status": "failed"}).content.decode()
        assert "第二条" in page and "第一条" not in page and "发送失败" in page
        assert "---------" not in page and page.count(">全部</option>") == 2  # robot, status
        export = client.get("/organisations/webhooks/posts/", {"export": "xlsx"})
        import io

        from openpyxl import load_workbook

        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        assert {r[2]: r[3] for r in rows[1:]} == {"第一条": "已发送", "第二条": "发送失败"}
        assert client_as(actors.reporter_a).get("/organisations/webhooks/posts/").status_code == 403
