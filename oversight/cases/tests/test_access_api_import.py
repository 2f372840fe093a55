"""Scoping in the pages and the API, the API itself, and the all-or-nothing import."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from oversight.cases import imports, services
from oversight.cases.models import Case, Finding
from oversight.core.excel import ImportFailed

from .conftest import CREDIT_CODE

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def two_cases(calendar_2025, case_data, certified, actors):
    a = services.case_save(
        case=None,
        data=case_data(number="A-1", decided_on=D(2025, 9, 26)),
        officers=certified(actors.unit_a),
    )
    b = services.case_save(
        case=None,
        data=case_data(
            unit=actors.unit_b,
            number="B-1",
            filed_on=datetime.date.today() - datetime.timedelta(days=5),
        ),
        officers=certified(actors.unit_b),
    )
    return a, b


def api_as(user) -> APIClient:
    client = APIClient()
    from oversight.accounts.services import token_create

    _token, key = token_create(actor=user, name="测试系统")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


class TestPages:
    def test_a_unit_sees_only_its_own_cases(self, two_cases, actors, client_as):
        _a, b = two_cases
        client = client_as(actors.reporter_a)
        page = client.get(reverse("cases:case_list")).content.decode()
        assert "A-1" in page and "B-1" not in page
        assert client.get(reverse("cases:case_detail", args=[b.pk])).status_code == 404
        assert (
            client.post(reverse("cases:case_detail", args=[b.pk]), {"op": "recheck"}).status_code
            == 404
        )
        supervisor_page = (
            client_as(actors.supervisor).get(reverse("cases:case_list")).content.decode()
        )
        assert "A-1" in supervisor_page and "B-1" in supervisor_page

    def test_list_filters_by_light_and_type(self, two_cases, actors, client_as):
        page = (
            client_as(actors.supervisor)
            .get(reverse("cases:case_list"), {"light": "red"})
            .content.decode()
        )
        assert "A-1" in page and "B-1" not in page
        page = (
            client_as(actors.supervisor)
            .get(reverse("cases:case_list"), {"light": "green"})
            .content.decode()
        )
        assert "A-1" not in page and "B-1" in page

    def test_case_page_shows_each_breach_with_its_source(self, two_cases, actors, client_as):
        a, _ = two_cases
        page = (
            client_as(actors.reporter_a)
            .get(reverse("cases:case_detail", args=[a.pk]))
            .content.decode()
        )
        assert "执法决定公示" in page and "国办发〔2018〕118号" in page

    def test_recording_a_case_through_the_form(
        self, calendar_2025, actors, subjects, certified, client_as
    ):
        officers = certified(actors.unit_a)
        response = client_as(actors.reporter_a).post(
            reverse("cases:case_add"),
            {
                "unit": actors.unit_a.pk, "subject": subjects[actors.unit_a.pk].pk, "number": "表单-1",
                "act_type": "penalty", "procedure": "ordinary", "party_kind": "organisation",
                "party_name": "某公司", "party_credit_code": CREDIT_CODE, "facts": "无证经营",
                "filed_on": "2025-09-01", "officers": [o.pk for o in officers],
            },
        )  # fmt: skip
        assert response.status_code == 302
        case = Case.objects.get(number="表单-1")
        assert list(case.officers.all()) == officers

    def test_an_officer_of_another_unit_cannot_be_put_on_a_case(
        self, calendar_2025, case_data, certified, actors
    ):
        others = certified(actors.unit_b)
        with pytest.raises(ValidationError) as caught:
            services.case_save(case=None, data=case_data(), officers=others, user=actors.reporter_a)
        assert "不是区市场监管局的执法人员" in str(caught.value)
        assert all(o.name not in str(caught.value) for o in others)
        assert not Case.objects.exists()
        # The supervisor may record for any unit, but still only with that unit's officers.
        with pytest.raises(ValidationError):
            services.case_save(case=None, data=case_data(), officers=others, user=actors.supervisor)

    def test_inspection_api_refuses_and_does_not_name_another_units_officers(
        self, calendar_2025, certified, actors
    ):
        from oversight.inspections.models import Enterprise, Inspection

        others = certified(actors.unit_b)
        from oversight.core.identifiers import credit_code_complete

        enterprise = Enterprise.objects.create(
            name="某公司", credit_code=credit_code_complete("91420200MA4K12345")
        )
        client = api_as(actors.reporter_a)
        response = client.post(
            "/api/inspections/",
            {
                "enterprise": enterprise.pk, "unit": actors.unit_a.pk, "kind": "routine",
                "date": "2025-09-01", "officers": [o.pk for o in others],
            },
            format="json",
        )  # fmt: skip
        assert response.status_code == 400
        assert "不在您的权限范围内" in str(response.json()["officers"])
        assert all(o.name not in response.content.decode() for o in others)
        assert not Inspection.objects.exists()

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("page.html", b"<script>alert(1)</script>", "类型不支持"),
            ("fake.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名不符"),
            ("huge.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024), "超过 20 MB"),
        ],
    )
    def test_record_uploads_are_checked_like_evidence(
        self, two_cases, actors, client_as, name, content, message
    ):
        from oversight.cases.models import CaseRecord

        a, _ = two_cases
        response = client_as(actors.reporter_a).post(
            a.get_absolute_url(),
            {"op": "record", "kind": "document", "title": "现场笔录",
             "file": SimpleUploadedFile(name, content)},
            follow=True,
        )  # fmt: skip
        assert message in response.content.decode()
        assert not CaseRecord.objects.exists()

    @pytest.mark.parametrize("role", ["leader", "officer"])
    def test_read_only_roles_cannot_ask_for_a_recheck(self, two_cases, actors, client_as, role):
        from oversight.core.models import AuditEntry
        from oversight.core.roles import Role
        from oversight.core.testing.fixtures import make_user

        a, _ = two_cases
        user = actors.leader if role == "leader" else make_user("zf", Role.OFFICER, actors.unit_a)
        before = AuditEntry.objects.count()
        response = client_as(user).post(a.get_absolute_url(), {"op": "recheck"})
        assert response.status_code == 403
        assert AuditEntry.objects.count() == before

    def test_a_recheck_is_audited(self, two_cases, actors, client_as):
        from oversight.core.models import AuditEntry

        a, _ = two_cases
        client_as(actors.reporter_a).post(a.get_absolute_url(), {"op": "recheck"})
        entry = AuditEntry.objects.filter(object_id=str(a.pk), message="重新检查").get()
        assert entry.username == "reporter_a"

    def test_supervisor_dashboard_counts_breaches_by_unit(self, two_cases, actors, client_as):
        page = client_as(actors.supervisor).get(reverse("cases:findings")).content.decode()
        assert "区市场监管局" in page
        assert (
            client_as(actors.reporter_b)
            .get(reverse("cases:findings"))
            .content.decode()
            .count("执法决定公示")
            == 0
        )


class TestApi:
    def test_token_page_shows_a_new_key_once_and_stores_only_its_hash(self, actors, client_as):
        from oversight.accounts.models import ApiToken

        client = client_as(actors.reporter_a)
        page = client.post(reverse("accounts:token_list"), {"name": "办案系统", "days": 30})
        key = page.context["key"]
        token = ApiToken.objects.get(user=actors.reporter_a)
        assert key not in token.key_hash and len(token.key_hash) == 64
        assert key not in client.get(reverse("accounts:token_list")).content.decode()
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get("/api/cases/").status_code == 200
        client.post(reverse("accounts:token_revoke", args=[token.pk]))
        response = api.get("/api/cases/")
        assert response.status_code == 401
        assert response.json()["detail"] == "令牌已撤销。"

    def test_reads_are_scoped_like_the_pages(self, two_cases, actors):
        a, b = two_cases
        client = api_as(actors.reporter_a)
        numbers = [row["number"] for row in client.get("/api/cases/").json()["results"]]
        assert numbers == ["A-1"]
        assert client.get(f"/api/cases/{b.pk}/").status_code == 404
        detail = client.get(f"/api/cases/{a.pk}/").json()
        assert detail["light"] == "red" and any(
            f["rule"] == "publicity" for f in detail["findings"]
        )
        assert APIClient().get("/api/cases/").status_code == 401

    def test_create_checks_and_returns_findings(self, calendar_2025, actors, subjects, certified):
        officers = certified(actors.unit_a)
        body = {
            "unit": actors.unit_a.pk, "subject": subjects[actors.unit_a.pk].pk, "number": "API-1", "act_type": "penalty",
            "procedure": "ordinary", "party_kind": "person", "party_name": "李四", "facts": "占道经营",
            "filed_on": "2025-09-01", "decided_on": "2025-09-26", "officers": [o.pk for o in officers],
        }  # fmt: skip
        response = api_as(actors.reporter_a).post("/api/cases/", body, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["light"] == "red"
        # Audited as the token's account, through the token (not as "系统").
        from oversight.core.models import AuditEntry

        entry = AuditEntry.objects.get(
            object_id=str(response.json()["id"]), object_type__model="case", action="create"
        )
        assert (entry.user, entry.username) == (actors.reporter_a, "reporter_a")
        assert entry.via.startswith("API 令牌“测试系统”")
        again = api_as(actors.head_a).post("/api/cases/", body, format="json")
        assert again.status_code == 400 and "已登记" in again.content.decode()

    def test_cannot_write_for_another_unit(
        self, calendar_2025, actors, subjects, certified, two_cases
    ):
        a, _ = two_cases
        officers = certified(actors.unit_a)
        client = api_as(actors.reporter_b)
        body = {
            "unit": actors.unit_a.pk, "subject": subjects[actors.unit_a.pk].pk, "number": "越权-1", "act_type": "penalty",
            "procedure": "simple", "party_kind": "person", "party_name": "王五", "facts": "x", "filed_on": "2025-09-01",
            "officers": [o.pk for o in officers],
        }  # fmt: skip
        response = client.post("/api/cases/", body, format="json")
        # Another unit's unit, subject and officers read as "does not exist", and none is named.
        assert response.status_code == 400
        errors = response.json()
        assert set(errors) >= {"unit", "subject", "officers"}
        assert "不在您的权限范围内" in errors["officers"][0]
        assert all(o.name not in response.content.decode() for o in officers)
        assert (
            client.patch(f"/api/cases/{a.pk}/", {"party_name": "改"}, format="json").status_code
            == 404
        )
        assert not Case.objects.filter(number="越权-1").exists()

    def test_an_officer_reads_but_does_not_write(self, two_cases, actors):
        from oversight.core.roles import Role
        from oversight.core.testing.fixtures import make_user

        officer_user = make_user("officer_a", Role.OFFICER, actors.unit_a)
        client = api_as(officer_user)
        assert client.get("/api/cases/").status_code == 200
        assert client.post("/api/cases/", {}, format="json").status_code == 403

    def test_schema_documents_the_endpoints(self, actors, client_as):
        schema = client_as(actors.reporter_a).get("/api/schema/?format=json").json()
        assert "/api/cases/" in schema["paths"] and "/api/inspections/" in schema["paths"]
        assert client_as(actors.reporter_a).get("/api/docs/").status_code == 200


def csv_upload(rows: list[list[str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    buffer.write(",".join(imports.CaseImporter.headers_of()) + "\n")
    for row in rows:
        buffer.write(",".join(row) + "\n")
    return SimpleUploadedFile(
        "cases.csv", buffer.getvalue().encode("utf-8-sig"), content_type="text/csv"
    )


def row(number, unit="区市场监管局", certs="", **kw):
    values = dict.fromkeys(imports.CaseImporter.headers_of(), "")
    values.update({
        "案号": number, "执法单位": unit, "执法类别": "行政处罚", "程序": "普通程序", "当事人类型": "自然人",
        "当事人": "赵六", "违法事实": "无照经营", "立案日期": "2025-09-01", "执法证号": certs,
    })  # fmt: skip
    values.update(kw)
    return [values[h].replace(",", ",") for h in imports.CaseImporter.headers_of()]


class TestImport:
    def test_one_bad_row_writes_nothing_and_says_which(
        self, calendar_2025, actors, subjects, certified
    ):
        officers = certified(actors.unit_a)
        certs = "、".join(o.certificates.get().number for o in officers)
        upload = csv_upload([
            row("导入-1", certs=certs),
            row("导入-2", certs=certs, 立案日期="2025-13-01"),
            row("导入-3", certs="999999"),
            row("导入-1", certs=certs),
            row("导入-4", unit="区城管局", certs=certs),
        ])  # fmt: skip
        with pytest.raises(ImportFailed) as exc:
            imports.case_import(upload=upload, filename="cases.csv", user=actors.reporter_a)
        errors = exc.value.by_row()
        assert "立案日期" in errors[3]
        assert "999999 未登记" in errors[4]
        assert "第 2 行重复" in errors[5]
        assert "不是您的单位" in errors[6]  # an alias resolves, but it is not the uploader's unit
        assert 2 not in errors
        assert not Case.objects.exists()

    def test_another_units_certificate_reads_as_unregistered_and_names_nobody(
        self, calendar_2025, actors, subjects, certified
    ):
        others = certified(actors.unit_b)
        mine = certified(actors.unit_a)
        upload = csv_upload([
            row("导入-1", certs="、".join(o.certificates.get().number for o in others)),
            row("导入-2", unit="区城管执法局", certs="、".join(o.certificates.get().number for o in mine)),
        ])  # fmt: skip
        with pytest.raises(ImportFailed) as exc:
            imports.case_import(upload=upload, filename="cases.csv", user=actors.reporter_a)
        errors = exc.value.by_row()
        assert "未登记或不在您的权限范围内" in errors[2]
        assert all(o.name not in str(exc.value) for o in others)
        assert not Case.objects.exists()
        # The supervisor sees every certificate, but a row's officers must be its unit's.
        upload = csv_upload([
            row("导入-3", unit="区城管执法局", certs="、".join(o.certificates.get().number for o in mine)),
        ])  # fmt: skip
        with pytest.raises(ImportFailed) as exc:
            imports.case_import(upload=upload, filename="cases.csv", user=actors.supervisor)
        assert "不是本行执法单位的人员" in exc.value.row_errors[0].message

    def test_a_clean_file_is_written_and_checked(self, calendar_2025, actors, subjects, certified):
        officers = certified(actors.unit_a)
        certs = "、".join(o.certificates.get().number for o in officers)
        upload = csv_upload([
            row("导入-1", certs=certs),
            row("导入-2", certs=certs, 决定日期="2025-09-26"),
        ])  # fmt: skip
        assert imports.case_import(upload=upload, filename="cases.csv", user=actors.reporter_a) == 2
        second = Case.objects.get(number="导入-2")
        assert second.officers.count() == 2
        assert Finding.objects.filter(case=second, rule="publicity").exists()
        assert second.light == "red"
        # The same file again: each row's number is already registered, nothing is written.
        upload = csv_upload([
            row("导入-1", certs=certs),
            row("导入-3", certs=certs),
            row("导入-2", certs=certs),
        ])  # fmt: skip
        with pytest.raises(ImportFailed) as exc:
            imports.case_import(upload=upload, filename="cases.csv", user=actors.reporter_a)
        errors = exc.value.by_row()
        assert "案号 导入-1 已登记" in errors[2] and "案号 导入-2 已登记" in errors[4]
        assert 3 not in errors
        assert Case.objects.count() == 2

    def test_import_page_lists_row_errors(self, calendar_2025, actors, subjects, client_as):
        response = client_as(actors.reporter_a).post(
            reverse("cases:case_import"), {"file": csv_upload([row("页-1", certs="1")])}
        )
        page = response.content.decode()
        assert "第 2 行" in page and "执法证号 1 未登记" in page
        assert not Case.objects.exists()


def test_leniency_and_new_modes_are_counted(calendar_2025, case_data, certified, actors, client_as):
    from oversight.cases.models import LeniencyItem

    item = services.leniency_item_save(
        item=None,
        data={"unit": actors.unit_a, "kind": "no_penalty", "title": "首次轻微违法", "conditions": "首次且及时改正", "legal_basis": "《行政处罚法》第33条"},
        user=actors.reporter_a,
    )  # fmt: skip
    officers = certified(actors.unit_a)
    services.case_save(
        case=None,
        data=case_data(number="L-1", first_offence_exempt=True, leniency_item=item),
        officers=officers,
    )
    services.case_save(case=None, data=case_data(number="L-2", fast_track=True), officers=officers)
    other = LeniencyItem.objects.create(
        unit=actors.unit_b, kind="lighter", title="他单位事项", conditions="x", legal_basis="y"
    )
    with pytest.raises(Exception, match="本单位清单"):
        services.case_save(
            case=None, data=case_data(number="L-3", leniency_item=other), officers=officers
        )
    page = client_as(actors.supervisor).get(reverse("cases:findings")).content.decode()
    modes = page[page.index('data-testid="modes"') :]
    assert "<td>区市场监管局</td><td>1</td><td>0</td><td>1</td><td>1</td>" in modes
