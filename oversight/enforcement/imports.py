"""Excel imports of officers with their certificates, and of training attendance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oversight.core import audit, crypto
from oversight.core.context import require_actor
from oversight.core.identifiers import id_number_error
from oversight.core.importer import (
    CellDateField,
    CellTextField,
    ImportColumn,
    Importer,
    LabelChoiceField,
    RowForm,
    ValidRow,
    YesNoField,
    row_failed,
)
from oversight.core.roles import Role
from oversight.core.validation import validate_mobile
from oversight.organisations.models import Unit
from oversight.organisations.selectors import resolve_name

from . import services
from .models import Attendance, Certificate, Course, EnforcementSubject, Officer


def _id_number(value: str) -> str:
    value = value.strip().upper()
    error = id_number_error(value)
    if error:
        raise ValidationError(error.rstrip("。"))
    return value


# -- officers and certificates -----------------------------------------------------------------
class OfficerRow(RowForm):
    name = CellTextField(label="姓名", max_length=50)
    id_number = CellTextField(label="身份证号")
    unit = CellTextField(label="所在单位")
    subject = CellTextField(label="执法主体", required=False)
    post = CellTextField(label="职务", required=False, max_length=100)
    phone = CellTextField(
        label="手机号", required=False, max_length=30, validators=[validate_mobile]
    )
    employment = LabelChoiceField(
        label="编制类型", choices=Officer.Employment.choices, default="formal", required=False
    )
    legal_qualification = YesNoField(label="法律职业资格")
    status = LabelChoiceField(
        label="状态", choices=Officer.Status.choices, default="active", required=False
    )
    cert_number = CellTextField(label="证号", required=False, max_length=50)
    cert_kind = LabelChoiceField(
        label="证件种类",
        choices=Certificate.Kind.choices,
        aliases={"执法证": "enforcement", "执法监督证": "supervision"},
        default="enforcement",
        required=False,
    )
    areas = CellTextField(label="执法领域", required=False)
    issuing_authority = CellTextField(label="发证机关", required=False)
    issue_date = CellDateField(label="发证日期", required=False)
    expiry_date = CellDateField(label="有效期至", required=False)

    def clean_id_number(self) -> str:
        return _id_number(self.cleaned_data["id_number"])

    def clean_unit(self) -> Unit:
        name = self.cleaned_data["unit"]
        unit = resolve_name(name)
        if not isinstance(unit, Unit):
            raise ValidationError(f"“{name}”不在单位库中")
        user = self.importer.user
        if (
            user is not None
            and Role.SUPERVISOR not in user.role_codes
            and unit.pk not in user.scope_unit_ids
        ):
            raise ValidationError(f"只能导入本单位的人员,“{name}”不是您的单位")
        return unit

    def clean_subject(self) -> EnforcementSubject | None:
        name = self.cleaned_data["subject"]
        if not name:
            return None
        subject = EnforcementSubject.objects.filter(name=name).first()
        if subject is None:
            raise ValidationError(f"执法主体“{name}”未登记")
        return subject

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("cert_number"):
            return data
        for name in ("areas", "issuing_authority", "issue_date", "expiry_date"):
            if name not in self.errors and not data.get(name):
                self.add_error(name, f"{self.fields[name].label}不能为空(填写了证号)")
        issued, expires = data.get("issue_date"), data.get("expiry_date")
        if issued and expires and issued > expires:
            self.add_error("expiry_date", "有效期至不能早于发证日期")
        if issued and issued > timezone.localdate():
            self.add_error("issue_date", f"发证日期 {issued:%Y-%m-%d} 晚于今天,请核对")
        existing = Certificate.objects.filter(number=data["cert_number"]).first()
        id_number = data.get("id_number")
        if existing and (not id_number or existing.officer.id_hash != crypto.keyed_hash(id_number)):
            self.add_error("cert_number", f"证号 {data['cert_number']} 已登记给其他人员")
        return data


class OfficerImporter(Importer):
    title = "执法人员"
    capability = "enforcement.manage_units"
    help = (
        "按身份证号匹配:已登记的人员更新,没有的新增;有证号的同时登记证件。"
        "单位填报员只能导入本单位人员。"
    )
    row_form = OfficerRow
    columns = (
        ImportColumn("姓名", "name", required=True, example="张三"),
        ImportColumn(
            "身份证号", "id_number", required=True, example="11010519491231002X", masked=True
        ),
        ImportColumn("所在单位", "unit", required=True, example="区市场监管局"),
        ImportColumn("执法主体", "subject"),
        ImportColumn("职务", "post", example="执法队员"),
        ImportColumn("手机号", "phone", example="13800000000"),
        ImportColumn("编制类型", "employment", example="在编"),
        ImportColumn("法律职业资格", "legal_qualification", example="否"),
        ImportColumn("状态", "status", example="在岗"),
        ImportColumn("证号", "cert_number", example="42020024000001"),
        ImportColumn("证件种类", "cert_kind", example="行政执法证"),
        ImportColumn("执法领域", "areas", example="市场监管"),
        ImportColumn("发证机关", "issuing_authority", example="黄石市人民政府"),
        ImportColumn("发证日期", "issue_date", example="2024-03-01"),
        ImportColumn("有效期至", "expiry_date", example="2029-02-28"),
    )
    unique = (("id_number",), ("cert_number",))

    def write(self, rows: list[ValidRow]) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "certificates": 0}
        for row in rows:
            d = row.data
            data = {
                key: d[key]
                for key in (
                    "unit", "subject", "name", "post", "phone", "employment",
                    "legal_qualification", "status",
                )
            }  # fmt: skip
            try:
                officer = Officer.objects.filter(id_hash=crypto.keyed_hash(d["id_number"])).first()
                if officer:
                    officer = services.officer_update(officer=officer, data=data, user=self.user)
                    counts["updated"] += 1
                else:
                    officer = services.officer_create(
                        data=data, id_number=d["id_number"], user=self.user
                    )
                    counts["created"] += 1
                number = d["cert_number"]
                if number and not Certificate.objects.filter(number=number).exists():
                    services.certificate_issue(
                        officer=officer,
                        data={
                            "number": number,
                            "kind": d["cert_kind"],
                            "areas": d["areas"],
                            "issuing_authority": d["issuing_authority"],
                            "issue_date": d["issue_date"],
                            "expiry_date": d["expiry_date"],
                        },
                        user=self.user,
                    )
                    counts["certificates"] += 1
            except (ValidationError, PermissionDenied) as exc:
                raise row_failed(row.number, exc) from exc
        audit.record(
            action="import",
            object_type=Officer,
            message=f"导入执法人员:新增 {counts['created']} 人,更新 {counts['updated']} 人,"
            f"证件 {counts['certificates']} 个",
        )
        return counts

    def describe(self, counts: dict[str, int]) -> str:
        return (
            f"新增 {counts['created']} 人,更新 {counts['updated']} 人,"
            f"登记证件 {counts['certificates']} 个"
        )


def officer_import(*, upload, user=None) -> dict[str, int]:
    """Create or update officers (by ID number) and their certificates, all or nothing."""
    require_actor(user)
    return OfficerImporter(user=user).run(upload).counts


# -- training attendance ----------------------------------------------------------------------
class AttendanceRow(RowForm):
    course = CellTextField(label="课程")
    start_date = CellDateField(label="开始日期")
    id_number = CellTextField(label="身份证号")
    name = CellTextField(label="姓名", required=False)
    hours = forms.DecimalField(label="学时", required=False, max_digits=6, decimal_places=1)

    def clean_id_number(self) -> Officer:
        value = _id_number(self.cleaned_data["id_number"])
        officer = Officer.objects.filter(id_hash=crypto.keyed_hash(value)).first()
        if officer is None:
            raise ValidationError("该身份证号的人员未登记")
        user = self.importer.user
        if (
            user is not None
            and not Officer.objects.restrict(user, "change").filter(pk=officer.pk).exists()
        ):
            raise ValidationError("只能登记本单位人员的参训记录")
        return officer

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, title = data.get("start_date"), data.get("course")
        if not (start and title):
            return data
        course = Course.objects.filter(title=title, start_date=start).first()
        if course is None:
            self.add_error("course", f"找不到 {start} 开始的课程“{title}”,请先登记课程")
            return data
        data["course"] = course
        hours = data.get("hours")
        if hours is not None and not 0 < hours <= course.hours:
            self.add_error("hours", f"学时应在 0 到 {course.hours} 之间")
        return data


class AttendanceImporter(Importer):
    title = "参训记录"
    capability = "enforcement.manage_units"
    help = "每行一人一门课程:课程名称和开始日期对应已登记的课程,身份证号对应已登记的执法人员。学时不填时按课程学时计。"
    row_form = AttendanceRow
    columns = (
        ImportColumn("课程", "course", required=True, example="2024年度公共法律知识培训(第一期)"),
        ImportColumn("开始日期", "start_date", required=True, example="2024-05-10"),
        ImportColumn(
            "身份证号", "id_number", required=True, example="11010519491231002X", masked=True
        ),
        ImportColumn("姓名", "name", example="张三"),
        ImportColumn("学时", "hours", example=8),
    )
    unique = (("course", "id_number"),)

    def write(self, rows: list[ValidRow]) -> dict[str, int]:
        added = 0
        for row in rows:
            course, officer = row.data["course"], row.data["id_number"]
            hours = row.data["hours"] or course.hours
            _, created = Attendance.objects.update_or_create(
                course=course, officer=officer, defaults={"hours": Decimal(hours)}
            )
            added += created
        audit.record(
            action="import",
            object_type=Attendance,
            message=f"导入参训记录 {len(rows)} 条(新增 {added})",
        )
        return {"rows": len(rows), "added": added}

    def describe(self, counts: dict[str, int]) -> str:
        return f"登记参训记录 {counts['rows']} 条(其中新增 {counts['added']} 条)"


def attendance_import(*, upload, user=None) -> int:
    """Attendance from Excel: each row a course (title and start date) and an officer."""
    require_actor(user)
    return AttendanceImporter(user=user).run(upload).counts["rows"]
