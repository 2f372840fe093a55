"""A demo review round (all marked 演示): two closed files from each of two departments, drawn,
assigned across units, scored into every grade with one veto, and published; one unit may still
object. Dates are relative to today."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from oversight.accounts.models import User
from oversight.cases import services as cases
from oversight.cases.models import Case
from oversight.organisations.models import Unit

from . import services
from .models import ReviewRound, ReviewScheme

UNITS = ["区市场监管局", "区城管执法局"]
# A one-page PDF standing for the scanned file (the demo has no real case files).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
    b"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>> endobj\n"
    b"4 0 obj <</Length 52>> stream\nBT /F1 24 Tf 72 760 Td (DEMO CASE FILE - SCAN) Tj ET\nendstream endobj\n"
    b"5 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
# Per file in draw order: (deductions as (item text, points, reason), veto item text or "").
SCORES = [
    ([("案卷材料齐全,装订规范,按时归档", 3, "卷内目录与材料页码不一致(演示)")], ""),
    ([("证据确凿、充分,取证程序合法", 10, "现场检查笔录无当事人签名(演示)"), ("案卷材料齐全,装订规范,按时归档", 5, "未按时归档(演示)")], ""),
    ([("证据确凿、充分,取证程序合法", 15, "关键证据缺失(演示)"), ("裁量适当,符合裁量基准,过罚相当", 10, "未说明裁量理由(演示)"), ("违法事实清楚,当事人认定准确", 8, "违法时间表述不一(演示)")], ""),
    ([("违法事实清楚,当事人认定准确", 10, "违法事实认定依据不足(演示)")], "违法事实不清、证据不足"),
]  # fmt: skip


def _close_some(unit: Unit, today: datetime.date, n: int = 2) -> None:
    """Units close their served cases ten days after service (the demo cases are left open)."""
    served = Case.objects.filter(
        unit=unit, is_demo=True, served_on__isnull=False, closed_on__isnull=True
    )
    for case in served.order_by("pk")[:n]:
        day = min(case.served_on + datetime.timedelta(days=10), today)
        cases.case_save(case=case, data={"executed_on": day, "closed_on": day})


@transaction.atomic
def load_demo_reviews() -> bool:
    if ReviewRound.objects.filter(is_demo=True).exists():
        return False
    today = timezone.localdate()
    units = list(Unit.objects.filter(short_name__in=UNITS))
    for unit in units:
        _close_some(unit, today)
    if not ReviewScheme.objects.filter(year=today.year, act_type="penalty").exists():
        services.scheme_create(year=today.year, act_type="penalty")
    review = services.round_create(
        data={
            "title": f"{today.year}年度行政处罚案卷评查(演示)", "year": today.year, "act_types": ["penalty"],
            "closed_from": today - datetime.timedelta(days=365), "closed_to": today, "per_unit": 2,
            "min_per_unit": 1, "upload_due": today, "is_demo": True,
        },
        units=units,
    )  # fmt: skip
    if not services.round_pool(review):
        return True  # no closed case in the demo period: the round waits to be drawn by hand
    # A fixed seed: the demo (and the permission matrix built on it) draws the same files each time.
    review = services.round_draw(review=review, seed="de30" * 8)
    people = [
        {"user": u, "kind": kind, "unit": u.primary_unit if kind == "officer" else None}
        for name, kind in (("jiandu", "bureau"), ("zhifa", "officer"), ("tejian", "special"))
        if (u := User.objects.filter(username=name).first())
    ]
    services.round_assign(review=review, people=people)
    files = list(review.files.select_related("scheme").order_by("pk"))
    for n, review_file in enumerate(files):
        services.file_upload(
            review_file=review_file,
            name=f"{review_file.case.number}.pdf",
            data=DEMO_PDF,
            link=f"https://zfba.example.gov.cn/case/{review_file.case_id}",
        )
        deductions, veto = SCORES[n % len(SCORES)]
        items = {i.text: i for i in review_file.scheme.items.all()}
        rows = [{"item": items[t].pk, "points": Decimal(p), "reason": r} for t, p, r in deductions]
        if veto:
            rows.append({"item": items[veto].pk, "reason": "主要违法事实无证据证明(演示)"})
        # Each reviewer scores as they would on the page (the pre-check's suggestions declined).
        for sheet in review_file.sheets.select_related("reviewer__user"):
            services.sheet_submit(
                review_file=review_file, deductions=rows,
                decisions={d.pk: False for d in sheet.deductions.filter(suggested=True)},
                comment="(演示)", signed_name=sheet.reviewer.user.full_name, user=sheet.reviewer.user,
            )  # fmt: skip
    services.round_publish(review=review)
    return True
