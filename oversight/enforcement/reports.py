"""The training compliance workbook (screen export and `oversight training-report`)."""

from __future__ import annotations

from oversight.core.excel import workbook_bytes
from oversight.core.rules import rule_value

from .selectors import plan_filing, rotation_date, training_compliance


def training_workbook(*, user, year: int) -> bytes:
    units = training_compliance(user=user, year=year)
    due, filing = plan_filing(user=user, year=year)
    unit_rows = [
        [
            str(u.unit),
            u.officers,
            u.compliant,
            u.rate,
            u.average,
            u.rotated,
            u.rotation_rate,
            "是" if u.plan_filed else "否",
        ]
        for u in units
    ]
    officer_rows = [
        [str(u.unit), officer.name, officer.id_masked, h.public, h.business, h.counted, h.political,
         "是" if h.compliant() else "否", "是" if h.rotated else "否"]
        for u in units for officer, h in u.rows
    ]  # fmt: skip
    plan_rows = [
        [str(unit), plan.filed_at if plan else None, "已报送" if plan else "未报送"]
        for unit, plan in filing
    ]
    about = [
        ["年度", year],
        ["学时要求", f"每人不少于 {rule_value('enforcement.training_total_hours')} 学时,其中公共法律知识(区司法局组织)不少于 "
                 f"{rule_value('enforcement.training_public_hours')} 学时,业务知识和执法技能不少于 {rule_value('enforcement.training_business_hours')} 学时;政治理论不计入"],
        ["全员轮训", f"{rotation_date(year):%Y-%m-%d} 前参加过培训"],
        ["培训计划报送截止", f"{due:%Y-%m-%d}"],
    ]  # fmt: skip
    return workbook_bytes(
        [
            (
                "各单位",
                [
                    "单位",
                    "在岗人数",
                    "学时达标",
                    "达标率(%)",
                    "人均学时",
                    "已轮训",
                    "轮训率(%)",
                    "年度计划",
                ],
                unit_rows,
            ),
            (
                "人员学时",
                [
                    "单位",
                    "姓名",
                    "身份证号",
                    "公共法律知识",
                    "业务与技能",
                    "计入学时",
                    "政治理论",
                    "达标",
                    "已轮训",
                ],
                officer_rows,
            ),
            ("培训计划", ["单位", "报送时间", "情况"], plan_rows),
            ("说明", ["项目", "内容"], about),
        ]
    )
