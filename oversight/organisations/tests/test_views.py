"""Unit pages and API: each action without permission (403), with it, and out of scope (404)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.core.models import AuditEntry
from oversight.organisations.models import Unit


@pytest.mark.django_db
class TestUnitDetail:
    def test_reporter_sees_own_unit(self, actors, client_as):
        response = client_as(actors.reporter_a).get(
            reverse("organisations:unit_detail", args=[actors.unit_a.pk])
        )
        assert response.status_code == 200
        assert actors.unit_a.name in response.content.decode()

    def test_reporter_gets_404_for_another_unit(self, actors, client_as):
        response = client_as(actors.reporter_a).get(
            reverse("organisations:unit_detail", args=[actors.unit_b.pk])
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("role", ["auditor"])
    def test_admins_without_capability_get_403(self, actors, client_as, role):
        response = client_as(getattr(actors, role)).get(reverse("organisations:unit_list"))
        assert response.status_code == 403
        assert "无权" in response.content.decode()

    def test_anonymous_is_sent_to_login(self, actors, client):
        response = client.get(reverse("organisations:unit_list"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
class TestUnitEdit:
    def test_reporter_changes_own_contact_details(self, actors, client_as):
        url = reverse("organisations:unit_edit", args=[actors.unit_a.pk])
        response = client_as(actors.reporter_a).post(
            url, {"contact_person": "李四", "contact_phone": "0714-1234567", "address": "团城山"}
        )
        assert response.status_code == 302
        actors.unit_a.refresh_from_db()
        assert actors.unit_a.contact_person == "李四"

    def test_reporter_cannot_rename_own_unit(self, actors, client_as):
        url = reverse("organisations:unit_edit", args=[actors.unit_a.pk])
        client_as(actors.reporter_a).post(
            url, {"contact_person": "李四", "name": "改名", "short_name": "改名"}
        )
        actors.unit_a.refresh_from_db()
        assert actors.unit_a.name == "测试区市场监督管理局"

    def test_reporter_cannot_change_another_unit(self, actors, client_as):
        url = reverse("organisations:unit_edit", args=[actors.unit_b.pk])
        before = AuditEntry.objects.count()
        response = client_as(actors.reporter_a).post(url, {"contact_person": "入侵者"})
        assert response.status_code == 404
        actors.unit_b.refresh_from_db()
        assert actors.unit_b.contact_person == ""
        assert AuditEntry.objects.count() == before

    def test_leader_cannot_edit(self, actors, client_as):
        url = reverse("organisations:unit_edit", args=[actors.unit_a.pk])
        assert client_as(actors.leader).post(url, {"contact_person": "x"}).status_code == 403

    def test_sysadmin_renames_and_adds_alias(self, actors, client_as):
        url = reverse("organisations:unit_edit", args=[actors.unit_b.pk])
        data = {
            "parent": actors.root.pk,
            "kind": "department",
            "name": "测试区城市管理执法局",
            "short_name": "区城管执法局",
            "aliases": "区城管局",
            "sort_order": 10,
            "is_active": "on",
            "is_enforcement": "on",
        }
        response = client_as(actors.sysadmin).post(url, data)
        assert response.status_code == 302, response.content.decode()
        assert list(actors.unit_b.aliases.values_list("name", flat=True)) == ["区城管局"]

    def test_duplicate_short_name_is_a_field_error(self, actors, client_as):
        data = {
            "parent": actors.root.pk,
            "kind": "department",
            "name": "新单位",
            "short_name": "区司法局",
            "sort_order": 1,
        }
        response = client_as(actors.sysadmin).post(reverse("organisations:unit_add"), data)
        assert response.status_code == 200
        assert "已是单位“区司法局”的名称" in response.content.decode()
        assert not Unit.objects.filter(name="新单位").exists()

    def test_reporter_cannot_create_units(self, actors, client_as):
        response = client_as(actors.reporter_a).get(reverse("organisations:unit_add"))
        assert response.status_code == 403


@pytest.mark.django_db
class TestUnitList:
    def test_reporter_lists_only_own_unit(self, actors, client_as):
        response = client_as(actors.reporter_a).get(reverse("organisations:unit_list"))
        body = response.content.decode()
        assert "测试区市场监督管理局" in body
        assert "测试区城市管理执法局" not in body

    def test_filter_and_sort(self, actors, client_as):
        response = client_as(actors.supervisor).get(
            reverse("organisations:unit_list"), {"is_enforcement": "true", "sort": "-name"}
        )
        names = [obj.name for obj, _ in response.context["rows"]]
        assert names == sorted(
            Unit.objects.filter(is_enforcement=True).values_list("name", flat=True), reverse=True
        )

    def test_query_count_does_not_grow_with_rows(self, actors, client_as):
        client = client_as(actors.supervisor)
        url = reverse("organisations:unit_list")
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for i in range(30):
            unit = Unit.objects.create(
                parent=actors.root, kind="department", name=f"部门{i}", short_name=f"部{i}"
            )
            unit.aliases.create(name=f"别名{i}")
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few)

    def test_export_is_scoped_excel(self, actors, client_as):
        import io

        from openpyxl import load_workbook

        response = client_as(actors.reporter_a).get(
            reverse("organisations:unit_list"), {"export": "xlsx"}
        )
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][:3] == ("单位全称", "简称", "单位类别")
        assert [r[0] for r in rows[1:]] == ["测试区市场监督管理局"]


@pytest.mark.django_db
class TestUnitApi:
    def test_api_lists_only_scope(self, actors, client_as):
        data = client_as(actors.reporter_a).get("/api/units/").json()
        assert [u["short_name"] for u in data["results"]] == ["区市场监管局"]

    def test_api_out_of_scope_is_404(self, actors, client_as):
        response = client_as(actors.reporter_a).get(f"/api/units/{actors.unit_b.pk}/")
        assert response.status_code == 404

    def test_api_token_authentication(self, actors, client):
        from oversight.accounts.services import token_create

        _token, key = token_create(actor=actors.reporter_b, name="测试")
        response = client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {key}")
        assert [u["short_name"] for u in response.json()["results"]] == ["区城管执法局"]

    def test_api_admin_without_capability_is_403(self, actors, client_as):
        assert client_as(actors.auditor).get("/api/units/").status_code == 403


@pytest.mark.django_db
class TestGroupForms:
    def test_sysadmin_creates_a_kind_group(self, actors, client_as):
        from oversight.organisations.models import UnitGroup

        response = client_as(actors.sysadmin).post(
            reverse("organisations:group_add"),
            {
                "name": "各执法部门(含街道)",
                "rule": "kinds",
                "kinds": ["department", "subdistrict"],
                "aliases": "执法单位,各执法单位",
                "enforcement_only": "on",
                "sort_order": 5,
            },
        )
        assert response.status_code == 302, response.content.decode()
        group = UnitGroup.objects.get(name="各执法部门(含街道)")
        assert group.kinds == ["department", "subdistrict"]
        assert group.aliases == ["执法单位", "各执法单位"]
        detail = client_as(actors.sysadmin).get(group.get_absolute_url()).content.decode()
        assert "测试区城市管理执法局" in detail and "测试区人民政府" not in detail

    def test_reporter_cannot_create_groups(self, actors, client_as):
        response = client_as(actors.reporter_a).post(
            reverse("organisations:group_add"), {"name": "x", "rule": "enforcement"}
        )
        assert response.status_code == 403


@pytest.mark.django_db
class TestWebhooks:
    def test_sysadmin_adds_a_robot_and_the_secret_stays_out_of_the_audit(self, actors, client_as):
        from oversight.organisations.models import WebhookTarget

        response = client_as(actors.sysadmin).post(
            reverse("organisations:webhook_add"),
            {
                "name": "市场监管局工作群",
                "kind": "dingtalk",
                "url": "https://oapi.dingtalk.com/robot/send?access_token=t",
                "secret": "SECabc",
                "unit": actors.unit_a.pk,
                "active": "on",
            },
        )
        assert response.status_code == 302
        target = WebhookTarget.objects.get()
        entry = AuditEntry.objects.get(object_id=str(target.pk), action="create")
        assert "secret" not in entry.data_after and "SECabc" not in str(entry.data_after)

    def test_plain_http_is_refused(self, actors, client_as):
        response = client_as(actors.sysadmin).post(
            reverse("organisations:webhook_add"),
            {"name": "群", "kind": "wecom", "url": "http://example.com/hook", "active": "on"},
        )
        assert "https://" in response.content.decode()

    @pytest.mark.parametrize("role", ["supervisor", "reporter_a", "auditor"])
    def test_others_cannot_manage_robots(self, actors, client_as, role):
        assert (
            client_as(getattr(actors, role)).get(reverse("organisations:webhook_list")).status_code
            == 403
        )


@pytest.mark.django_db
def test_delete_page_removes_an_unused_unit_and_explains_a_refusal(actors, client_as):
    from oversight.organisations.models import UnitKind

    spare = Unit.objects.create(
        parent=actors.root, kind=UnitKind.DEPARTMENT, name="测试区闲置局", short_name="区闲置局"
    )
    client = client_as(actors.sysadmin)
    page = client.post(reverse("organisations:unit_delete", args=[actors.unit_a.pk]), follow=True)
    assert "请改为停用" in page.content.decode()
    assert page.redirect_chain[-1][0] == actors.unit_a.get_absolute_url()
    page = client.post(reverse("organisations:unit_delete", args=[spare.pk]), follow=True)
    assert "已删除单位“区闲置局”" in page.content.decode()
    assert not Unit.objects.filter(pk=spare.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(spare.pk)).exists()
