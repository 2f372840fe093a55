"""Units and groups: names, aliases, groups expanding to current members, Excel import."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from oversight.core.excel import ImportFailed
from oversight.organisations.imports import UnitImporter, unit_import
from oversight.organisations.initial import SEED_UNITS, load_demo_units, load_initial_units
from oversight.organisations.models import Unit, UnitGroup, UnitKind
from oversight.organisations.selectors import group_members, resolve_name
from oversight.organisations.services import (
    group_save,
    unit_create,
    unit_delete,
    unit_update,
)

# Reads today's date: CI runs it again as of early January and 1 July.
pytestmark = pytest.mark.date_sensitive

SEED = Path(__file__).resolve().parents[2] / "notices" / "fixtures" / "xialu-notice-2024.txt"


IMPORT_HEADERS = UnitImporter.headers_of()


def workbook(rows, headers=IMPORT_HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "units.xlsx"
    return buffer


@pytest.mark.django_db
class TestInitialData:
    def test_loading_is_idempotent(self):
        first = load_initial_units()
        assert first == 1 + len(SEED_UNITS) + 4
        assert load_initial_units() == 0

    def test_every_unit_the_seed_names_resolves(self):
        load_initial_units()
        text = SEED.read_text(encoding="utf-8")
        # Unit cells are the lines made only of unit names and separators.
        cells = [
            line
            for line in text.splitlines()
            if re.fullmatch(r"(区|各)[^。;:]*?(局|办|院|部|联|心|关|门|园区\))", line.strip())
        ]
        names = set()
        for cell in cells:
            for group in re.split(r"[,,]", cell):
                names |= {n for n in re.split(r"、(?![^(]*\))", group) if n}
        assert len(cells) == 24  # one unit cell per task
        assert len(names) == 24  # 21 units and 3 groups, as written
        unresolved = sorted(n for n in names if resolve_name(n) is None)
        assert unresolved == []

    def test_alias_and_half_width_brackets_resolve(self):
        load_initial_units()
        assert resolve_name("区城管局") == Unit.objects.get(short_name="区城管执法局")
        assert resolve_name("各街办(园区)") == UnitGroup.objects.get(name="各街办(园区)")
        assert resolve_name("区不存在局") is None


@pytest.mark.django_db
class TestGroups:
    def test_groups_expand_to_current_members(self):
        load_initial_units()
        load_demo_units()
        streets_parks = UnitGroup.objects.get(name="各街办(园区)")
        streets = UnitGroup.objects.get(name="各街办")
        enforcement = UnitGroup.objects.get(name="区直各行政执法部门")
        assert group_members(streets_parks).count() == 6
        assert group_members(streets).count() == 5
        assert all(u.is_enforcement and u.kind == "department" for u in group_members(enforcement))
        street = Unit.objects.get(short_name="团城山街办")
        unit_update(unit=street, data={"is_active": False})
        assert group_members(streets).count() == 4

    def test_explicit_group(self, actors):
        group = group_save(
            group=None,
            data={"name": "试点单位", "rule": "explicit"},
            members=[actors.unit_a, actors.unit_b],
        )
        assert set(group_members(group)) == {actors.unit_a, actors.unit_b}

    def test_kind_group_needs_kinds(self, actors):
        with pytest.raises(ValidationError, match="至少要选择一个类别"):
            group_save(group=None, data={"name": "空组", "rule": "kinds", "kinds": []}, members=[])

    def test_group_name_cannot_be_a_unit_name(self, actors):
        with pytest.raises(ValidationError, match="已是单位"):
            group_save(group=None, data={"name": "区司法局", "rule": "enforcement"}, members=[])


@pytest.mark.django_db
class TestUnitNames:
    def test_alias_cannot_be_another_units_name(self, actors):
        with pytest.raises(ValidationError, match="另一个单位的名称"):
            unit_update(unit=actors.unit_a, data={}, aliases="区城管执法局")

    def test_unit_cannot_be_its_own_ancestor(self, actors):
        child = unit_create(
            data={
                "parent": actors.unit_a,
                "kind": "department",
                "name": "下属所",
                "short_name": "下属所",
            }
        )
        with pytest.raises(ValidationError, match="不能是本单位或其下级单位"):
            unit_update(unit=actors.unit_a, data={"parent": child})

    def test_only_the_government_sits_at_the_root(self, actors):
        with pytest.raises(ValidationError, match="请选择上级单位"):
            unit_create(
                data={
                    "parent": None,
                    "kind": UnitKind.DEPARTMENT,
                    "name": "游离局",
                    "short_name": "游离局",
                }
            )

    def test_unit_in_use_cannot_be_deleted(self, actors):
        with pytest.raises(ValidationError, match="请改为停用"):
            unit_delete(unit=actors.unit_a)
        assert Unit.objects.filter(pk=actors.unit_a.pk).exists()


@pytest.mark.django_db
class TestUnitImport:
    def row(self, name, short, kind="政府部门", parent="区政府", **extra):
        values = {"单位全称": name, "简称": short, "单位类别": kind, "上级单位": parent}
        values.update(extra)
        return [values.get(h, "") for h in IMPORT_HEADERS]

    def test_valid_file_creates_and_updates(self, actors):
        rows = [
            self.row("测试区应急管理局", "区应急局", 行政执法部门="是", 别名="应急局"),
            self.row("测试区应急管理局执法大队", "应急执法大队", parent="区应急局"),
            self.row("测试区司法局", "区司法局", 联系人="王五"),
        ]
        result = unit_import(upload=workbook(rows))
        assert result == {"created": 2, "updated": 1}
        assert Unit.objects.get(short_name="应急执法大队").parent.short_name == "区应急局"
        assert resolve_name("应急局").short_name == "区应急局"
        actors.bureau.refresh_from_db()
        assert actors.bureau.contact_person == "王五"

    def test_one_bad_row_writes_nothing_and_names_the_row(self, actors):
        rows = [
            self.row("测试区应急管理局", "区应急局"),
            self.row("测试区卫健局", "区卫健局", kind="医院"),
            self.row("测试区交通局", "区交通局", parent="区不存在局"),
        ]
        with pytest.raises(ImportFailed) as caught:
            unit_import(upload=workbook(rows))
        errors = {e.row: str(e) for e in caught.value.row_errors}
        assert set(errors) == {3, 4}
        assert "第 3 行“单位类别”:“医院”无效" in errors[3]
        assert "第 4 行“上级单位”:“区不存在局”不存在" in errors[4]
        assert not Unit.objects.filter(short_name="区应急局").exists()

    def test_duplicate_rows_are_reported(self, actors):
        rows = [
            self.row("测试区应急管理局", "区应急局"),
            self.row("测试区应急管理局二", "区应急局"),
        ]
        with pytest.raises(ImportFailed) as caught:
            unit_import(upload=workbook(rows))
        assert "与第 2 行重复" in caught.value.row_errors[0].message

    def test_a_clash_found_while_writing_rolls_everything_back(self, actors):
        unit_update(unit=actors.unit_b, data={}, aliases="城管局")
        rows = [self.row("测试区应急管理局", "区应急局"), self.row("测试区新城管局", "城管局")]
        with pytest.raises(ImportFailed) as caught:
            unit_import(upload=workbook(rows))
        assert caught.value.row_errors[0].row == 3
        assert not Unit.objects.filter(short_name="区应急局").exists()

    def test_missing_columns(self, actors):
        with pytest.raises(ValidationError, match="表头缺少列:单位类别、上级单位"):
            unit_import(upload=workbook([["甲", "乙"]], headers=["单位全称", "简称"]))

    def test_not_a_workbook(self, actors):
        upload = io.BytesIO(b"this is not excel")
        with pytest.raises(ValidationError, match="请上传 Excel 工作簿"):
            unit_import(upload=upload)

    def test_import_page_shows_row_errors(self, actors, client_as):
        upload = workbook([self.row("测试区卫健局", "区卫健局", kind="医院")])
        response = client_as(actors.sysadmin).post("/organisations/units/import/", {"file": upload})
        body = response.content.decode()
        assert "第 2 行" in body and "单位类别" in body and "“医院”无效" in body
        assert not Unit.objects.filter(short_name="区卫健局").exists()


@pytest.mark.django_db
class TestImporterContract:
    """The shared importer, seen through the unit import."""

    def test_template_has_every_column_and_an_example_that_imports(self, actors):
        from openpyxl import load_workbook

        content = UnitImporter.template_bytes()
        sheet = load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == IMPORT_HEADERS and len(rows) == 2
        # The example's parent is the seed's district government; here it is the test district.
        example = ["测试区人民政府" if v == "下陆区人民政府" else v for v in rows[1]]
        assert unit_import(upload=workbook([example]), user=actors.sysadmin)["created"] == 1

    def test_dry_run_writes_nothing_and_counts_what_it_would(self, actors):
        from oversight.core.models import AuditEntry

        audits = AuditEntry.objects.count()
        rows = [[v for v in ("测试区应急管理局", "区应急局", "政府部门", "区政府")]]
        result = UnitImporter(user=actors.sysadmin).run(workbook(rows), dry_run=True)
        assert result.counts == {"created": 1, "updated": 0} and result.dry_run
        assert not Unit.objects.filter(short_name="区应急局").exists()
        assert AuditEntry.objects.count() == audits

    def test_pending_preview_files_are_removed_after_a_day(self, settings, tmp_path):
        import os

        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        from django.utils import timezone

        from oversight.core.jobs import clear_pending_imports

        settings.MEDIA_ROOT = tmp_path
        old = default_storage.save("imports/7/old-token-aaaaaaaaaaaaaaaaa.xlsx", ContentFile(b"x"))
        new = default_storage.save("imports/7/new-token-aaaaaaaaaaaaaaaaa.xlsx", ContentFile(b"x"))
        # Ages against the platform's clock (pinned in the date runs): 25 hours and 1 hour.
        now = timezone.now().timestamp()
        for name, hours in ((old, 25), (new, 1)):
            os.utime(default_storage.path(name), (now - hours * 3600, now - hours * 3600))
        assert clear_pending_imports() == "清理未确认的导入文件 1 个"
        assert default_storage.listdir("imports/7")[1] == ["new-token-aaaaaaaaaaaaaaaaa.xlsx"]
