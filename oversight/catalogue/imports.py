"""A unit's catalogue from Excel, in the common provincial layout (事项编码, 事项名称, 事项类别,
设定依据, 实施主体, 行使层级, …): each row becomes an adjustment (新增, or 变更 of an item already in
force) for the bureau to review; all rows or none."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.context import require_actor
from oversight.core.importer import (
    CellDateField,
    CellTextField,
    ImportColumn,
    Importer,
    LabelChoiceField,
    RowForm,
    ValidRow,
    row_failed,
)
from oversight.organisations.models import Unit
from oversight.organisations.selectors import resolve_name

from . import services
from .models import CatalogItem, ItemClass


class CatalogRow(RowForm):
    unit = CellTextField(label="实施单位")
    code = CellTextField(label="事项编码", max_length=60)
    name = CellTextField(label="事项名称", max_length=200)
    item_class = LabelChoiceField(label="事项类别", choices=ItemClass.choices)
    legal_basis = CellTextField(label="设定依据")
    basis_url = CellTextField(label="依据链接", required=False, max_length=200)
    subject = CellTextField(label="实施主体", max_length=200)
    benchmark = CellTextField(label="裁量基准", required=False, max_length=300)
    level = CellTextField(label="行使层级", required=False, max_length=50)
    effective_on = CellDateField(label="生效日期")
    document = CellTextField(label="依据文件", max_length=300)

    def clean_unit(self) -> Unit:
        name = self.cleaned_data["unit"]
        unit = resolve_name(name)
        if not isinstance(unit, Unit):
            raise ValidationError(f"“{name}”不在单位库中")
        user = self.importer.user
        if (
            user is not None
            and "supervisor" not in user.role_codes
            and unit.pk not in user.scope_unit_ids
        ):
            raise ValidationError(f"只能导入本单位的事项,“{name}”不是")
        return unit


class CatalogImporter(Importer):
    title = "行政执法事项清单"
    capability = "catalogue.propose"
    help = (
        "每行一个事项,按省通用格式。清单中还没有的事项登记为“新增”,已有的登记为“变更”;"
        "全部提交区司法局审核,审核通过后在生效日期起生效。"
    )
    row_form = CatalogRow
    columns = (
        ImportColumn("实施单位", "unit", required=True, example="区市场监管局"),
        ImportColumn("事项编码", "code", required=True, example="330217001000"),
        ImportColumn("事项名称", "name", required=True, example="对销售过期食品的行政处罚"),
        ImportColumn("事项类别", "item_class", required=True, example="行政处罚"),
        ImportColumn("设定依据", "legal_basis", required=True, example="《中华人民共和国食品安全法》第一百二十四条"),
        ImportColumn("依据链接", "basis_url", example="https://flk.npc.gov.cn/"),
        ImportColumn("实施主体", "subject", required=True, example="黄石市下陆区市场监督管理局"),
        ImportColumn("裁量基准", "benchmark", example="市场监管行政处罚裁量基准第12项"),
        ImportColumn("行使层级", "level", example="区级"),
        ImportColumn("生效日期", "effective_on", required=True, example="2026-01-01"),
        ImportColumn("依据文件", "document", required=True, example="下政办发〔2025〕12号"),
    )  # fmt: skip
    unique = (("unit", "code"),)

    def write(self, rows: list[ValidRow]) -> dict[str, int]:
        counts = {"add": 0, "change": 0}
        for row in rows:
            data: dict[str, Any] = dict(row.data)
            unit, code = data.pop("unit"), data.pop("code")
            kind = "change" if CatalogItem.objects.filter(unit=unit, code=code).exists() else "add"
            try:
                services.adjustment_propose(
                    unit=unit, kind=kind, code=code, data=data, reason="按清单表格批量调整",
                    document=data.pop("document"), effective_on=data.pop("effective_on"), user=self.user,
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                raise row_failed(row.number, exc) from exc
            counts[kind] += 1
        return counts

    def describe(self, counts: dict[str, int]) -> str:
        return f"提出新增 {counts['add']} 项、变更 {counts['change']} 项(待区司法局审核)"


def catalogue_import(*, upload, user=None) -> dict[str, int]:
    require_actor(user)
    return CatalogImporter(user=user).run(upload).counts
