"""The ledger (工作台账): one row per assignment, for Excel, the JSON command and the city platform.

Rows come from the stored lights (`Assignment.light`, `next_due_on`, …) with the report counts
and the latest report's status added in SQL, read in chunks: an export of a province's ledger
never holds more than a chunk of assignments in memory."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .lights import Light, StoredState
from .models import Assignment, Report

LEDGER_HEADERS = [
    "工作计划", "部分", "类别", "序号", "任务", "责任单位", "牵头", "状态", "亮灯",
    "完成时限", "下一截止事项", "下一截止日期", "逾期工作日", "报告数", "已通过报告", "最近报告状态", "签收时间", "办结时间",
]  # fmt: skip

_REPORT_STATUS = dict(Report.Status.choices)


def with_report_figures(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Add report_count, accepted_count and last_report_status (drafts not counted)."""
    sent = Report.objects.filter(assignment=OuterRef("pk")).exclude(status=Report.Status.DRAFT)

    def count(reports):
        return Coalesce(
            Subquery(reports.order_by().values("assignment").annotate(n=Count("pk")).values("n")),
            0,
        )

    latest = sent.order_by(Coalesce("submitted_at", "created_at").desc(), "-pk").values("status")
    return qs.annotate(
        report_count=count(sent),
        accepted_count=count(sent.filter(status=Report.Status.ACCEPTED)),
        last_report_status=Subquery(latest[:1]),
    )


def _rows(qs: QuerySet[Assignment]) -> Iterator[Assignment]:
    return with_report_figures(qs.select_related("task__plan", "unit")).iterator(chunk_size=2000)


def ledger_rows(qs: QuerySet[Assignment], today: datetime.date) -> Iterator[list[Any]]:
    for a in _rows(qs):
        state = StoredState(a, today)
        yield [
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
            a.next_due_label,
            a.next_due_on,
            state.overdue_workdays,
            a.report_count,
            a.accepted_count,
            _REPORT_STATUS.get(a.last_report_status, ""),
            a.signed_at,
            a.completed_at,
        ]


def ledger_json(qs: QuerySet[Assignment]) -> Iterator[dict[str, Any]]:
    for a in _rows(qs):
        yield {
            "plan": a.task.plan.title,
            "plan_id": a.task.plan_id,
            "task_number": a.task.number,
            "task_title": a.task.title,
            "unit": str(a.unit),
            "unit_full_name": a.unit.name,
            "lead": a.is_lead,
            "status": a.status,
            "status_label": a.get_status_display(),
            "light": Light(a.light).code,
            "next_due_date": a.next_due_on.isoformat() if a.next_due_on else None,
            "next_due": a.next_due_label or None,
            "last_report_status": a.last_report_status,
        }
