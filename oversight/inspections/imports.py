"""Excel import of the inspection-target list (检查对象名录) with risk tiers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.core.identifiers import credit_code_error
from oversight.core.importer import (
    CellTextField,
    ImportColumn,
    Importer,
    LabelChoiceField,
    RowForm,
    ValidRow,
)

from .models import Enterprise


# -- the inspection-target list (检查对象名录) ------------------------------------------------------
class CreditCodeField(CellTextField):
    def to_python(self, value: Any) -> str:
        code = super().to_python(value).upper()
        if code:
            error = credit_code_error(code)
            if error:
                raise ValidationError(error.rstrip("。"))
        return code


class EnterpriseRow(RowForm):
    name = CellTextField(label="企业名称", max_length=200)
    credit_code = CreditCodeField(label="统一社会信用代码")
    risk = LabelChoiceField(
        label="风险等级",
        choices=Enterprise.Risk.choices,
        aliases={"高": "high", "中": "medium", "低": "low"},
    )
    industry = CellTextField(label="行业", required=False, max_length=100)
    address = CellTextField(label="地址", required=False, max_length=200)


class EnterpriseImporter(Importer):
    title = "检查对象名录"
    capability = "cases.record"
    help = "按统一社会信用代码匹配:新代码新增,已登记的更新名称、风险等级、行业和地址。"
    row_form = EnterpriseRow
    columns = (
        ImportColumn("企业名称", "name", required=True, example="黄石某某商贸有限公司"),
        ImportColumn(
            "统一社会信用代码", "credit_code", required=True, example="91350100M000100Y43"
        ),
        ImportColumn("风险等级", "risk", required=True, example="中"),
        ImportColumn("行业", "industry", example="批发零售"),
        ImportColumn("地址", "address", example="下陆区某路1号"),
    )
    unique = (("credit_code",),)

    def write(self, rows: list[ValidRow]) -> dict[str, int]:
        known = {
            e.credit_code: e
            for e in Enterprise.objects.filter(
                credit_code__in=[r.data["credit_code"] for r in rows]
            )
        }
        added, updated = [], []
        for row in rows:
            existing = known.get(row.data["credit_code"])
            if existing is None:
                added.append(Enterprise(**row.data))
            else:
                for key, value in row.data.items():
                    setattr(existing, key, value)
                updated.append(existing)
        Enterprise.objects.bulk_create(added, batch_size=1000)
        Enterprise.objects.bulk_update(
            updated, ["name", "risk", "industry", "address"], batch_size=1000
        )
        audit.record(
            action="import",
            object_type=Enterprise,
            message=f"导入检查对象名录:新增 {len(added)} 家,更新 {len(updated)} 家",
        )
        return {"added": len(added), "updated": len(updated)}

    def describe(self, counts: dict[str, int]) -> str:
        return f"新增 {counts['added']} 家,更新 {counts['updated']} 家"


def enterprise_import(*, upload, user=None) -> tuple[int, int]:
    """The inspection-target list with risk tiers: returns (added, updated)."""
    require_actor(user)
    counts = EnterpriseImporter(user=user).run(upload).counts
    return counts["added"], counts["updated"]
