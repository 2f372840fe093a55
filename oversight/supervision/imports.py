"""The 12345 hotline's monthly push of enforcement complaints, imported as clues (one per ticket)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.context import require_actor
from oversight.core.identifiers import credit_code_error
from oversight.core.importer import (
    CellDateField,
    CellTextField,
    ImportColumn,
    Importer,
    RowForm,
    ValidRow,
    YesNoField,
    row_failed,
)
from oversight.core.validation import validate_phone
from oversight.organisations.models import Unit
from oversight.organisations.selectors import resolve_name

from . import services
from .models import Clue


class HotlineRow(RowForm):
    ticket = CellTextField(label="工单编号", max_length=60)
    received_on = CellDateField(label="来电日期")
    complainant_name = CellTextField(label="诉求人", required=False, max_length=50)
    contact = CellTextField(
        label="联系电话", required=False, max_length=40, validators=[validate_phone]
    )
    anonymous = YesNoField(label="匿名", default=False)
    unit = CellTextField(label="被反映单位", required=False)
    party_name = CellTextField(label="被反映企业或个人", required=False, max_length=200)
    party_credit_code = CellTextField(label="统一社会信用代码", required=False)
    matter = CellTextField(label="诉求内容")

    def clean_ticket(self) -> str:
        ticket = self.cleaned_data["ticket"]
        if Clue.objects.filter(source=Clue.Source.HOTLINE, external_ref=ticket).exists():
            raise ValidationError(f"工单 {ticket} 已登记")
        return ticket

    def clean_unit(self) -> Unit | None:
        name = self.cleaned_data["unit"]
        if not name:
            return None  # settled when the clue is judged
        unit = resolve_name(name)
        if not isinstance(unit, Unit):
            raise ValidationError(f"“{name}”不在单位库中,可留空,研判时再确定")
        return unit

    def clean_party_credit_code(self) -> str:
        code = self.cleaned_data["party_credit_code"].upper()
        if code and credit_code_error(code):
            raise ValidationError(credit_code_error(code).rstrip("。"))
        return code


class HotlineImporter(Importer):
    title = "12345热线工单"
    capability = "supervision.manage"
    help = (
        "12345 热线按月推送的涉及行政执法的工单,每行一件,登记为问题线索(来源:12345热线),"
        "进入研判。工单编号已登记的不再重复登记。"
    )
    row_form = HotlineRow
    columns = (
        ImportColumn("工单编号", "ticket", required=True, example="GD202609210001"),
        ImportColumn("来电日期", "received_on", required=True, example="2026-09-21"),
        ImportColumn("诉求人", "complainant_name", example="张先生"),
        ImportColumn("联系电话", "contact", example="13900000000", masked=True),
        ImportColumn("匿名", "anonymous", example="否"),
        ImportColumn("被反映单位", "unit", example="区市场监管局"),
        ImportColumn("被反映企业或个人", "party_name", example="黄石某某商贸有限公司"),
        ImportColumn("统一社会信用代码", "party_credit_code", example=""),
        ImportColumn("诉求内容", "matter", required=True, example="执法人员检查时未出示执法证件。"),
    )
    unique = (("ticket",),)

    def write(self, rows: list[ValidRow]) -> dict[str, int]:
        for row in rows:
            data: dict[str, Any] = dict(row.data)
            data["external_ref"] = data.pop("ticket")
            data["source"] = Clue.Source.HOTLINE
            try:
                services.clue_register(data=data, user=self.user)
            except (ValidationError, PermissionDenied) as exc:
                raise row_failed(row.number, exc) from exc
        return {"clues": len(rows)}

    def describe(self, counts: dict[str, int]) -> str:
        return f"登记问题线索 {counts['clues']} 件(待研判)"


def hotline_import(*, upload, user=None) -> int:
    """Register the hotline's tickets as clues, all or nothing; returns how many."""
    require_actor(user)
    return HotlineImporter(user=user).run(upload).counts["clues"]
