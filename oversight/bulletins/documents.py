"""Bulletins and evaluations as Word (GB/T 9704 layout) and Excel (the ledger behind each figure)."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone

from oversight.core.documents import Block, OfficialDocument, chinese_date, issuer, render
from oversight.core.excel import workbook_bytes

from .figures import Figures
from .models import Bulletin, EvaluationScheme


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def _date(text: str) -> str:
    return chinese_date(datetime.date.fromisoformat(text))


def bulletin_blocks(bulletin: Bulletin, figures: Figures) -> list[Block]:
    blocks = [Block("p", bulletin.intro)] if bulletin.intro else []
    blocks.append(Block("h1", "一、总体情况"))
    blocks.append(
        Block(
            "p",
            f"截至{_date(figures.date_to)},《{figures.plan_title}》共分解任务分工 {figures.assignments} 项,"
            f"其中有完成时限的 {figures.dated} 项,已办结 {figures.completed} 项(办结率 {_rate(figures.completion_rate)}),"
            f"按时办结 {figures.completed_on_time} 项。统计期内({_date(figures.date_from)}至{_date(figures.date_to)})"
            f"应报送事项 {figures.due_in_period} 项,按时 {figures.on_time_in_period} 项(按时率 {_rate(figures.on_time_rate)}),"
            f"逾期或未报 {figures.late_in_period} 项,报告被退回 {figures.returned_in_period} 次。"
            f"目前亮红灯 {figures.red} 项、黄灯 {figures.yellow} 项、绿灯 {figures.green} 项。",
        )
    )
    blocks.append(Block("h1", "二、各单位落实情况"))
    blocks.append(
        Block(
            "table",
            header=["排名", "单位", "任务分工", "已办结", "应报送", "按时率", "逾期事项", "退回"],
            rows=[
                [
                    u.rank,
                    u.unit,
                    u.assignments,
                    u.completed,
                    u.due_in_period,
                    _rate(u.on_time_rate),
                    u.overdue,
                    u.returned_in_period,
                ]
                for u in figures.units
            ],
            widths_mm=[12, 40, 18, 16, 16, 18, 18, 14],
        )
    )
    blocks.append(
        Block("p", "排名依据:逾期事项少者在前;相同时按报送按时率、报告退回次数、办结率依次排列。")
    )
    blocks.append(Block("h1", "三、存在的问题"))
    laggards = figures.laggards
    if not laggards:
        blocks.append(Block("p", "统计期内各单位均按时报送、无逾期事项。"))
    for unit in laggards:
        owed = ";".join(
            f"{i['task_number']}“{i['task_title']}”{i['label']}(应于{_date(i['due'])}完成,已逾期{i['overdue_workdays']}个工作日)"
            for i in unit.overdue_items[:6]
        )
        more = f"等 {unit.overdue} 项" if unit.overdue > 6 else ""
        text = f"{unit.unit}:"
        if unit.overdue:
            text += f"逾期未完成 {unit.overdue} 项,{owed}{more}"
        if unit.late_in_period:
            text += f"{';' if unit.overdue else ''}统计期内逾期或未报送 {unit.late_in_period} 项"
        blocks.append(Block("p", text + "。"))
    numbers = iter("四五六七")
    if figures.supervision:
        blocks.append(Block("h1", f"{next(numbers)}、行政执法监督情况"))
        rows = figures.supervision
        blocks.append(
            Block(
                "p",
                f"统计期内,转交各单位核查的问题线索 {sum(r['clues'] for r in rows)} 件,"
                f"经审核属实或部分属实 {sum(r['substantiated'] for r in rows)} 件;"
                f"发出需回复的监督文书 {sum(r['documents'] for r in rows)} 份,逾期回复或未回复 "
                f"{sum(r['late_replies'] for r in rows)} 份,整改未通过 {sum(r['failed'] for r in rows)} 份;"
                f"约谈、通报、移送 {sum(r['sanctions'] for r in rows)} 次。",
            )
        )
        blocks.append(
            Block(
                "table",
                header=[
                    "单位",
                    "转办线索",
                    "属实",
                    "监督文书",
                    "逾期回复",
                    "整改未通过",
                    "约谈通报移送",
                ],
                rows=[
                    [
                        r["unit"],
                        r["clues"],
                        r["substantiated"],
                        r["documents"],
                        r["late_replies"],
                        r["failed"],
                        r["sanctions"],
                    ]
                    for r in rows
                ],
                widths_mm=[40, 20, 16, 20, 20, 22, 22],
            )
        )
    if bulletin.highlights:
        blocks.append(Block("h1", f"{next(numbers)}、经验做法"))
        blocks += [Block("p", line) for line in bulletin.highlights.splitlines() if line.strip()]
    if bulletin.requirements:
        blocks.append(Block("h1", f"{next(numbers)}、下步要求"))
        blocks += [Block("p", line) for line in bulletin.requirements.splitlines() if line.strip()]
    return blocks


def bulletin_docx(bulletin: Bulletin, figures: Figures) -> bytes:
    day = (
        timezone.localdate(bulletin.published_at) if bulletin.published_at else timezone.localdate()
    )
    return render(
        OfficialDocument(
            issuer_mark=issuer(),
            doc_number=bulletin.number or "(草稿)",
            title=bulletin.title,
            addressees="各街办(园区),区直各部门:",
            blocks=bulletin_blocks(bulletin, figures),
            signature=issuer(),
            date_text=chinese_date(day),
        )
    )


def bulletin_xlsx(
    bulletin: Bulletin, figures: Figures, *, only_units: set[int] | None = None
) -> bytes:
    """The bulletin's ledger. `only_units` (a unit user's scope) keeps the task-level sheets to
    those units, as the user's own ledger shows them; the unit ranking is the bulletin's own."""
    if only_units is not None:
        names = {u.unit for u in figures.units if u.unit_id in only_units}
        figures = dataclasses.replace(figures, items=[i for i in figures.items if i.unit in names])
    units = [
        [
            u.rank,
            u.unit,
            u.assignments,
            u.dated,
            u.completed,
            u.completed_on_time,
            u.due_in_period,
            u.on_time_in_period,
            u.late_in_period,
            u.on_time_rate,
            u.overdue,
            u.returned_in_period,
            u.red,
            u.yellow,
            u.green,
        ]
        for u in figures.units
    ]
    overdue = [
        [i.unit, i.task_number, i.task_title, i.label, i.due, i.overdue_workdays]
        for i in figures.items
        if i.state == "逾期未完成"
    ]
    items = [
        [
            i.unit,
            i.task_number,
            i.task_title,
            i.label,
            i.due,
            i.state,
            i.done_on,
            i.overdue_workdays,
        ]
        for i in figures.items
    ]
    about = [
        ["通报", bulletin.title],
        ["文号", bulletin.number or "(草稿)"],
        ["工作计划", figures.plan_title],
        ["统计期", f"{figures.date_from} 至 {figures.date_to}"],
        ["数据截至", figures.as_of],
        ["排名依据", "逾期事项少者在前;相同时按报送按时率、报告退回次数、办结率依次排列"],
    ]
    return workbook_bytes(
        [
            (
                "各单位情况",
                [
                    "排名",
                    "单位",
                    "任务分工",
                    "有时限任务",
                    "已办结",
                    "按时办结",
                    "应报送",
                    "按时报送",
                    "逾期或未报",
                    "按时率(%)",
                    "逾期事项",
                    "退回次数",
                    "红灯",
                    "黄灯",
                    "绿灯",
                ],
                units,
            ),
            ("逾期事项", ["单位", "序号", "任务", "事项", "截止日期", "逾期工作日"], overdue),
            (
                "报送明细",
                ["单位", "序号", "任务", "事项", "截止日期", "情况", "完成日期", "逾期工作日"],
                items,
            ),
            ("说明", ["项目", "内容"], about),
        ]
    )


def evaluation_docx(scheme: EvaluationScheme) -> bytes:
    results = list(scheme.results.select_related("unit").order_by("rank"))
    blocks = [
        Block(
            "p",
            f"按照《{scheme.plan.title}》要求,区司法局以{chinese_date(scheme.as_of)}为截止日,对各单位任务落实情况进行了{scheme.get_kind_display()},现将结果通报如下。",
        ),
        Block("h1", "一、评分办法"),
        Block(
            "p",
            f"每项任务分工基础分 100 分:逾期每个工作日扣 {scheme.points_per_overdue_workday} 分,长期任务每期应报未报扣 "
            f"{scheme.points_per_missed_period} 分,报告每被退回一次扣 {scheme.points_per_returned_report} 分;按任务权重加权平均,"
            f"另有加分事项不超过 {scheme.max_bonus} 分。",
        ),
        Block("h1", "二、评估结果"),
        Block(
            "table",
            header=["排名", "单位", "系统评分", "调整", "加分", "最终得分", "等次"],
            rows=[
                [r.rank, str(r.unit), r.auto_score, r.adjustment, r.bonus, r.final_score, r.grade]
                for r in results
            ],
            widths_mm=[12, 44, 20, 16, 16, 22, 16],
        ),
    ]
    adjusted = [r for r in results if r.adjustment or r.bonus]
    if adjusted:
        blocks.append(Block("h1", "三、调整与加分说明"))
        blocks += [
            Block(
                "p",
                f"{r.unit}:{'调整 ' + str(r.adjustment) + ' 分,' + r.adjustment_reason if r.adjustment else ''}{';' if r.adjustment and r.bonus else ''}{'加 ' + str(r.bonus) + ' 分,' + r.bonus_reason if r.bonus else ''}。",
            )
            for r in adjusted
        ]
    day = timezone.localdate(scheme.published_at) if scheme.published_at else timezone.localdate()
    return render(
        OfficialDocument(
            issuer_mark=issuer(),
            doc_number=scheme.number or "(草稿)",
            title=f"关于{scheme.title}结果的通报",
            addressees="各街办(园区),区直各部门:",
            blocks=blocks,
            signature=issuer(),
            date_text=chinese_date(day),
        )
    )


def evaluation_xlsx(scheme: EvaluationScheme, results) -> bytes:
    """The results the user may see (the page's own queryset): a unit sees only its own row,
    with its own reasons, objection and settlement."""
    results = list(results)
    rows = [
        [
            r.rank,
            str(r.unit),
            r.auto_score,
            r.adjustment,
            r.adjustment_reason,
            r.bonus,
            r.bonus_reason,
            r.final_score,
            r.grade,
            r.objection,
            r.settlement,
        ]
        for r in results
    ]
    detail = [
        [str(r.unit), item["task"], item["weight"], item["score"], ";".join(item["notes"])]
        for r in results
        for item in r.detail
    ]
    return workbook_bytes(
        [
            (
                "评估结果",
                [
                    "排名",
                    "单位",
                    "系统评分",
                    "调整分",
                    "调整理由",
                    "加分",
                    "加分事项",
                    "最终得分",
                    "等次",
                    "异议",
                    "异议处理",
                ],
                rows,
            ),
            ("评分明细", ["单位", "任务", "权重", "得分", "扣分说明"], detail),
        ]
    )
