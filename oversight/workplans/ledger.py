"""The ledger (工作台账): one row per assignment, for Excel, the JSON command and the city platform."""

from __future__ import annotations

import datetime
from typing import Any

from .lights import AssignmentState
from .models import Report

LEDGER_HEADERS = [
    "工作计划", "部分", "类别", "序号", "任务", "责任单位", "牵头", "状态", "亮灯",
    "完成时限", "下一截止事项", "下一截止日期", "逾期工作日", "报告数", "已通过报告", "最近报告状态", "签收时间", "办结时间",
]  # fmt: skip


def _last_report(state: AssignmentState) -> Report | None:
    reports = [r for r in state.assignment.reports.all() if r.status != Report.Status.DRAFT]
    return max(reports, key=lambda r: r.submitted_at or r.created_at, default=None)


def ledger_rows(states: list[AssignmentState], today: datetime.date) -> list[list[Any]]:
    rows = []
    for state in states:
        a = state.assignment
        last = _last_report(state)
        reports = [r for r in a.reports.all() if r.status != Report.Status.DRAFT]
        rows.append(
            [
                a.task.plan.title,
                a.task.part,
                a.task.section,
                a.task.number,
                a.task.title,
                str(a.unit),
                a.is_lead,
                a.get_status_display(),
                state.light.label,
                "长期坚持" if a.task.is_standing else a.due_date,
                state.next.label if state.next else "",
                state.next.due if state.next else None,
                state.overdue_workdays,
                len(reports),
                sum(1 for r in reports if r.status == Report.Status.ACCEPTED),
                last.get_status_display() if last else "",
                a.signed_at,
                a.completed_at,
            ]
        )
    return rows


def ledger_json(state: AssignmentState) -> dict[str, Any]:
    a = state.assignment
    last = _last_report(state)
    return {
        "plan": a.task.plan.title,
        "plan_id": a.task.plan_id,
        "task_number": a.task.number,
        "task_title": a.task.title,
        "unit": str(a.unit),
        "unit_full_name": a.unit.name,
        "lead": a.is_lead,
        "status": a.status,
        "status_label": a.get_status_display(),
        "light": state.light.code,
        "next_due_date": state.next.due.isoformat() if state.next else None,
        "next_due": state.next.label if state.next else None,
        "last_report_status": last.status if last else None,
    }
