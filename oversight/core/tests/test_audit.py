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

    def test_service_outside_a_request_is_recorded_as_system(self, actors):
        unit_update(unit=actors.unit_b, data={"address": "新址"})
        entry = AuditEntry.objects.get(action="update")
        assert entry.username == "系统"
        assert entry.ip is None

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
