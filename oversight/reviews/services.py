"""Case-file review: schemes, rounds, the reproducible sample, reviewer assignment, the machine
pre-check, independent score sheets, arbitration, publication, objection and the locked result.

Every write takes the acting user, checks who may take the step, and leaves an audit entry."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import math
import random
import re
import secrets
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from oversight.core import audit
from oversight.core.calendar import add_workdays
from oversight.core.context import require_actor
from oversight.core.numbering import next_number
from oversight.core.roles import Role
from oversight.core.rules import rule_value
from oversight.core.uploads import check_upload

from .defaults import DECISION_ITEMS, ITEMS, TITLES, VETOES
from .models import (
    DEFAULT_GRADES,
    Deduction,
    Reviewer,
    ReviewFile,
    ReviewItem,
    ReviewRound,
    ReviewScheme,
    ScoreSheet,
)

ALGORITHM = "v1-sha256-mt"
F = ReviewFile.Status
ACT_TYPES = tuple(TITLES)


def _bureau(user) -> None:
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以办理此事项。")


def _hash(rows) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# -- schemes ------------------------------------------------------------------------------------
@transaction.atomic
def scheme_create(*, year: int, act_type: str, user=None) -> ReviewScheme:
    """A year's scheme for an act type: a copy of the latest earlier one, or the defaults."""
    require_actor(user)
    _bureau(user)
    if act_type not in ACT_TYPES:
        raise ValidationError({"act_type": "案卷评查标准只适用于行政处罚、许可、强制和检查。"})
    if ReviewScheme.objects.filter(year=year, act_type=act_type).exists():
        raise ValidationError(f"{year} 年的{TITLES[act_type]}已经存在。")
    earlier = (
        ReviewScheme.objects.filter(act_type=act_type, year__lt=year).order_by("-year").first()
    )
    scheme = ReviewScheme.objects.create(
        year=year,
        act_type=act_type,
        title=f"{year}年{TITLES[act_type]}",
        grades=earlier.grades if earlier else DEFAULT_GRADES,
    )
    if earlier is not None:
        ReviewItem.objects.bulk_create(
            ReviewItem(
                scheme=scheme, section=i.section, text=i.text, points=i.points, source=i.source,
                veto=i.veto, checks=i.checks, order=i.order,
            )
            for i in earlier.items.all()
        )  # fmt: skip
    else:
        rows = [
            ReviewItem(scheme=scheme, section=s, text=t, points=p, source=src, checks=c, order=n)
            for n, (s, t, p, src, c) in enumerate(ITEMS, start=1)
        ]
        rows += [
            ReviewItem(
                scheme=scheme, section="一票否决", text=t, source=src, veto=True, checks=c, order=n
            )
            for n, (t, src, c) in enumerate(VETOES, start=100)
        ]
        ReviewItem.objects.bulk_create(rows)
    audit.record(
        action="create",
        obj=scheme,
        after={"title": scheme.title, "copied_from": earlier.year if earlier else None},
    )
    return scheme


def _editable(scheme: ReviewScheme) -> None:
    if scheme.frozen:
        raise ValidationError("该评查标准已在评查活动中使用,不能再修改;请新建下一年度的标准。")


@transaction.atomic
def scheme_item_save(
    *, scheme: ReviewScheme, item: ReviewItem | None, data: dict[str, Any], user=None
) -> ReviewItem:
    require_actor(user)
    _bureau(user)
    scheme = ReviewScheme.objects.select_for_update().get(pk=scheme.pk)
    _editable(scheme)
    creating = item is None
    item = item or ReviewItem(scheme=scheme)
    if item.scheme_id != scheme.pk:
        raise PermissionDenied("该项目不属于此评查标准。")
    before = None if creating else audit.snapshot(item)
    for key in ("section", "text", "points", "source", "veto", "order"):
        if key in data:
            setattr(item, key, data[key])
    if item.veto:
        item.points = Decimal(0)
    elif item.points is None or item.points <= 0:
        raise ValidationError({"points": "计分项目的分值应大于 0。"})
    item.full_clean()
    item.save()
    audit.record(
        action="create" if creating else "update",
        obj=item,
        before=before,
        after=audit.snapshot(item),
    )
    return item


@transaction.atomic
def scheme_item_delete(*, item: ReviewItem, user=None) -> None:
    require_actor(user)
    _bureau(user)
    _editable(ReviewScheme.objects.select_for_update().get(pk=item.scheme_id))
    audit.record(action="delete", obj=item, before=audit.snapshot(item))
    item.delete()


@transaction.atomic
def scheme_grades_save(*, scheme: ReviewScheme, grades: list, user=None) -> ReviewScheme:
    require_actor(user)
    _bureau(user)
    scheme = ReviewScheme.objects.select_for_update().get(pk=scheme.pk)
    _editable(scheme)
    before = {"grades": scheme.grades}
    scheme.grades = sorted(grades, key=lambda g: -float(g[0]))
    scheme.save(update_fields=["grades"])
    audit.record(action="update", obj=scheme, before=before, after={"grades": scheme.grades})
    return scheme


# -- rounds and the sample ----------------------------------------------------------------------
@transaction.atomic
def round_create(*, data: dict[str, Any], units: list, user=None) -> ReviewRound:
    require_actor(user)
    _bureau(user)
    if not units:
        raise ValidationError({"units": "请选择被评查单位。"})
    act_types = [t for t in data.get("act_types") or [] if t in ACT_TYPES]
    if not act_types:
        raise ValidationError({"act_types": "请选择至少一个执法类别。"})
    if data["closed_from"] > data["closed_to"]:
        raise ValidationError({"closed_to": "结案日期止不能早于结案日期起。"})
    per_unit, share = data.get("per_unit"), data.get("share")
    if not per_unit and not share:
        raise ValidationError({"per_unit": "请填写每单位抽取件数或抽取比例。"})
    if share is not None and not 0 < share <= 1:
        raise ValidationError({"share": "抽取比例应在 0 到 1 之间,如 0.1。"})
    review = ReviewRound.objects.create(
        title=data["title"].strip(),
        year=data.get("year") or data["closed_to"].year,
        act_types=act_types,
        closed_from=data["closed_from"],
        closed_to=data["closed_to"],
        per_unit=per_unit or None,
        share=share,
        min_per_unit=data.get("min_per_unit") or 1,
        upload_due=data.get("upload_due"),
        is_demo=bool(data.get("is_demo")),
        created_by=user,
    )
    review.units.set(units)
    audit.record(
        action="create",
        obj=review,
        after=audit.snapshot(review) | {"units": [u.short_name for u in units]},
    )
    return review


def round_pool(review: ReviewRound) -> list[list]:
    """Closed cases of the round's units and act types in its period: [case id, unit id, act type,
    light], in id order."""
    from oversight.cases.models import Case

    cases = Case.objects.filter(
        unit__in=review.units.all(),
        act_type__in=review.act_types,
        closed_on__gte=review.closed_from,
        closed_on__lte=review.closed_to,
    ).order_by("pk")
    return [
        [c.pk, c.unit_id, c.act_type, c.light]
        for c in cases.only("pk", "unit_id", "act_type", "light")
    ]


def compute_sample(
    *, seed: str, pool: list[list], per_unit: int | None, share: float | None, min_per_unit: int
) -> list[int]:
    """The sample, a pure function of its inputs. Per unit: the larger of the count (or the share of
    its files, rounded up) and the minimum, capped by what it has; at least one red case when it has
    any, then the rest spread over its act types in turn, each draw random."""
    rng = random.Random(int(seed, 16))
    by_unit: dict[int, list[list]] = defaultdict(list)
    for row in pool:
        by_unit[row[1]].append(row)
    chosen: list[int] = []
    for unit_id in sorted(by_unit):
        rows = sorted(by_unit[unit_id])
        wanted = per_unit or math.ceil(len(rows) * float(share or 0))
        n = min(len(rows), max(int(wanted), min_per_unit))
        picked: list[int] = []
        red = [r[0] for r in rows if r[3] == "red"]
        if red and n:
            picked.append(rng.choice(red))
        strata: dict[str, list[int]] = defaultdict(list)
        for case_id, _unit, act_type, _light in rows:
            if case_id not in picked:
                strata[act_type].append(case_id)
        for pool_ in strata.values():
            rng.shuffle(pool_)
        order = sorted(strata)
        while len(picked) < n and any(strata.values()):
            for act_type in order:
                if strata[act_type] and len(picked) < n:
                    picked.append(strata[act_type].pop())
        chosen.extend(sorted(picked))
    return chosen


@transaction.atomic
def round_draw(*, review: ReviewRound, seed: str | None = None, user=None) -> ReviewRound:
    """Draw the sample and create a file per sampled case; the seed (random unless one is given,
    e.g. drawn in public at a meeting), the algorithm and the pool hash are kept so anyone can
    verify the draw."""
    require_actor(user)
    _bureau(user)
    review = ReviewRound.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewRound.Status.DRAFT:
        raise ValidationError("该评查活动已经抽取过案卷。")
    schemes = {
        s.act_type: s
        for s in ReviewScheme.objects.filter(year=review.year, act_type__in=review.act_types)
    }
    missing = [TITLES[t] for t in review.act_types if t not in schemes]
    if missing:
        raise ValidationError(f"请先建立 {review.year} 年的{'、'.join(missing)}。")
    pool = round_pool(review)
    if not pool:
        raise ValidationError("所选单位在该期间没有结案的案件,无法抽取。")
    if seed is not None and not re.fullmatch(r"[0-9a-f]{8,64}", seed):
        raise ValidationError({"seed": "随机种子应为 8 到 64 位十六进制数字。"})
    review.seed = seed or secrets.token_hex(16)
    review.algorithm = ALGORITHM
    review.pool = pool
    review.pool_hash = _hash(pool)
    review.drawn_on = timezone.localdate()
    sample = compute_sample(
        seed=review.seed, pool=pool, per_unit=review.per_unit,
        share=float(review.share) if review.share else None, min_per_unit=review.min_per_unit,
    )  # fmt: skip
    rows = {r[0]: r for r in pool}
    ReviewFile.objects.bulk_create(
        ReviewFile(
            round=review, case_id=case_id, unit_id=rows[case_id][1],
            scheme=schemes[rows[case_id][2]], light_at_draw=rows[case_id][3],
        )
        for case_id in sample
    )  # fmt: skip
    review.status = ReviewRound.Status.DRAWN
    review.save()
    for scheme in schemes.values():
        if not scheme.frozen:
            scheme.frozen = True
            scheme.save(update_fields=["frozen"])
    audit.record(
        action="action",
        obj=review,
        message=f"抽取评查案卷 {len(sample)} 份(案卷库 {len(pool)} 件)",
        after={"seed": review.seed, "algorithm": ALGORITHM, "pool_hash": review.pool_hash},
    )
    return review


def round_verify(review: ReviewRound) -> tuple[bool, str]:
    """Re-draw from the recorded seed and pool; both must match what was kept."""
    if not review.seed:
        return False, "该评查活动尚未抽取。"
    if _hash(review.pool) != review.pool_hash:
        return False, "案卷库与抽取时记录的摘要不一致:抽取后名单被改动。"
    if review.algorithm != ALGORITHM:
        return False, f"抽取算法版本 {review.algorithm} 与当前版本 {ALGORITHM} 不同,无法重新抽取。"
    expected = compute_sample(
        seed=review.seed, pool=review.pool, per_unit=review.per_unit,
        share=float(review.share) if review.share else None, min_per_unit=review.min_per_unit,
    )  # fmt: skip
    kept = sorted(review.files.values_list("case_id", flat=True))
    if sorted(expected) != kept:
        return False, "按记录的随机种子重新抽取,结果与保存的抽样结果不一致。"
    return (
        True,
        f"验证通过:按随机种子 {review.seed[:8]}… 重新抽取,结果与保存的 {len(kept)} 份案卷一致。",
    )


# -- reviewers ----------------------------------------------------------------------------------
def compute_assignment(
    *, seed: str, files: list[list], reviewers: list[list], per_file: int
) -> dict[int, list[int]]:
    """Reviewers per file, a pure function of its inputs. files: [file id, unit id, party credit
    code]; reviewers: [reviewer id, unit id or None, [credit codes of declared conflicts]]. A file
    never goes to a reviewer of its own unit or one with a conflict on its party; among the others,
    the least loaded go first (ties broken at random), so the work is spread evenly."""
    rng = random.Random(int(seed, 16) ^ 0x5EED)
    load = {r[0]: 0 for r in reviewers}
    result: dict[int, list[int]] = {}
    for file_id, unit_id, code in sorted(files):
        eligible = [r[0] for r in reviewers if r[1] != unit_id and not (code and code in r[2])]
        if len(eligible) < per_file:
            raise ValidationError(
                f"案卷 {file_id} 可选的评查人员不足 {per_file} 人(已排除本单位人员和有回避关系的人员),请增加评查人员。"
            )
        rng.shuffle(eligible)
        eligible.sort(key=lambda rid: load[rid])
        picked = sorted(eligible[:per_file])
        for rid in picked:
            load[rid] += 1
        result[file_id] = picked
    return result


def _conflict_codes(reviewer: Reviewer) -> list[str]:
    """Credit codes of the enterprises a reviewer declared a conflict with (the officers' register)."""
    if reviewer.officer_id is None:
        return []
    from oversight.inspections.models import OfficerConflict

    return sorted(
        c for c in OfficerConflict.objects.filter(officer_id=reviewer.officer_id).values_list(
            "enterprise__credit_code", flat=True
        ) if c
    )  # fmt: skip


@transaction.atomic
def round_assign(*, review: ReviewRound, people: list[dict[str, Any]], user=None) -> int:
    """Put `people` (user, kind, unit, officer) in the round's pool and give every file its
    reviewers; returns how many sheets were created."""
    require_actor(user)
    _bureau(user)
    review = ReviewRound.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewRound.Status.DRAWN:
        raise ValidationError("请先抽取案卷;评查开始后不能重新分配。")
    for person in people:
        Reviewer.objects.get_or_create(
            round=review, user=person["user"],
            defaults={"kind": person["kind"], "unit": person.get("unit"), "officer": person.get("officer")},
        )  # fmt: skip
    reviewers = list(review.reviewers.all())
    files = list(review.files.select_related("case"))
    per_file = rule_value("reviews.reviewers_per_file")
    plan = compute_assignment(
        seed=review.seed,
        files=[[f.pk, f.unit_id, f.case.party_credit_code] for f in files],
        reviewers=[[r.pk, r.unit_id, _conflict_codes(r)] for r in reviewers],
        per_file=per_file,
    )
    created = 0
    for f in files:
        for reviewer_id in plan[f.pk]:
            sheet = ScoreSheet.objects.create(file=f, reviewer_id=reviewer_id)
            _suggest(sheet)
            created += 1
        if f.status == F.AWAITING and (f.file or f.link):
            f.status = F.SCORING
            f.save(update_fields=["status"])
    review.status = ReviewRound.Status.SCORING
    review.save(update_fields=["status"])
    audit.record(
        action="action", obj=review, message=f"分配评查人员:{len(reviewers)} 人,评分表 {created} 份"
    )
    return created


# -- the unit's upload --------------------------------------------------------------------------
def extract_text(name: str, data: bytes) -> str:
    """The text of an uploaded .docx or .pdf (empty for scans and other files)."""
    lower = name.lower()
    try:
        if lower.endswith(".docx"):
            from docx import Document

            doc = Document(io.BytesIO(data))
            cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
            return "\n".join([p.text for p in doc.paragraphs] + cells)
        if lower.endswith(".pdf"):
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return "\n".join((page.extract_text() or "") for page in reader.pages[:30])
    except Exception:  # a damaged or encrypted file: no text, the reviewer reads the scan
        return ""
    return ""


@transaction.atomic
def file_upload(
    *, review_file: ReviewFile, name: str = "", data: bytes = b"", link: str = "",
    decision_name: str = "", decision_data: bytes = b"", user=None,
) -> ReviewFile:  # fmt: skip
    """The unit's case file (a PDF scan, or a link into its case system) and, optionally, its
    decision document as .docx or .pdf text for the machine pre-check."""
    require_actor(user)
    review_file = ReviewFile.objects.select_for_update().get(pk=review_file.pk)
    if (
        user is not None
        and not ReviewFile.objects.restrict(user, "change").filter(pk=review_file.pk).exists()
    ):
        raise PermissionDenied("该案卷不在您的权限范围内。")
    if (
        review_file.status not in {F.AWAITING, F.SCORING}
        or review_file.sheets.exclude(submitted_at=None).exists()
    ):
        raise ValidationError("评查人员已开始评分,案卷不能再更换。")
    if not data and not link.strip():
        raise ValidationError("请上传案卷扫描件(PDF),或填写业务系统中的案卷链接。")
    if data:
        extension = check_upload(name, data)
        if extension != ".pdf":
            raise ValidationError("案卷扫描件请上传 PDF 文件。")
        digest = hashlib.sha256(data).hexdigest()
        review_file.file.save(f"{digest}.pdf", ContentFile(data), save=False)
        review_file.file_name = name[:200]
    review_file.link = link.strip()
    if decision_data:
        check_upload(decision_name, decision_data)
        review_file.decision_text = extract_text(decision_name, decision_data)
        if not review_file.decision_text.strip():
            raise ValidationError("没有从决定书中读到文字:请上传 Word(.docx)或可复制文字的 PDF。")
    elif data and not review_file.decision_text:
        review_file.decision_text = extract_text(name, data)
    review_file.uploaded_at = timezone.now()
    if review_file.sheets.exists():
        review_file.status = F.SCORING
    review_file.save()
    for sheet in review_file.sheets.all():
        _suggest(sheet)
    audit.record(action="update", obj=review_file, after={"file": review_file.file_name, "link": review_file.link,
                                                          "decision_text": bool(review_file.decision_text)})  # fmt: skip
    return review_file


# -- the machine pre-check ----------------------------------------------------------------------
def decision_gaps(text: str) -> list[str]:
    """The items 《行政处罚法》第59条 requires that the decision's text does not show."""
    return [
        label for label, patterns in DECISION_ITEMS if not all(re.search(p, text) for p in patterns)
    ]


def precheck(review_file: ReviewFile) -> list[tuple[ReviewItem, Decimal, str]]:
    """What the platform already knows about the file, as suggested deductions with evidence: the
    case's red findings on the items that cover them, and the gaps of the decision document."""
    items = list(review_file.scheme.items.all())
    suggestions: dict[int, tuple[ReviewItem, Decimal, list[str]]] = {}
    findings = review_file.case.findings.filter(level="red")
    for finding in findings:
        for item in items:
            if finding.rule in item.checks:
                entry = suggestions.setdefault(item.pk, (item, item.points, []))
                entry[2].append(f"平台检查:{finding.message}(依据:{finding.source})")
    if review_file.case.act_type == "penalty" and review_file.decision_text.strip():
        gaps = decision_gaps(review_file.decision_text)
        for item in items:
            if "decision_document" in item.checks and gaps:
                points = min(item.points, Decimal(len(gaps)))
                suggestions[item.pk] = (
                    item,
                    points,
                    [f"决定书未载明:{'、'.join(gaps)}(《行政处罚法》第59条)"],
                )
    return [(item, points, ";".join(reasons)) for item, points, reasons in suggestions.values()]


def _suggest(sheet: ScoreSheet) -> None:
    """Fill a sheet with the pre-check's suggestions; the reviewer's decisions are kept."""
    if sheet.submitted_at:
        return
    decided = set(
        sheet.deductions.exclude(suggested=True, accepted=None).values_list("item_id", flat=True)
    )
    sheet.deductions.filter(suggested=True, accepted=None).delete()
    for item, points, reason in precheck(sheet.file):
        if item.pk not in decided:
            Deduction.objects.create(
                sheet=sheet, item=item, points=points, reason=reason, suggested=True
            )


# -- scoring ------------------------------------------------------------------------------------
def _sheet_for(review_file: ReviewFile, user) -> ScoreSheet:
    sheet = review_file.sheets.filter(reviewer__user=user, submitted_at=None).first()
    if sheet is None:
        raise PermissionDenied("您不是该案卷待提交评分的评查人员。")
    return sheet


@transaction.atomic
def sheet_submit(
    *,
    review_file: ReviewFile,
    deductions: list[dict[str, Any]],
    decisions: dict[int, bool],
    comment: str = "",
    signed_name: str = "",
    user=None,
) -> ScoreSheet:
    """A reviewer's independent score: deductions (item, points, reason) and vetoes (item, reason),
    a decision on every suggestion, a signature. When every first sheet is in, the file is settled
    or, if the reviewers disagree, goes to arbitration."""
    require_actor(user)
    review_file = ReviewFile.objects.select_for_update().get(pk=review_file.pk)
    if review_file.status not in {F.SCORING, F.ARBITRATION}:
        raise ValidationError(f"案卷当前为“{review_file.get_status_display()}”,不能评分。")
    sheet = _sheet_for(review_file, user)
    items = {i.pk: i for i in review_file.scheme.items.all()}
    pending = [
        d for d in sheet.deductions.filter(suggested=True, accepted=None) if d.pk not in decisions
    ]
    if pending:
        raise ValidationError(f"请对平台预检的 {len(pending)} 条建议逐条确认或不采纳。")
    for deduction in sheet.deductions.filter(suggested=True):
        if deduction.pk in decisions:
            deduction.accepted = decisions[deduction.pk]
            deduction.save(update_fields=["accepted"])
    for row in deductions:
        item = items.get(row["item"])
        if item is None:
            raise ValidationError("扣分项目不属于本案卷的评查标准。")
        reason = (row.get("reason") or "").strip()
        if len(reason) < 2:
            raise ValidationError(f"“{item.text}”须写明扣分或否决的理由。")
        points = Decimal(0) if item.veto else Decimal(str(row.get("points") or 0))
        if not item.veto and not 0 < points <= item.points:
            raise ValidationError(f"“{item.text}”的扣分应在 0 到 {item.points} 分之间。")
        Deduction.objects.update_or_create(
            sheet=sheet, item=item, defaults={"points": points, "reason": reason, "suggested": False, "accepted": None}
        )  # fmt: skip
    if len(signed_name.strip()) < 2:
        raise ValidationError({"signed_name": "请签名(填写姓名)后提交。"})
    counted = [d for d in sheet.deductions.select_related("item") if d.counts]
    sheet.vetoed = any(d.item.veto for d in counted)
    lost = sum((d.points for d in counted if not d.item.veto), Decimal(0))
    per_item: dict[int, Decimal] = defaultdict(Decimal)
    for d in counted:
        per_item[d.item_id] += d.points
    if any(per_item[i] > items[i].points for i in per_item if not items[i].veto):
        raise ValidationError("同一项目的扣分不能超过该项分值。")
    sheet.total = max(Decimal(0), review_file.scheme.total_points - lost)
    sheet.comment = comment.strip()
    sheet.signed_name = signed_name.strip()
    sheet.submitted_at = timezone.now()
    sheet.save()
    audit.record(action="action", obj=review_file, message=f"提交评分:{sheet.total} 分" + (",一票否决" if sheet.vetoed else ""),
                 after={"sheet": sheet.pk, "total": str(sheet.total), "vetoed": sheet.vetoed})  # fmt: skip
    _record_supervisor_activity(sheet)
    _settle(review_file)
    return sheet


def _record_supervisor_activity(sheet: ScoreSheet) -> None:
    """A special supervisor's review counts in their activity log (their annual assessment)."""
    if sheet.reviewer.kind != Reviewer.Kind.SPECIAL:
        return
    from oversight.supervision.models import SpecialSupervisor, SupervisorActivity

    person = SpecialSupervisor.objects.filter(user=sheet.reviewer.user).first()
    if person is not None:
        SupervisorActivity.objects.create(
            supervisor=person,
            kind=SupervisorActivity.Kind.REVIEW,
            date=timezone.localdate(),
            note=f"参加案卷评查:{sheet.file.round} {sheet.file.case.number}"[:300],
        )


def _settle(review_file: ReviewFile) -> None:
    sheets = list(review_file.sheets.all())
    third = [s for s in sheets if s.role == ScoreSheet.Role.THIRD]
    first = [s for s in sheets if s.role == ScoreSheet.Role.FIRST]
    if third:
        if third[0].submitted_at:
            _result(review_file, third[0].total, third[0].vetoed, "复核人评定")
        return
    if not first or any(s.submitted_at is None for s in first):
        return
    totals = [s.total for s in first]
    vetoes = {s.vetoed for s in first}
    if max(totals) - min(totals) > rule_value("reviews.disagreement_points") or len(vetoes) > 1:
        review_file.status = F.ARBITRATION
        review_file.save(update_fields=["status"])
        return
    mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.1"))
    _result(review_file, mean, first[0].vetoed, "评查人员评分平均")


def _result(review_file: ReviewFile, score: Decimal, vetoed: bool, how: str) -> None:
    review_file.final_score = score
    review_file.vetoed = vetoed
    review_file.grade = review_file.scheme.grade_of(score, vetoed)
    review_file.decided_by = how
    review_file.status = F.SCORED
    review_file.save()


@transaction.atomic
def file_arbitrate(
    *, review_file: ReviewFile, third=None, score: Decimal | None = None, vetoed: bool = False,
    reason: str = "", user=None,
) -> ReviewFile:  # fmt: skip
    """When the reviewers disagree: a third reviewer (`third`, a user of the round's pool who is not
    from the file's unit) scores it, or the panel decides the score here with its reason. Both first
    sheets stay on the file."""
    require_actor(user)
    _bureau(user)
    review_file = ReviewFile.objects.select_for_update().get(pk=review_file.pk)
    if review_file.status != F.ARBITRATION:
        raise ValidationError("只有评分差异较大或否决意见不一致的案卷需要复核。")
    if review_file.sheets.filter(role=ScoreSheet.Role.THIRD).exists():
        raise ValidationError("已指定复核人,等待其评分。")
    if third is not None:
        reviewer = Reviewer.objects.filter(round=review_file.round, user=third).first()
        if reviewer is None or reviewer.unit_id == review_file.unit_id:
            raise ValidationError("复核人应为本次评查的评查人员,且不是被评查单位的人员。")
        if review_file.sheets.filter(reviewer=reviewer).exists():
            raise ValidationError("复核人不能是已评分的评查人员。")
        sheet = ScoreSheet.objects.create(
            file=review_file, reviewer=reviewer, role=ScoreSheet.Role.THIRD
        )
        _suggest(sheet)
        audit.record(action="action", obj=review_file, message=f"指定复核人:{reviewer}")
        return review_file
    if score is None or not 0 <= score <= review_file.scheme.total_points:
        raise ValidationError({"score": "请填写评查组评定的分数。"})
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "评查组评定须写明理由。"})
    _result(
        review_file, score.quantize(Decimal("0.1")), vetoed, f"评查组评定:{reason.strip()}"[:40]
    )
    audit.record(
        action="action", obj=review_file, message=f"评查组评定 {score} 分:{reason.strip()}"
    )
    return review_file


# -- publication, objection, lock ---------------------------------------------------------------
@transaction.atomic
def round_publish(*, review: ReviewRound, user=None) -> ReviewRound:
    """Publish the results to the units; each may object within the rule's working days."""
    require_actor(user)
    _bureau(user)
    review = ReviewRound.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewRound.Status.SCORING:
        raise ValidationError("评查尚未开始或已公布。")
    open_files = review.files.exclude(status=F.SCORED).count()
    if open_files:
        raise ValidationError(f"还有 {open_files} 份案卷未评定,全部评定后才能公布。")
    today = timezone.localdate()
    due = add_workdays(today, rule_value("reviews.objection_workdays"))
    review.files.update(objection_due=due)
    review.status = ReviewRound.Status.PUBLISHED
    review.published_on = today
    review.number = next_number(kind="案卷评查", year=today.year, prefix="陆司评查")
    review.save()
    audit.record(
        action="action",
        obj=review,
        message=f"公布评查结果({review.number}),异议期至 {due:%Y-%m-%d}",
    )
    return review


@transaction.atomic
def file_object(*, review_file: ReviewFile, reason: str, user=None) -> ReviewFile:
    """The reviewed unit objects to its result, within the limit, with reasons."""
    require_actor(user)
    review_file = ReviewFile.objects.select_for_update().get(pk=review_file.pk)
    if (
        user is not None
        and not ReviewFile.objects.restrict(user, "change").filter(pk=review_file.pk).exists()
    ):
        raise PermissionDenied("该案卷不在您的权限范围内。")
    if user is not None and Role.SUPERVISOR in user.role_codes:
        raise PermissionDenied("异议由被评查单位提出。")
    if review_file.round.status != ReviewRound.Status.PUBLISHED or review_file.status != F.SCORED:
        raise ValidationError("评查结果公布后、确定前才能提出异议。")
    today = timezone.localdate()
    if today > review_file.objection_due:
        raise ValidationError(
            f"异议期限已于 {review_file.objection_due:%Y-%m-%d} 届满,结果已确定。"
        )
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": "请写明异议的事实和理由(不少于 10 个字)。"})
    before = {"status": review_file.status}
    review_file.objection = reason.strip()
    review_file.objected_on = today
    review_file.answer_due = add_workdays(today, rule_value("reviews.answer_workdays"))
    review_file.status = F.OBJECTED
    review_file.save()
    audit.record(
        action="update",
        obj=review_file,
        before=before,
        after={"status": F.OBJECTED, "objection": review_file.objection},
    )
    return review_file


@transaction.atomic
def file_answer(
    *, review_file: ReviewFile, answer: str, score: Decimal | None = None, vetoed: bool | None = None, user=None
) -> ReviewFile:  # fmt: skip
    """The panel answers an objection (keeping or changing the result); the result is then locked."""
    require_actor(user)
    _bureau(user)
    review_file = ReviewFile.objects.select_for_update().get(pk=review_file.pk)
    if review_file.status != F.OBJECTED:
        raise ValidationError("该案卷没有待答复的异议。")
    if len(answer.strip()) < 4:
        raise ValidationError({"answer": "请写明答复意见。"})
    before = {"final_score": str(review_file.final_score), "vetoed": review_file.vetoed}
    if score is not None:
        review_file.final_score = score.quantize(Decimal("0.1"))
    if vetoed is not None:
        review_file.vetoed = vetoed
    review_file.grade = review_file.scheme.grade_of(review_file.final_score, review_file.vetoed)
    review_file.answer = answer.strip()
    review_file.status = F.LOCKED
    review_file.locked_on = timezone.localdate()
    review_file.save()
    audit.record(action="update", obj=review_file, before=before,
                 after={"final_score": str(review_file.final_score), "vetoed": review_file.vetoed, "answer": review_file.answer})  # fmt: skip
    return review_file


def lock_expired(today: datetime.date) -> int:
    """Results nobody objected to within the limit are locked (the daily job)."""
    files = ReviewFile.objects.filter(
        round__status=ReviewRound.Status.PUBLISHED, status=F.SCORED, objection_due__lt=today
    )
    count = 0
    for review_file in files:
        review_file.status = F.LOCKED
        review_file.locked_on = today
        review_file.save(update_fields=["status", "locked_on"])
        audit.record(
            action="update",
            obj=review_file,
            after={"status": F.LOCKED},
            message="异议期届满,结果确定",
        )
        count += 1
    return count
