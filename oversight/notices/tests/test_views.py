"""The import pages: upload or paste, review, correct, map, confirm; only the supervisor."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.notices.models import NoticeDraft
from oversight.organisations.initial import load_initial_units
from oversight.workplans.models import Plan

from .fixtures import build_docx

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "xialu-notice-2024.txt"


@pytest.fixture
def supervisor(actors, client_as):
    load_initial_units()
    return client_as(actors.supervisor)


@pytest.mark.django_db
class TestUpload:
    def test_upload_seed_then_review(self, supervisor):
        upload = SimpleUploadedFile("seed.txt", SEED.read_bytes(), content_type="text/plain")
        response = supervisor.post(reverse("notices:draft_new"), {"file": upload})
        draft = NoticeDraft.objects.get()
        assert response["Location"] == draft.get_absolute_url()
        page = supervisor.get(draft.get_absolute_url()).content.decode()
        assert "共 24 项" in page
        assert 'id="L40"' in page  # the source, line by line, for tracing

    def test_paste_text(self, supervisor):
        supervisor.post(reverse("notices:draft_new"), {"text": SEED.read_text(encoding="utf-8")})
        assert NoticeDraft.objects.get().source_format == "text"

    def test_upload_docx(self, supervisor):
        upload = SimpleUploadedFile("plan.docx", build_docx())
        supervisor.post(reverse("notices:draft_new"), {"file": upload})
        assert NoticeDraft.objects.get().source_format == "docx"

    def test_bad_file_shows_chinese_error_and_creates_nothing(self, supervisor):
        upload = SimpleUploadedFile("a.txt", "这只是一句话。".encode())
        response = supervisor.post(reverse("notices:draft_new"), {"file": upload})
        assert "不像是一份通知" in response.content.decode()
        assert NoticeDraft.objects.count() == 0

    def test_nothing_given(self, supervisor):
        response = supervisor.post(reverse("notices:draft_new"), {})
        assert "请上传通知文件" in response.content.decode()

    def test_same_notice_twice_goes_to_the_existing_plan(self, supervisor):
        supervisor.post(reverse("notices:draft_new"), {"text": SEED.read_text(encoding="utf-8")})
        draft = NoticeDraft.objects.get()
        supervisor.post(reverse("notices:draft_confirm", args=[draft.pk]))
        response = supervisor.post(
            reverse("notices:draft_new"), {"text": SEED.read_text(encoding="utf-8")}
        )
        plan = Plan.objects.get()
        assert response["Location"] == plan.get_absolute_url()
        assert NoticeDraft.objects.count() == 1


@pytest.mark.django_db
class TestReview:
    def make_draft(self, client, text=None):
        client.post(
            reverse("notices:draft_new"), {"text": text or SEED.read_text(encoding="utf-8")}
        )
        return NoticeDraft.objects.latest("pk")

    def test_edit_task_with_htmx(self, supervisor):
        draft = self.make_draft(supervisor)
        url = reverse("notices:draft_task", args=[draft.pk, "table", 0])
        form = supervisor.get(url, HTTP_HX_REQUEST="true")
        assert "任务名称" in form.content.decode()
        response = supervisor.post(
            url,
            {
                "title": "强化政治能力建设",
                "text": "新的内容。",
                "units_text": "区司法局,各街办",
                "deadline_text": "2024年12月31日",
            },
            HTTP_HX_REQUEST="true",
        )
        assert "2024-12-31" in response.content.decode()
        draft.refresh_from_db()
        assert draft.parsed["tasks"][0]["lead_units"] == ["区司法局"]

    def test_edit_error_is_shown_on_the_field(self, supervisor):
        draft = self.make_draft(supervisor)
        url = reverse("notices:draft_task", args=[draft.pk, "table", 0])
        response = supervisor.post(
            url,
            {"title": "x", "text": "x", "units_text": "区司法局", "deadline_text": "尽快"},
            HTTP_HX_REQUEST="true",
        )
        assert "无法识别完成时限" in response.content.decode()

    def test_map_unknown_unit_and_confirm(self, supervisor):
        text = SEED.read_text(encoding="utf-8").replace(
            "区人社局、区司法局", "区人社局、区退役军人局、区司法局"
        )
        draft = self.make_draft(supervisor, text)
        page = supervisor.get(draft.get_absolute_url()).content.decode()
        assert "单位库中没有“区退役军人局”" in page
        refused = supervisor.post(reverse("notices:draft_confirm", args=[draft.pk]), follow=True)
        assert "尚未对应到单位库" in refused.content.decode()
        supervisor.post(
            reverse("notices:draft_map", args=[draft.pk]),
            {
                "prefix": "m0",
                "m0-name": "区退役军人局",
                "m0-action": "create",
                "m0-new_name": "下陆区退役军人事务局",
                "m0-kind": "department",
            },
        )
        response = supervisor.post(reverse("notices:draft_confirm", args=[draft.pk]))
        plan = Plan.objects.get()
        assert response["Location"] == plan.get_absolute_url()
        assert (
            plan.tasks.get(number="(七)").units.filter(unit__name="下陆区退役军人事务局").exists()
        )

    def test_discard_creates_nothing(self, supervisor):
        draft = self.make_draft(supervisor)
        supervisor.post(reverse("notices:draft_discard", args=[draft.pk]))
        draft.refresh_from_db()
        assert draft.status == "discarded" and Plan.objects.count() == 0


@pytest.mark.django_db
class TestPermissions:
    @pytest.mark.parametrize("role", ["reporter_a", "leader", "sysadmin", "auditor"])
    def test_only_the_supervisor_imports(self, actors, client_as, role):
        client = client_as(getattr(actors, role))
        assert client.get(reverse("notices:draft_new")).status_code == 403
        assert (
            client.post(
                reverse("notices:draft_new"), {"text": SEED.read_text(encoding="utf-8")}
            ).status_code
            == 403
        )
        assert NoticeDraft.objects.count() == 0

    def test_plan_visible_to_units_on_it_only(self, actors, client_as):
        from oversight.notices.services import notice_import

        load_initial_units()
        plan, _ = notice_import(data=SEED.read_bytes(), create_units=True)
        # Unit A is outside every group of the notice; unit B, an enforcement department, is in
        # 区直各行政执法部门, which most tasks name.
        actors.unit_a.is_enforcement = False
        actors.unit_a.save()
        task = plan.tasks.get(number="1")
        task.units.create(unit=actors.unit_a, name=actors.unit_a.short_name, order=9)
        reporter_a = client_as(actors.reporter_a)
        assert reporter_a.get(plan.get_absolute_url()).status_code == 200
        assert reporter_a.get(task.get_absolute_url()).status_code == 200
        other = plan.tasks.get(number="2")
        assert reporter_a.get(other.get_absolute_url()).status_code == 404
        assert client_as(actors.reporter_b).get(other.get_absolute_url()).status_code == 200
        six = plan.tasks.get(number="6")
        six.units.filter(group__isnull=False).delete()
        assert client_as(actors.reporter_b).get(six.get_absolute_url()).status_code == 404
        assert client_as(actors.leader).get(six.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_plan_page_query_count_is_bounded(actors, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.notices.services import notice_import

    load_initial_units()
    plan, _ = notice_import(data=SEED.read_bytes())
    client = client_as(actors.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(plan.get_absolute_url())
    assert "共 24 项" in response.content.decode()
    assert len(ctx) < 20


CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.mark.django_db
def test_fields_the_reader_is_unsure_of_are_marked_on_the_review_page(supervisor):
    # The Ningxia notice states its deadlines only as the last sentence of each task.
    path = CORPUS / "06-ningxia-xingqing-2018-leads-in-words.txt"
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")
    supervisor.post(reverse("notices:draft_new"), {"file": upload})
    draft = NoticeDraft.objects.get()
    page = supervisor.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="doubt-count">其中 7 项' in page
    assert page.count("完成时限取自任务内容末尾") == 7
    # Correcting a task clears its mark: the supervisor has now looked at it.
    index = 0
    task = draft.parsed["tasks"][index]
    supervisor.post(
        reverse("notices:draft_task", args=[draft.pk, "table", index]),
        {
            "title": task["title"],
            "text": task["text"],
            "units_text": task["units_text"],
            "deadline_text": "2018年12月底",
        },
    )
    draft.refresh_from_db()
    assert draft.parsed["tasks"][0]["doubts"] == {}
    assert "其中 6 项" in supervisor.get(draft.get_absolute_url()).content.decode()
