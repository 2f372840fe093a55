"""The audit log: every service write with before/after, who, IP and request id; append-only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.core.models import AuditEntry
from oversight.organisations.services import unit_update


@pytest.mark.django_db
class TestAuditEntries:
    def test_web_change_records_user_ip_request_and_diff(self, actors, client_as):
        client = client_as(actors.reporter_a)
        response = client.post(
            reverse("organisations:unit_edit", args=[actors.unit_a.pk]),
            {"contact_person": "李四", "contact_phone": "", "address": ""},
            REMOTE_ADDR="10.1.2.3",
        )
        entry = AuditEntry.objects.get(action="update")
        assert entry.username == "reporter_a"
        assert entry.user == actors.reporter_a
        assert entry.ip == "10.1.2.3"
        assert entry.request_id == response["X-Request-ID"]
        assert entry.data_before == {"contact_person": ""}
        assert entry.data_after == {"contact_person": "李四"}
        assert entry.via == "页面"

    def test_service_outside_a_request_is_recorded_as_system(self, actors):
        unit_update(unit=actors.unit_b, data={"address": "新址"})
        entry = AuditEntry.objects.get(action="update")
        assert entry.username == "系统"
        assert entry.ip is None
        assert entry.via == "系统"

    def test_entries_cannot_be_changed_or_deleted(self, actors):
        unit_update(unit=actors.unit_b, data={"address": "新址"})
        entry = AuditEntry.objects.get()
        entry.message = "篡改"
        with pytest.raises(ValidationError):
            entry.save()
        with pytest.raises(ValidationError):
            entry.delete()
        with pytest.raises(ValidationError):
            AuditEntry.objects.all().delete()
        with pytest.raises(ValidationError):
            AuditEntry.objects.update(message="篡改")
        assert AuditEntry.objects.get().message == ""


@pytest.mark.django_db
class TestAuditViews:
    def test_auditor_filters_and_exports(self, actors, client_as):
        unit_update(unit=actors.unit_b, data={"address": "新址"})
        client = client_as(actors.auditor)
        response = client.get(reverse("core:audit_list"), {"action": "update"})
        assert response.context["page"].paginator.count == 1
        export = client.get(reverse("core:audit_list"), {"export": "xlsx"})
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")

    @pytest.mark.parametrize("role", ["supervisor", "sysadmin", "secadmin", "leader", "reporter_a"])
    def test_only_the_auditor_sees_the_log(self, actors, client_as, role):
        client = client_as(getattr(actors, role))
        assert client.get(reverse("core:audit_list")).status_code == 403
        assert client.get(reverse("accounts:login_log")).status_code == 403

    def test_no_url_edits_or_deletes_entries(self, actors, client_as):
        unit_update(unit=actors.unit_b, data={"address": "新址"})
        client = client_as(actors.auditor)
        response = client.post(reverse("core:audit_list"), {"message": "x"})
        assert response.status_code == 405
        assert AuditEntry.objects.get().message == ""


@pytest.mark.django_db
class TestAuditGuard:
    def test_a_service_that_writes_without_an_entry_is_caught(self, actors):
        from oversight.core.testing import audit_guard

        def forgetful_service():
            actors.unit_b.address = "未审计的修改"
            actors.unit_b.save()

        audit_guard._wrap("oversight.example", "forgetful_service", forgetful_service)()
        caught = list(audit_guard.failures)
        audit_guard.failures.clear()
        assert caught == [
            "oversight.example.forgetful_service 写入了 organisations_unit 却没有审计记录"
        ]

    def test_an_audited_service_passes(self, actors):
        from oversight.core.testing import audit_guard

        audit_guard._wrap("oversight.organisations.services", "unit_update", unit_update)(
            unit=actors.unit_b, data={"address": "新址"}
        )
        assert audit_guard.failures == []


@pytest.mark.django_db
class TestAuditorSeesActionsNotContent:
    def test_business_entries_are_masked_configuration_entries_are_not(self, actors, client_as):
        from oversight.core import audit
        from oversight.core.context import acting_as
        from oversight.workplans.models import Plan

        plan = Plan.objects.create(title="秘密的计划名称", year=2026)
        with acting_as(user=actors.supervisor):
            audit.record(
                action="update",
                obj=plan,
                before={"title": "旧名称"},
                after={"title": "秘密的计划名称"},
                message="含业务内容的说明",
            )
        unit_update(unit=actors.unit_b, data={"address": "新址"})
        client = client_as(actors.auditor)
        page = client.get(reverse("core:audit_list")).content.decode()
        assert "秘密的计划名称" not in page and "含业务内容的说明" not in page
        assert "旧名称" not in page
        assert f"#{plan.pk}" in page
        assert "新址" in page  # configuration stays readable
        export = client.get(reverse("core:audit_list"), {"export": "xlsx"})
        assert "秘密的计划名称".encode() not in export.content
        # Searching cannot be used to find which records mention a name either.
        found = client.get(reverse("core:audit_list"), {"q": "秘密"})
        assert found.context["page"].paginator.count == 0

    def test_entries_name_the_unit_of_the_record(self, actors):
        unit_update(unit=actors.unit_b, data={"address": "新址"})
        assert AuditEntry.objects.get().unit_name == ""  # a unit belongs to no other unit
        from oversight.enforcement.models import Officer
        from oversight.enforcement.services import officer_create
        from oversight.enforcement.tests.conftest import make_id

        officer_create(data={"unit": actors.unit_a, "name": "甲"}, id_number=make_id())
        officer = Officer.objects.get()
        entry = AuditEntry.objects.filter(
            object_id=str(officer.pk), object_type__model="officer", action="create"
        ).get()
        assert entry.unit_name == "区市场监管局"
