"""Input no page can use gets a Chinese 400 that says what to fix; never a server error."""

import json

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from oversight.accounts.models import LoginEvent
from oversight.core.middleware import client_ip
from oversight.core.models import AuditEntry
from oversight.core.validation import check_json_text
from oversight.enforcement.tests.conftest import make_id


@pytest.mark.django_db
class TestQueryParameters:
    @pytest.mark.parametrize(
        ("url", "who", "message"),
        [
            ("/enforcement/training/?year=10000", "supervisor", "年份应在 1900 至 2099 之间"),
            ("/enforcement/training/?year=abc", "supervisor", "不是数字"),
            ("/system/calendar/?year=0", "sysadmin", "年份应在 1900 至 2099 之间"),
            (
                "/cases/inspections/?enterprise=99999999999999999999999",
                "supervisor",
                "应为对象编号",
            ),
            ("/plans/ledger/?unit=-1", "supervisor", "应为对象编号"),
        ],
    )
    def test_unparsable_value_is_a_chinese_400(self, actors, client_as, url, who, message):
        response = client_as(getattr(actors, who)).get(url)
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_a_filter_that_does_not_parse_shows_its_error_and_no_rows(self, actors, client_as):
        client = client_as(actors.auditor)
        AuditEntry.objects.create(action="action", username="x", message="一条记录")
        page = client.get("/system/audit/?since=2024-13-45").content.decode()
        assert 'data-testid="filter-errors"' in page
        assert "一条记录" not in page
        assert "一条记录" in client.get("/system/audit/").content.decode()

    def test_out_of_range_date_in_a_filter_is_an_error(self, actors, client_as):
        page = client_as(actors.auditor).get("/system/audit/?since=9999-12-31").content.decode()
        assert "超出有效范围" in page

    def test_control_characters_in_a_query_are_refused(self, actors, client_as):
        response = client_as(actors.supervisor).get("/cases/?q=a%00b")
        assert response.status_code == 400
        assert "控制字符" in response.content.decode()


@pytest.mark.django_db
class TestFormsRefuseControlCharacters:
    def test_posted_text_with_a_control_character_is_refused_and_nothing_is_saved(
        self, actors, client_as
    ):
        before = AuditEntry.objects.count()
        response = client_as(actors.sysadmin).post(
            reverse("accounts:user_add"), {"username": "zhang", "full_name": "张\x01三"}
        )
        assert response.status_code == 400
        assert "控制字符" in response.content.decode()
        assert AuditEntry.objects.count() == before


class TestJsonChecks:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("[" * 5000 + "]" * 5000, "嵌套层数过多"),
            ('{"a":' * 30 + "1" + "}" * 30, "嵌套层数过多"),
            ('{"fine_amount": 1e999}', "超出范围"),
            ('{"x": NaN}', "不支持数值 NaN"),
            ('{"x": Infinity}', "不支持数值 Infinity"),
            ('{"party_name": "\\ud800"}', "孤立代理项"),
            ('{"party_name": "x\\u0001y"}', "控制字符"),
            ('{"a": ', "JSON 格式错误"),
        ],
    )
    def test_unusable_json_is_named(self, text, message):
        assert message in check_json_text(text)

    def test_ordinary_json_passes(self):
        assert check_json_text(json.dumps({"a": [1, 2.5, "换行\n可以"], "b": None})) is None


@pytest.mark.django_db
class TestApiAnswersInChinese:
    @pytest.fixture
    def api(self, actors):
        client = APIClient()
        client.force_authenticate(actors.reporter_a)
        return client

    @pytest.mark.parametrize(
        "body",
        [
            "[" * 3000 + "]" * 3000,
            '{"number": 1e999}',
            '{"party_name": "\\ud800"}',
            '{"party_name": "x\\u0001y"}',
        ],
    )
    def test_malformed_json_is_a_chinese_400(self, api, body):
        response = api.post("/api/cases/", body, content_type="application/json")
        assert response.status_code == 400
        assert any("\u4e00" <= c <= "\u9fff" for c in response.json()["detail"])

    @pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
    def test_dates_outside_the_platform_range_are_refused(self, api, value):
        response = api.post("/api/cases/", {"filed_on": value}, format="json")
        assert response.status_code == 400
        assert "超出有效范围" in json.dumps(response.json(), ensure_ascii=False)

    def test_not_found_and_unauthenticated_are_chinese(self, api):
        assert api.get("/api/cases/999999/").json()["detail"] == "对象不存在或不在您的权限范围内。"
        anonymous = APIClient().get("/api/cases/")
        assert anonymous.status_code == 401
        assert "令牌" in anonymous.json()["detail"]


@pytest.mark.django_db
class TestLoginAndAddresses:
    def test_login_page_when_logged_in_follows_a_safe_next(self, actors, client_as):
        client = client_as(actors.supervisor)
        assert client.get("/accounts/login/?next=/cases/").url == "/cases/"
        assert client.get("/accounts/login/?next=https://evil.example/").url == "/"

    @override_settings(TRUSTED_PROXIES=[])
    def test_forwarded_addresses_from_an_untrusted_peer_are_ignored(self):
        request = RequestFactory().get("/", HTTP_X_REAL_IP="1.2.3.4", REMOTE_ADDR="10.0.0.7")
        assert client_ip(request) == "10.0.0.7"

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_a_trusted_proxy_names_the_client_and_garbage_is_ignored(self):
        factory = RequestFactory()
        assert client_ip(factory.get("/", HTTP_X_REAL_IP="1.2.3.4")) == "1.2.3.4"
        assert client_ip(factory.get("/", HTTP_X_REAL_IP="not-an-ip' OR 1=1")) == "127.0.0.1"
        chain = factory.get("/", HTTP_X_FORWARDED_FOR="9.9.9.9, 5.6.7.8, 127.0.0.1")
        assert client_ip(chain) == "5.6.7.8"

    def test_malformed_real_ip_header_is_not_logged(self, actors, client):
        client.post(
            reverse("accounts:login"),
            {"username": "nobody", "password": "x"},
            HTTP_X_REAL_IP="<script>",
        )
        assert LoginEvent.objects.get().ip == "127.0.0.1"


def test_server_error_page_is_chinese(rf):
    from oversight.core.views_errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
    assert "Server Error" not in response.content.decode()


@pytest.mark.django_db
def test_a_broken_multipart_body_is_a_chinese_400(actors, client_as):
    client = client_as(actors.supervisor)
    response = client.generic(
        "POST",
        "/cases/import/",
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert "格式有误" in response.content.decode()


HUGE_ID = "99999999999999999999999"  # larger than any database id


@pytest.mark.django_db
class TestIdsLargerThanAnyDatabaseId:
    @pytest.mark.parametrize(
        ("url", "data"),
        [
            ("/cases/inspections/add/", {"enterprise": HUGE_ID, "unit": HUGE_ID, "kind": "routine",
                                         "date": "2025-01-01", "officers": [HUGE_ID]}),
            ("/cases/add/", {"unit": HUGE_ID, "subject": HUGE_ID, "officers": [HUGE_ID],
                             "filed_on": "2025-01-01"}),
            ("/enforcement/officers/add/", {"unit": HUGE_ID, "subject": HUGE_ID, "name": "x"}),
        ],
    )  # fmt: skip
    def test_in_a_form_are_an_invalid_choice(self, actors, client_as, url, data):
        response = client_as(actors.supervisor).post(url, data)
        assert response.status_code == 200
        assert "选择一个有效的选项" in response.content.decode()

    @pytest.mark.parametrize(
        "url",
        [
            f"/cases/?unit={HUGE_ID}",
            f"/enforcement/officers/?unit={HUGE_ID}",
        ],
    )
    def test_in_a_filter_are_a_filter_error(self, actors, client_as, url):
        page = client_as(actors.supervisor).get(url)
        assert page.status_code == 200
        assert 'data-testid="filter-errors"' in page.content.decode()

    @pytest.mark.parametrize(
        "url", [f"/cases/{HUGE_ID}/", f"/api/cases/{HUGE_ID}/", f"/plans/assignments/{HUGE_ID}/"]
    )
    def test_in_a_url_are_not_found(self, actors, client_as, url):
        assert client_as(actors.supervisor).get(url).status_code == 404

    def test_in_the_api_are_refused_by_name(self, actors):
        client = APIClient()
        client.force_authenticate(actors.reporter_a)
        response = client.post("/api/inspections/", {"officers": [HUGE_ID]}, format="json")
        assert response.status_code == 400
        assert "不存在或不在您的权限范围内" in str(response.json()["officers"])


class TestValuesThatLookRightButAreNot:
    """Input that passed before because its shape was right: each now gets a message."""

    def test_a_zip_of_garbage_named_docx_is_not_a_word_file(self):
        import io
        import zipfile

        from django.core.exceptions import ValidationError

        from oversight.core.uploads import check_upload

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("garbage.bin", b"\x00" * 100)
        with pytest.raises(ValidationError, match="不是完整的 Word 文件"):
            check_upload("材料.docx", buffer.getvalue())
        with pytest.raises(ValidationError, match="不是完整的 Word 文件"):
            check_upload("材料.docx", b"PK\x03\x04" + b"\xff" * 200)
        real = io.BytesIO()
        from docx import Document

        Document().save(real)
        assert check_upload("材料.docx", real.getvalue()) == ".docx"

    @pytest.mark.parametrize(
        ("value", "ok"),
        [
            ("12345", False),
            ("1381234567", False),
            ("13812345678", True),
            ("+86 138-1234-5678", True),
            ("0714-6281234", True),
            ("0714-6281234转801", True),
            ("电话", False),
        ],
    )
    def test_phone_numbers(self, value, ok):
        from django.core.exceptions import ValidationError

        from oversight.core.validation import validate_phone

        if ok:
            validate_phone(value)
        else:
            with pytest.raises(ValidationError, match="不是有效的电话号码"):
                validate_phone(value)

    def test_the_draw_form_takes_its_own_example(self):
        from oversight.inspections.forms import DrawForm

        form = DrawForm.__new__(DrawForm)  # only its reading of the quotas, no database
        form.fields = DrawForm.base_fields
        form.cleaned_data = {"high": "3 户", "medium": "20%", "low": "0.05"}
        assert form.quotas() == {
            "high": {"count": 3},
            "medium": {"ratio": 0.2},
            "low": {"ratio": 0.05},
        }


@pytest.mark.django_db
@pytest.mark.date_sensitive
class TestLimitsOnTheLoop:
    def test_an_officers_phone_must_be_a_mobile_number(self, actors):
        from django.core.exceptions import ValidationError

        from oversight.enforcement.services.officers import officer_create

        with pytest.raises(ValidationError, match="不是有效的手机号"):
            officer_create(
                data={"unit": actors.unit_a, "name": "张三", "phone": "12345"},
                id_number=make_id(seq=1),
                user=actors.supervisor,
            )

    def test_a_certificate_issued_in_the_future_is_refused(self, actors):
        import datetime

        from django.core.exceptions import ValidationError
        from django.utils import timezone

        from oversight.enforcement.services.certificates import certificate_issue
        from oversight.enforcement.services.officers import officer_create

        officer = officer_create(
            data={"unit": actors.unit_a, "name": "李四"},
            id_number=make_id(seq=2),
            user=actors.supervisor,
        )
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ValidationError, match="晚于今天"):
            certificate_issue(
                officer=officer,
                data={
                    "number": "鄂A0001",
                    "areas": "市场监管",
                    "issuing_authority": "黄石市人民政府",
                    "issue_date": tomorrow,
                    "expiry_date": tomorrow + datetime.timedelta(days=365),
                },
                user=actors.supervisor,
            )
