"""A round's results: figures per unit and per item, the 评查报告 in Word (GB/T 9704) and the Excel."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from oversight.core.documents import Block, OfficialDocument, chinese_date, issuer, render
from oversight.core.excel import workbook_bytes

from .models import FAIL, ReviewFile, ReviewRound

GRADES = ["优秀", "良好", "合格", FAIL]


@dataclass
class UnitResult:
    unit_id: int
    unit: str
    files: int = 0
    total: Decimal = Decimal(0)
    grades: Counter = field(default_factory=Counter)
    vetoes: int = 0
    rank: int = 0

    @property
    def average(self) -> Decimal | None:
        return (self.total / self.files).quantize(Decimal("0.1")) if self.files else None


@dataclass
class RoundFigures:
    files: list[ReviewFile]
    units: list[UnitResult]
    problems: list[tuple[str, int]]  # (item, files in which it was deducted), most frequent first
    excellent: list[ReviewFile]

    @property
    def average(self) -> Decimal | None:
        scored = [f.final_score for f in self.files if f.final_score is not None]
        return (sum(scored, Decimal(0)) / len(scored)).quantize(Decimal("0.1")) if scored else None

    def count(self, grade: str) -> int:
        return sum(1 for f in self.files if f.grade == grade)


def round_figures(review: ReviewRound) -> RoundFigures:
    files = list(
        review.files.select_related("case", "unit")
        .prefetch_related("sheets__deductions__item")
        .order_by("unit__sort_order", "pk")
    )
    units: dict[int, UnitResult] = {}
    problems: dict[str, set[int]] = defaultdict(set)
    for f in files:
        result = units.setdefault(f.unit_id, UnitResult(f.unit_id, f.unit.short_name))
        if f.final_score is not None:
            result.files += 1
            result.total += f.final_score
            result.grades[f.grade] += 1
            result.vetoes += f.vetoed
        for sheet in f.sheets.all():
            if sheet.submitted_at:
                for d in sheet.deductions.all():
                    if d.counts:
                        problems[d.item.text].add(f.pk)
    ranked = sorted(units.values(), key=lambda u: (-(u.average or 0), u.vetoes, u.unit))
    for n, u in enumerate(ranked, start=1):
        u.rank = n
    return RoundFigures(
        files=files,
        units=ranked,
        problems=sorted(((k, len(v)) for k, v in problems.items()), key=lambda p: (-p[1], p[0])),
        excellent=[f for f in files if f.grade == "优秀"],
    )


def report_blocks(review: ReviewRound, figures: RoundFigures) -> list[Block]:
    n = len(figures.files)
    blocks = [
        Block("h1", "一、基本情况"),
        Block(
            "p",
            f"{issuer()}对{len(figures.units)}个行政执法单位{chinese_date(review.closed_from)}至"
            f"{chinese_date(review.closed_to)}结案的行政执法案卷开展评查,"
            f"按随机种子抽取案卷{n}份,由其他单位执法人员、特邀行政执法监督员和司法局工作人员交叉评查。"
            f"平均得分{figures.average if figures.average is not None else '—'}分,其中优秀{figures.count('优秀')}份、"
            f"良好{figures.count('良好')}份、合格{figures.count('合格')}份、不合格{figures.count(FAIL)}份"
            f"(一票否决{sum(1 for f in figures.files if f.vetoed)}份)。",
        ),
        Block("h1", "二、各单位评查结果"),
        Block(
            "table",
            header=["排名", "单位", "案卷", "平均分", "优秀", "良好", "合格", "不合格"],
            rows=[
                [
                    u.rank,
                    u.unit,
                    u.files,
                    u.average if u.average is not None else "—",
                    *(u.grades[g] for g in GRADES),
                ]
                for u in figures.units
            ],
            widths_mm=[12, 44, 14, 18, 14, 14, 14, 16],
        ),
        Block("h1", "三、存在的主要问题"),
    ]
    if figures.problems:
        for n_, (item, count) in enumerate(figures.problems[:8], start=1):
            blocks.append(Block("p", f"{n_}.{item}:{count}份案卷存在问题。"))
    else:
        blocks.append(Block("p", "本次评查未发现扣分问题。"))
    blocks.append(Block("h1", "四、优秀案卷"))
    if figures.excellent:
        blocks.append(
            Block(
                "p",
                "、".join(
                    f"{f.unit.short_name}{f.case.number}({f.final_score}分)"
                    for f in figures.excellent[:10]
                )
                + "。",
            )
        )
    else:
        blocks.append(Block("p", "本次评查没有评为优秀的案卷。"))
    blocks += [
        Block("h1", "五、工作要求"),
        Block(
            "p",
            "各单位要对照评查发现的问题逐项整改,不合格案卷由承办单位重新审查,必要时依法自行纠正;"
            "整改情况于评查结果确定后30日内书面报送区司法局。",
        ),
    ]
    return blocks


def report_docx(review: ReviewRound) -> bytes:
    figures = round_figures(review)
    day = review.published_on or review.drawn_on or review.created_at.date()
    return render(
        OfficialDocument(
            issuer_mark=issuer(),
            doc_number=review.number or "(草稿)",
            title=f"关于{review.title}情况的通报",
            addressees="区直各行政执法部门,各街办(园区):",
            blocks=report_blocks(review, figures),
            signature=issuer(),
            date_text=chinese_date(day),
        )
    )


def report_xlsx(review: ReviewRound) -> bytes:
    figures = round_figures(review)
    files = (
        [f.unit.short_name, f.case.number, f.case.get_act_type_display(), f.final_score, f.grade,
         "是" if f.vetoed else "", f.decided_by, f.get_status_display()]
        for f in figures.files
    )  # fmt: skip
    units = (
        [u.rank, u.unit, u.files, u.average, *(u.grades[g] for g in GRADES)] for u in figures.units
    )
    return workbook_bytes(
        [
            (
                "案卷",
                ["单位", "案号", "执法类别", "得分", "等次", "一票否决", "评定方式", "状态"],
                files,
            ),
            ("单位", ["排名", "单位", "案卷", "平均分", *GRADES], units),
            ("问题", ["评查项目", "存在问题的案卷数"], ([k, v] for k, v in figures.problems)),
        ]
    )


def unit_review_scores(year: int) -> dict[int, tuple[Decimal, int]]:
    """Each unit's average score and number of 不合格 files in the year's published rounds (for
    the evaluations)."""
    result: dict[int, list] = defaultdict(lambda: [Decimal(0), 0, 0])
    files = ReviewFile.objects.filter(
        round__year=year, round__status=ReviewRound.Status.PUBLISHED, final_score__isnull=False
    )
    for unit_id, score, grade in files.values_list("unit_id", "final_score", "grade"):
        entry = result[unit_id]
        entry[0] += score
        entry[1] += 1
        entry[2] += grade == FAIL
    return {k: ((v[0] / v[1]).quantize(Decimal("0.1")), v[2]) for k, v in result.items()}
