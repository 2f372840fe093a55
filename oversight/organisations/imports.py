"""Excel import of the unit tree (matched by 单位全称; a parent may come earlier or later in the file)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.excel import ImportFailed, RowError
from oversight.core.importer import (
    CellTextField,
    ImportColumn,
    Importer,
    LabelChoiceField,
    RowForm,
    ValidRow,
    YesNoField,
    row_failed,
)

from .models import Unit, UnitAlias, UnitKind
from .selectors import normalise_name
from .services import unit_create, unit_update


class UnitNameField(CellTextField):
    def to_python(self, value: Any) -> str:
        return normalise_name(super().to_python(value))


def _known(name: str) -> Unit | None:
    return (
        Unit.objects.filter(name=name).first()
        or Unit.objects.filter(short_name=name).first()
        or getattr(UnitAlias.objects.filter(name=name).select_related("unit").first(), "unit", None)
    )


class UnitRow(RowForm):
    name = UnitNameField(label="单位全称", max_length=200)
    short_name = UnitNameField(label="简称", max_length=100)
    kind = LabelChoiceField(label="单位类别", choices=UnitKind.choices)
    parent = UnitNameField(label="上级单位", required=False)
    is_enforcement = YesNoField(label="行政执法部门", default=False)
    aliases = CellTextField(label="别名", required=False)
    sort_order = forms.IntegerField(label="排序", required=False, min_value=0)
    is_active = YesNoField(label="启用", default=True)
    contact_person = CellTextField(label="联系人", required=False, max_length=50)
    contact_phone = CellTextField(label="联系电话", required=False, max_length=50)
    address = CellTextField(label="地址", required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("sort_order") is None:
            data["sort_order"] = 100
        if not data.get("parent") and data.get("kind") not in (None, UnitKind.GOVERNMENT):
            self.add_error("parent", "上级单位不能为空(只有区政府没有上级)")
        return data


class UnitImporter(Importer):
    title = "单位"
    capability = "units.manage"
    help = "按单位全称匹配:已有的单位更新,没有的新增。上级单位可以是单位库中已有的单位,也可以是本表中列出的单位。"
    row_form = UnitRow
    columns = (
        ImportColumn("单位全称", "name", required=True, example="下陆区示例局"),
        ImportColumn("简称", "short_name", required=True, example="区示例局"),
        ImportColumn("单位类别", "kind", required=True, example="政府部门"),
        ImportColumn("上级单位", "parent", required=True, example="下陆区人民政府"),
        ImportColumn("行政执法部门", "is_enforcement", example="是"),
        ImportColumn("别名", "aliases", example="示例局"),
        ImportColumn("排序", "sort_order", example=100),
        ImportColumn("启用", "is_active", example="是"),
        ImportColumn("联系人", "contact_person"),
        ImportColumn("联系电话", "contact_phone"),
        ImportColumn("地址", "address"),
    )

    def check_rows(self, rows: list[ValidRow]) -> list[RowError]:
        errors = []
        seen: dict[str, int] = {}
        for row in rows:
            for key in ("name", "short_name"):
                value = row.data[key]
                if value in seen and seen[value] != row.number:
                    column = "单位全称" if key == "name" else "简称"
                    errors.append(
                        RowError(row.number, f"“{value}”与第 {seen[value]} 行重复", column)
                    )
                seen.setdefault(value, row.number)
        in_file = set(seen)
        for row in rows:
            parent = row.data["parent"]
            if parent and parent not in in_file and _known(parent) is None:
                errors.append(
                    RowError(
                        row.number,
                        f"“{parent}”不存在,请先在单位树中添加或在本表中列出",
                        "上级单位",
                    )
                )
        return errors

    def write(self, rows: list[ValidRow]) -> dict[str, int]:
        counts = {"created": 0, "updated": 0}
        pending = list(rows)
        # Parents first: keep passing over the rows until every parent exists.
        while pending:
            progressed = False
            for row in list(pending):
                d = dict(row.data)
                parent = _known(d["parent"]) if d["parent"] else None
                if d["parent"] and parent is None:
                    continue
                aliases = d.pop("aliases")
                d["parent"] = parent
                existing = Unit.objects.filter(name=d["name"]).first()
                try:
                    if existing:
                        unit_update(unit=existing, data=d, aliases=aliases, user=self.user)
                        counts["updated"] += 1
                    else:
                        unit_create(data=d, aliases=aliases, user=self.user)
                        counts["created"] += 1
                except ValidationError as exc:
                    raise row_failed(row.number, exc) from exc
                pending.remove(row)
                progressed = True
            if not progressed:
                raise ImportFailed(
                    [
                        RowError(r.number, "上级单位关系成环,无法确定层级", "上级单位")
                        for r in pending
                    ]
                )
        audit.record(
            action="import",
            object_type=Unit,
            message=f"导入单位:新增 {counts['created']} 个,更新 {counts['updated']} 个",
        )
        return counts

    def describe(self, counts: dict[str, int]) -> str:
        return f"新增 {counts['created']} 个单位,更新 {counts['updated']} 个单位"


def unit_import(*, upload, user=None) -> dict[str, int]:
    """Create or update units from a workbook, all or nothing."""
    require_actor(user)
    return UnitImporter(user=user).run(upload).counts
