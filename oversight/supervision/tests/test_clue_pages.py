"""Clues through the pages: the bureau's handling, the unit's answer, the portal's complaint and
query code, and what each side may see."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from oversight.core.calendar import calendar_seed_from_package
from oversight.core.context import acting_as_system
from oversight.core.models import AuditEntry
from oversight.supervision import services
from oversight.supervision.models import Clue
from oversight.supervision.setup_data import ensure_problem_types

NOW = datetime.datetime(2026, 9, 21, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 9, 21)


@pytest.fixture(autouse=True)
def pinned(db):
    with acting_as_system("test"):
        calendar_seed_from_package()
    ensure_problem_types()
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def _register(actors, unit=None, **extra):
    data = {
        "source": "hotline",
        "received_on": TODAY,
        "complainant_name": "李女士",
        "contact": "13807140001",
        "party_name": "黄石某某餐饮管理有限公司",
        "unit": unit or actors.unit_a,
        "matter": "执法人员检查时态度粗暴,未出示证件。",
    } | extra
    return services.clue_register(data=data, user=actors.supervisor)


def _post(client, clue, **data):
    return client.post(reverse("supervision:clue_detail", args=[clue.pk]), data, follow=True)


def test_the_bureau_registers_accepts_and_transfers_and_the_unit_answers(client, actors):
    client.force_login(actors.supervisor)
    response = client.post(
        reverse("supervision:clue_add"),
        {
            "source": "letter",
            "received_on": "2026-09-21",
            "complainant_name": "李女士",
            "contact": "13807140001",
            "party_name": "黄石某某餐饮管理有限公司",
            "unit": actors.unit_a.pk,
            "matter": "执法人员检查时态度粗暴,未出示证件。",
        },
        follow=True,
    )
    clue = Clue.objects.get()
    assert "线索已登记,编号 陆司线〔2026〕1号" in response.content.decode()
    _post(client, clue, op="accept", unit=actors.unit_a.pk)
    response = _post(client, clue, op="transfer")
    assert "已转办 区市场监管局,反馈期限 2026-10-19" in response.content.decode()

    client.force_login(actors.reporter_a)
    page = client.get(clue.get_absolute_url()).content.decode()
    # The unit sees the matter, never who complained or how to reach them.
    assert "态度粗暴" in page and "李女士" not in page and "1380" not in page
    assert 'data-testid="clue-answer"' in page
    _post(client, clue, op="answer", reply="经核查,当日执法人员已出示证件,已调取执法记录仪视频。")
    clue.refresh_from_db()
    assert clue.status == "answered"

    client.force_login(actors.supervisor)
    _post(client, clue, op="review", outcome="unsubstantiated", comment="视频显示已出示证件。")
    response = _post(client, clue, op="close", visit_note="电话回访,投诉人接受核查结论。")
    clue.refresh_from_db()
    assert clue.status == "closed" and "线索已办结" in response.content.decode()
    actions = list(clue.events.values_list("action", flat=True))
    assert actions == ["登记", "受理", "转办", "单位反馈", "审核", "办结"]
    # The unit reads the outcome, never the call back (it names the complainant).
    client.force_login(actors.reporter_a)
    page = client.get(clue.get_absolute_url()).content.decode()
    assert "不属实" in page and "投诉人接受核查结论" not in page and "李女士" not in page


def test_a_unit_never_sees_another_units_clue_nor_one_not_yet_transferred(client, actors):
    mine = _register(actors)
    theirs = _register(actors, unit=actors.unit_b, party_name="另一家企业")
    services.clue_accept(clue=theirs, unit=actors.unit_b, user=actors.supervisor)
    services.clue_transfer(clue=theirs, user=actors.supervisor)
    client.force_login(actors.reporter_a)
    assert client.get(mine.get_absolute_url()).status_code == 404  # still being judged
    assert client.get(theirs.get_absolute_url()).status_code == 404
    listing = client.get(reverse("supervision:clue_list")).content.decode()
    assert mine.number not in listing and theirs.number not in listing
    # Nor can it answer for the other unit.
    before = AuditEntry.objects.count()
    assert _post(client, theirs, op="answer", reply="x" * 20).status_code == 404
    assert AuditEntry.objects.count() == before


def test_a_unit_cannot_take_the_bureaus_steps(client, actors):
    clue = _register(actors)
    services.clue_accept(clue=clue, unit=actors.unit_a, user=actors.supervisor)
    services.clue_transfer(clue=clue, user=actors.supervisor)
    client.force_login(actors.reporter_a)
    response = client.post(clue.get_absolute_url(), {"op": "extend", "days": 10, "reason": "复杂"})
    assert response.status_code == 403
    response = client.post(clue.get_absolute_url(), {"op": "contact"})
    assert response.status_code == 403


def test_revealing_the_contact_is_audited_and_a_refused_step_says_why(client, actors):
    clue = _register(actors)
    client.force_login(actors.supervisor)
    response = _post(client, clue, op="contact")
    assert "投诉人联系方式:13807140001" in response.content.decode()
    assert AuditEntry.objects.filter(message="查看投诉人联系方式").count() == 1
    response = _post(client, clue, op="refuse", reason="否")
    assert "不予受理须写明理由" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == "registered"


def test_the_list_filters_by_light_in_the_database(client, actors):
    on_time = _register(actors)
    late = _register(actors, received_on=TODAY - datetime.timedelta(days=14), party_name="乙公司")
    client.force_login(actors.supervisor)
    red = client.get(reverse("supervision:clue_list"), {"light": "red"}).content.decode()
    assert late.number in red and on_time.number not in red
    green = client.get(reverse("supervision:clue_list"), {"light": "green"}).content.decode()
    assert on_time.number in green and late.number not in green


def test_a_complaint_on_the_portal_gets_a_query_code_that_shows_only_its_own_progress(
    client, actors
):
    data = {
        "complainant_name": "王先生",
        "contact": "13607140002",
        "unit": actors.unit_b.pk,
        "matter": "城管执法人员暂扣三轮车未开具清单。",
    }
    response = client.post(reverse("portal:complaint"), data, follow=True)
    clue = Clue.objects.get()
    assert clue.source == "portal" and clue.created_by is None
    page = response.content.decode()
    assert clue.query_code in page and clue.number not in page
    # The code shows once: a reload of the confirmation does not show it again.
    assert clue.query_code not in client.get(reverse("portal:complaint_done")).content.decode()
    entry = AuditEntry.objects.filter(object_id=str(clue.pk)).get()
    assert entry.username == "公众(网上投诉)" and entry.ip == "127.0.0.1"
    assert "13607140002" not in str(entry.data_after)

    services.clue_refuse(
        clue=clue, reason="已申请行政复议,依法通过复议处理。", user=actors.supervisor
    )
    page = client.post(reverse("portal:complaint_query"), {"code": clue.query_code.lower()})
    text = page.content.decode()
    assert "不予受理" in text and "已申请行政复议" in text
    assert "王先生" not in text and "13607140002" not in text
    wrong = client.post(reverse("portal:complaint_query"), {"code": "00000000"}).content.decode()
    assert "没有找到这个查询码" in wrong


def test_the_portal_wants_a_contact_or_anonymity_and_limits_how_often(client, actors):
    base = {"unit": actors.unit_a.pk, "matter": "市场监管执法人员多次到店检查,每次都罚款。"}
    response = client.post(reverse("portal:complaint"), base)
    assert "请留下联系电话以便回访,或选择匿名投诉" in response.content.decode()
    for _ in range(5):
        client.post(reverse("portal:complaint"), base | {"anonymous": "on"})
    response = client.post(reverse("portal:complaint"), base | {"anonymous": "on"})
    assert "提交过于频繁" in response.content.decode()
    assert Clue.objects.count() == 5
    assert not Clue.objects.exclude(contact_cipher="").exists()  # anonymous: nothing kept


def test_a_robot_filling_the_hidden_field_leaves_nothing(client, actors):
    data = {"anonymous": "on", "matter": "这是一段机器人填写的内容内容。", "website": "x"}
    response = client.post(reverse("portal:complaint"), data)
    assert response.status_code == 302 and not Clue.objects.exists()


PDF = b"%PDF-1.4 letter"


def test_files_reach_the_unit_only_when_the_bureau_shares_them(client, actors):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clue = _register(actors)
    services.clue_accept(clue=clue, unit=actors.unit_a, user=actors.supervisor)
    services.clue_transfer(clue=clue, user=actors.supervisor)
    client.force_login(actors.supervisor)
    upload = SimpleUploadedFile("来信.pdf", PDF, content_type="application/pdf")
    response = _post(client, clue, op="attach", files=[upload])
    assert "已上传 1 个附件" in response.content.decode()
    letter = clue.attachments.get()
    assert not letter.shared
    url = reverse("supervision:clue_file", args=[letter.pk])
    assert client.get(url).status_code == 200

    client.force_login(actors.reporter_a)
    assert "来信.pdf" not in client.get(clue.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 404
    client.force_login(actors.supervisor)
    _post(client, clue, op="share", attachment=letter.pk, shared="1")
    client.force_login(actors.reporter_a)
    assert "来信.pdf" in client.get(clue.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(actors.reporter_b)
    assert client.get(url).status_code == 404


def test_the_portal_takes_photos_with_a_complaint_and_refuses_other_files(client, actors):
    from django.core.files.uploadedfile import SimpleUploadedFile

    base = {"anonymous": "on", "unit": actors.unit_a.pk, "matter": "执法人员当场罚款不开票据。"}
    bad = SimpleUploadedFile("脚本.exe", b"MZ\x90", content_type="application/octet-stream")
    response = client.post(reverse("portal:complaint"), base | {"files": [bad]})
    assert "类型不支持" in response.content.decode() and not Clue.objects.exists()
    photo = SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf")
    client.post(reverse("portal:complaint"), base | {"files": [photo]})
    clue = Clue.objects.get()
    assert clue.attachments.get().original_name == "现场.pdf" and not clue.attachments.get().shared
