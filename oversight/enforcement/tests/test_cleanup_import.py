"""Clean-up campaigns, and the Excel import of officers and certificates."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from oversight.core.excel import ImportFailed
from oversight.enforcement import services
from oversight.enforcement.imports import OfficerImporter, officer_import
from oversight.enforcement.models import Certificate, CleanupItem, Officer

from .conftest import make_id

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive

TODAY = datetime.date.today()


@pytest.fixture
def people(actors, officer_factory, certificate_factory):
    fine = certificate_factory(officer_factory(name="正常"))
    retired = certificate_factory(officer_factory(name="退休", status="retired"))
    temp = certificate_factory(officer_factory(name="协管", employment="non_formal"))
    expired = certificate_factory(
        officer_factory(name="过期"),
        issue_date=TODAY - datetime.timedelta(days=2000),
        expiry_date=TODAY - datetime.timedelta(days=1),
    )
    double = officer_factory(name="双证", unit=actors.unit_b)
    d1, d2 = certificate_factory(double), certificate_factory(double)
    return {"fine": fine, "retired": retired, "temp": temp, "expired": expired, "d1": d1, "d2": d2}


@pytest.mark.django_db
class TestCleanup:
    def test_proposals_name_their_criteria(self, people):
        proposals = services.cleanup_proposals(TODAY)
        by = {
            Certificate.objects.get(pk=pk).officer.name: labels for pk, labels in proposals.items()
        }
        assert by == {
            "退休": ["已退休、调离或辞职"],
            "协管": ["非在编人员持证"],
            "过期": ["证件已过有效期"],
            "双证": ["持有两个以上执法证"],
        }
        assert people["fine"].pk not in proposals

    def test_no_idle_criterion_until_cases_are_recorded(self, people):
        assert all(
            "连续一年以上无执法记录" not in labels
            for labels in services.cleanup_proposals(TODAY).values()
        )

    def test_campaign_answer_decide_apply_publish(self, people, actors, client):
        campaign = services.cleanup_start(
            title="2026年度资格清理",
            as_of=TODAY,
            response_due=TODAY + datetime.timedelta(days=10),
            user=actors.supervisor,
        )
        assert campaign.items.count() == 5
        retired_item = campaign.items.get(certificate=people["retired"])
        with pytest.raises(PermissionDenied):
            services.cleanup_answer(
                item=retired_item, answer="confirm", user=actors.reporter_b
            )  # not B's officer
        services.cleanup_answer(item=retired_item, answer="confirm", user=actors.reporter_a)
        temp_item = campaign.items.get(certificate=people["temp"])
        with pytest.raises(ValidationError):
            services.cleanup_answer(
                item=temp_item, answer="explain", explanation="", user=actors.reporter_a
            )
        services.cleanup_answer(
            item=temp_item,
            answer="explain",
            explanation="已于今年转为在编人员,手续正在办理",
            user=actors.reporter_a,
        )
        with pytest.raises(ValidationError, match="没有处理决定"):
            services.cleanup_apply(campaign=campaign, user=actors.supervisor)
        for item in campaign.items.all():
            decision = (
                "keep"
                if item == temp_item
                else ("withdraw" if item.certificate == people["d2"] else "cancel")
            )
            services.cleanup_decide(item=item, decision=decision, user=actors.supervisor)
        counts = services.cleanup_apply(campaign=campaign, user=actors.supervisor)
        assert counts == {"cancel": 3, "withdraw": 1, "keep": 1}
        people["retired"].refresh_from_db()
        people["temp"].refresh_from_db()
        assert (people["retired"].status, people["temp"].status) == ("cancelled", "valid")
        assert (
            client.get(reverse("portal:cleanup", args=[campaign.pk])).status_code == 404
        )  # not yet published
        services.cleanup_publish(campaign=campaign, user=actors.supervisor)
        html = client.get(reverse("portal:cleanup", args=[campaign.pk])).content.decode()
        assert people["retired"].number in html and people["temp"].number not in html

    def test_a_failing_change_rolls_the_whole_step_back(self, people, actors):
        campaign = services.cleanup_start(
            title="清理", as_of=TODAY, response_due=TODAY, user=actors.supervisor
        )
        for item in campaign.items.all():
            services.cleanup_decide(item=item, decision="cancel", user=actors.supervisor)
        # Meanwhile one certificate was cancelled by hand: cancelling it again is refused.
        services.certificate_change(
            certificate=people["expired"], action="cancel", reason="到期", user=actors.supervisor
        )
        with pytest.raises(ValidationError, match="不能注销"):
            services.cleanup_apply(campaign=campaign, user=actors.supervisor)
        people["retired"].refresh_from_db()
        assert people["retired"].status == "valid"
        assert not CleanupItem.objects.filter(applied=True).exists()

    def test_one_campaign_at_a_time(self, people, actors):
        services.cleanup_start(title="一", as_of=TODAY, response_due=TODAY, user=actors.supervisor)
        with pytest.raises(ValidationError, match="正在进行"):
            services.cleanup_start(
                title="二", as_of=TODAY, response_due=TODAY, user=actors.supervisor
            )


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(list(OfficerImporter.headers_of()))
    for row in rows:
        ws.append([row.get(h, "") for h in OfficerImporter.headers_of()])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def row(n, **extra):
    values = {"姓名": f"导入{n}", "身份证号": make_id(seq=100 + n), "所在单位": "区市场监管局", "编制类型": "在编", "状态": "在岗",
              "证号": f"IMP{n:04d}", "证件种类": "行政执法证", "执法领域": "市场监管", "发证机关": "黄石市人民政府",
              "发证日期": "2024-03-01", "有效期至": "2029-02-28"}  # fmt: skip
    values.update(extra)
    return values


@pytest.mark.django_db
class TestImport:
    def test_bad_row_writes_nothing_and_names_the_row(self, actors):
        rows = [
            row(1),
            row(2, 身份证号="420204198506120010"),
            row(3, 所在单位="区不存在局", 发证日期="2024-13-01"),
        ]
        with pytest.raises(ImportFailed) as caught:
            officer_import(upload=workbook(rows), user=actors.reporter_a)
        errors = {}
        for e in caught.value.row_errors:
            errors.setdefault(e.row, []).append(str(e))
        assert set(errors) == {3, 4}
        assert "校验位不正确" in errors[3][0] and "“身份证号”" in errors[3][0]
        assert "第 4 行“所在单位”:“区不存在局”不在单位库中" in errors[4]
        assert any("第 4 行“发证日期”" in e for e in errors[4])
        assert not Officer.objects.exists() and not Certificate.objects.exists()

    def test_fixed_file_imports_and_a_second_run_updates(self, actors):
        result = officer_import(upload=workbook([row(1), row(2)]), user=actors.reporter_a)
        assert result == {"created": 2, "updated": 0, "certificates": 2}
        result = officer_import(upload=workbook([row(1, 职务="科长")]), user=actors.reporter_a)
        assert result == {"created": 0, "updated": 1, "certificates": 0}
        assert Officer.objects.get(name="导入1").post == "科长"

    def test_reporter_cannot_import_another_units_officers(self, actors):
        with pytest.raises(ImportFailed) as caught:
            officer_import(
                upload=workbook([row(1, 所在单位="区城管执法局")]), user=actors.reporter_a
            )
        assert "不是您的单位" in caught.value.row_errors[0].message

    def test_duplicates_within_the_file(self, actors):
        with pytest.raises(ImportFailed) as caught:
            officer_import(
                upload=workbook([row(1), row(2, 身份证号=make_id(seq=101), 证号="IMP0001")]),
                user=actors.supervisor,
            )
        errors = [(e.row, e.column, e.message) for e in caught.value.row_errors]
        assert (3, "身份证号", "身份证号与第 2 行重复") in errors
        assert (3, "证号", "证号与第 2 行重复") in errors

    def test_template_and_page(self, actors, client_as):
        client = client_as(actors.reporter_a)
        template = client.get(reverse("enforcement:officer_import"), {"template": "1"})
        assert template["Content-Type"].startswith("application/vnd.openxmlformats")
        response = client.post(
            reverse("enforcement:officer_import"), {"file": workbook([row(1, 身份证号="123")])}
        )
        assert "第 2 行" in response.content.decode() and "应为 18 位" in response.content.decode()

    def test_preview_writes_nothing_and_confirm_imports_the_checked_file(
        self, actors, client_as, django_capture_on_commit_callbacks
    ):
        client = client_as(actors.reporter_a)
        url = reverse("enforcement:officer_import")
        preview = client.post(url, {"file": workbook([row(1), row(2)])})
        page = preview.content.decode()
        assert "全部 2 行校验通过" in page and "新增 2 人" in page and "导入1" in page
        # The cells as the user wrote them, the ID numbers masked.
        assert "在编" in page and "formal" not in page
        assert make_id(seq=101) not in page and make_id(seq=101)[-4:] in page
        assert not Officer.objects.exists()
        token = preview.context["token"]
        # Another user cannot confirm this upload: the token lives under its uploader.
        other = Client()
        other.force_login(actors.reporter_b)
        refused = other.post(url, {"op": "commit", "token": token, "ext": ".xlsx"}, follow=True)
        assert "预览已过期或已导入" in refused.content.decode()
        assert not Officer.objects.exists()
        # The confirmed import runs in the background; the page that follows it shows the result.
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url, {"op": "commit", "token": token, "ext": ".xlsx"})
        job = started["Location"]
        assert job.startswith("/jobs/")
        done = client.get(job).content.decode()
        assert "导入完成:新增 2 人" in done and 'data-status="succeeded"' in done
        assert reverse("enforcement:officer_list") in done  # the link to what was imported
        assert Officer.objects.count() == 2
        assert other.get(job).status_code == 404  # only its starter follows it
        # The same confirmation twice does not import twice.
        again = client.post(url, {"op": "commit", "token": token, "ext": ".xlsx"}, follow=True)
        assert "预览已过期或已导入" in again.content.decode()

    def test_a_file_that_fails_when_confirmed_writes_nothing_and_the_job_says_why(
        self, actors, client_as, django_capture_on_commit_callbacks
    ):
        client = client_as(actors.reporter_a)
        url = reverse("enforcement:officer_import")
        preview = client.post(url, {"file": workbook([row(1), row(2)])})
        token = preview.context["token"]
        # Meanwhile someone registers the second certificate's number for another officer.
        other = services.officer_create(
            data={"unit": actors.unit_a, "name": "先登记的人"}, id_number=make_id(seq=300)
        )
        services.certificate_issue(
            officer=other,
            data={
                "number": "IMP0002",
                "areas": "市场监管",
                "issuing_authority": "黄石市人民政府",
                "issue_date": datetime.date(2024, 3, 1),
                "expiry_date": datetime.date(2029, 2, 28),
            },
        )
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url, {"op": "commit", "token": token, "ext": ".xlsx"})
        page = client.get(started["Location"]).content.decode()
        assert 'data-status="failed"' in page and "第 3 行" in page and "已登记给其他人员" in page
        assert "没有写入任何数据" in page
        assert Officer.objects.count() == 1  # only the one registered meanwhile

    def test_forged_token_is_refused(self, actors, client_as):
        client = client_as(actors.reporter_a)
        url = reverse("enforcement:officer_import")
        response = client.post(url, {"op": "commit", "token": "../../etc/passwd", "ext": ".xlsx"})
        assert response.status_code == 400
