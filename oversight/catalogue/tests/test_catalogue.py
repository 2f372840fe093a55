"""The catalogue changes only by reviewed adjustments and can be shown as of any date."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.catalogue import services
from oversight.catalogue.models import Adjustment

D = dt.date
ITEM = {
    "name": "对销售过期食品的行政处罚", "item_class": "penalty",
    "legal_basis": "《中华人民共和国食品安全法》第一百二十四条", "subject": "区市场监督管理局", "level": "区级",
}  # fmt: skip


@pytest.fixture(autouse=True)
def pinned(db):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        yield


NEW_YEAR = D(2026, 1, 1)


def _propose(actors, kind="add", day=NEW_YEAR, **data):
    return services.adjustment_propose(
        unit=actors.unit_a, kind=kind, code="330217001000", data=ITEM | data, reason="法律修订",
        document="下政办发〔2025〕12号", effective_on=day, user=actors.reporter_a,
    )  # fmt: skip


def test_an_item_takes_effect_only_once_reviewed_and_the_past_stays_readable(actors):
    added = _propose(actors)
    assert not services.catalogue_as_of(D(2026, 2, 1)).exists()  # pending: not in force
    services.adjustment_review(adjustment=added, approve=True, user=actors.supervisor)
    changed = _propose(
        actors,
        kind="change",
        day=D(2026, 6, 1),
        legal_basis="《食品安全法》(2025修正)第一百二十四条",
    )
    services.adjustment_review(adjustment=changed, approve=True, user=actors.supervisor)
    abolished = _propose(actors, kind="abolish", day=D(2027, 1, 1))
    services.adjustment_review(adjustment=abolished, approve=True, user=actors.supervisor)
    assert [v.legal_basis for v in services.catalogue_as_of(D(2026, 3, 1))] == [ITEM["legal_basis"]]
    assert [v.legal_basis for v in services.catalogue_as_of(D(2026, 7, 1))] == [
        "《食品安全法》(2025修正)第一百二十四条"
    ]
    assert not services.catalogue_as_of(D(2027, 1, 1)).exists()
    assert not services.catalogue_as_of(D(2025, 12, 31)).exists()


def test_what_is_refused(actors):
    with pytest.raises(PermissionDenied):
        services.adjustment_propose(
            unit=actors.unit_b, kind="add", code="X1", data=ITEM, reason="新增事项", document="某文件",
            effective_on=D(2026, 1, 1), user=actors.reporter_a,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="没有编码为 330217001000 的有效事项"):
        _propose(actors, kind="change")
    added = _propose(actors)
    with pytest.raises(ValidationError, match="已有待审核的调整"):
        _propose(actors, name="另一个名称")
    with pytest.raises(PermissionDenied):
        services.adjustment_review(adjustment=added, approve=True, user=actors.reporter_a)
    with pytest.raises(ValidationError, match="不予通过须写明理由"):
        services.adjustment_review(adjustment=added, approve=False, user=actors.supervisor)
    services.adjustment_review(
        adjustment=added, approve=False, comment="依据不准确", user=actors.supervisor
    )
    assert Adjustment.objects.get().status == "rejected"
    with pytest.raises(ValidationError, match="事项类别"):
        _propose(actors, item_class="unknown")


def test_the_pages_show_the_catalogue_as_of_a_date_and_the_portal_publishes_it(client, actors):
    from django.urls import reverse

    added = _propose(actors)
    client.force_login(actors.supervisor)
    response = client.post(added.get_absolute_url(), {"op": "review", "approve": "1"}, follow=True)
    assert "已通过" in response.content.decode()
    client.force_login(actors.reporter_a)
    page = client.get(reverse("catalogue:catalogue"), {"as_of": "2026-02-01"}).content.decode()
    assert "对销售过期食品的行政处罚" in page
    assert (
        "对销售过期食品的行政处罚"
        not in client.get(reverse("catalogue:catalogue"), {"as_of": "2025-12-01"}).content.decode()
    )
    assert client.get(reverse("catalogue:catalogue"), {"as_of": "2026-13-01"}).status_code == 400
    client.force_login(actors.reporter_b)  # another unit works with its own catalogue
    assert (
        "对销售过期食品的行政处罚"
        not in client.get(reverse("catalogue:catalogue")).content.decode()
    )
    assert client.get(added.get_absolute_url()).status_code == 404
    client.logout()
    public = client.get(reverse("portal:catalogue")).content.decode()
    assert "对销售过期食品的行政处罚" in public and "330217001000" in public


def test_the_excel_import_proposes_adjustments_all_or_nothing(actors):
    import io

    from openpyxl import Workbook

    from oversight.catalogue.imports import catalogue_import

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "实施单位",
            "事项编码",
            "事项名称",
            "事项类别",
            "设定依据",
            "依据链接",
            "实施主体",
            "裁量基准",
            "行使层级",
            "生效日期",
            "依据文件",
        ]
    )
    ws.append(
        [
            "区市场监管局",
            "A1",
            "食品经营许可",
            "行政许可",
            "《食品安全法》第三十五条",
            "",
            "区市场监管局",
            "",
            "区级",
            "2026-01-01",
            "某文件",
        ]
    )
    ws.append(
        [
            "区城管执法局",
            "B1",
            "占道处罚",
            "行政处罚",
            "《城市道路管理条例》第四十二条",
            "",
            "区城管执法局",
            "",
            "区级",
            "2026-01-01",
            "某文件",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "清单.xlsx"
    from oversight.core.excel import ImportFailed

    with pytest.raises(ImportFailed) as failed:
        catalogue_import(upload=buf, user=actors.reporter_a)
    assert "只能导入本单位的事项" in str(failed.value.by_row())
    assert not Adjustment.objects.exists()
    buf.seek(0)
    counts = catalogue_import(upload=buf, user=actors.supervisor)
    assert counts == {"add": 2, "change": 0}
    assert Adjustment.objects.filter(status="pending").count() == 2


def test_a_case_on_an_abolished_item_is_a_finding(actors, case_data, certified, calendar_2025):
    from oversight.cases import services as cases

    added = _propose(actors, day=D(2025, 1, 1))
    services.adjustment_review(adjustment=added, approve=True, user=actors.supervisor)
    abolished = _propose(actors, kind="abolish", day=D(2025, 9, 1))
    services.adjustment_review(adjustment=abolished, approve=True, user=actors.supervisor)
    item = added.item if added.item_id else abolished.item
    officers = certified(actors.unit_a, 2)
    before = cases.case_save(
        case=None, data=case_data(number="A-1", catalog_item=item, filed_on=D(2025, 8, 1)), officers=officers, user=actors.reporter_a
    )  # fmt: skip
    assert "catalog" not in set(before.findings.values_list("rule", flat=True))
    after = cases.case_save(
        case=None, data=case_data(number="A-2", catalog_item=item, filed_on=D(2025, 9, 15)), officers=officers, user=actors.reporter_a
    )  # fmt: skip
    finding = after.findings.get(rule="catalog")
    assert finding.level == "red" and "330217001000" in finding.message
    other = services.adjustment_propose(
        unit=actors.unit_b, kind="add", code="B-1", data=ITEM, reason="新增事项", document="某文件",
        effective_on=D(2025, 1, 1), user=actors.supervisor,
    )  # fmt: skip
    other = services.adjustment_review(adjustment=other, approve=True, user=actors.supervisor)
    with pytest.raises(ValidationError, match="本单位执法事项清单"):
        cases.case_save(
            case=None,
            data=case_data(number="A-3", catalog_item=other.item),
            officers=officers,
            user=actors.reporter_a,
        )


def test_items_without_cases_for_years_are_proposed_for_clean_up(
    actors, case_data, certified, calendar_2025
):
    from oversight.cases import services as cases

    used = services.adjustment_review(
        adjustment=_propose(actors, day=D(2020, 1, 1)), approve=True, user=actors.supervisor
    )
    idle = services.adjustment_propose(
        unit=actors.unit_a, kind="add", code="IDLE-1", data=ITEM | {"name": "多年未用的事项"}, reason="新增事项",
        document="某文件", effective_on=D(2020, 1, 1), user=actors.supervisor,
    )  # fmt: skip
    services.adjustment_review(adjustment=idle, approve=True, user=actors.supervisor)
    cases.case_save(
        case=None, data=case_data(number="A-9", catalog_item=used.item, filed_on=D(2025, 9, 1)),
        officers=certified(actors.unit_a, 2), user=actors.reporter_a,
    )  # fmt: skip
    codes = [v.item.code for v in services.idle_items(D(2026, 3, 1))]
    assert codes == ["IDLE-1"]
