"""Reading clues in sets: the next limit and the light as SQL, so lists filter and sort in the
database whatever their size."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, F, Q, QuerySet, When
from django.db.models.functions import Least

from .models import REPLY_KINDS, Clue, Document, warn_days

S = Clue.Status
OPEN = [S.REGISTERED, S.ACCEPTED, S.TRANSFERRED, S.ANSWERED, S.REVIEWED]


def with_next_due(qs: QuerySet[Clue]) -> QuerySet[Clue]:
    """Annotate `due`: the limit the clue must meet at its stage (null once finished)."""
    return qs.annotate(
        due=Case(
            When(status=S.REGISTERED, then=F("accept_due")),
            When(
                status=S.TRANSFERRED,
                reply_due__isnull=False,
                then=Least("reply_due", "conclude_due"),
            ),
            When(status__in=OPEN, then=F("conclude_due")),
            default=None,
            output_field=DateField(),
        )
    )


def light_q(light: str, today: datetime.date) -> Q:
    """The clues (annotated by `with_next_due`) showing `light` on `today`."""
    warn = today + datetime.timedelta(days=warn_days())
    if light == "red":
        return Q(due__lt=today)
    if light == "yellow":
        return Q(due__gte=today, due__lte=warn)
    if light == "green":
        return Q(due__gt=warn)
    return Q(pk__in=[])


def light_counts(qs: QuerySet[Clue], today: datetime.date) -> dict[str, int]:
    """The clues of each light on `today`, and in all (`total`): one aggregation."""
    return with_next_due(qs).aggregate(
        total=Count("pk"),
        **{
            light: Count("pk", filter=light_q(light, today)) for light in ("red", "yellow", "green")
        },
    )


# Apps above this one that can open a matter register how (query parameter → function of the
# request and the id returning the form's initial data, or None when out of scope).
MATTER_SOURCES: dict = {}


def matter_initial(request) -> dict:
    """What a new matter starts from, named in the query string: a clue (?clue=), a case breach
    (?finding=), a red work-plan assignment (?assignment=), an inspection with a warning
    (?inspection=) or a double-random draw (?draw=). Each is read through the user's scope."""
    from oversight.cases.models import Finding
    from oversight.core.params import id_param
    from oversight.inspections.models import Draw, Inspection
    from oversight.workplans.models import Assignment

    user = request.user
    if (pk := id_param(request, "clue")) is not None:
        clue = Clue.objects.restrict(user, "view").filter(pk=pk).first()
        if clue is not None:
            return {
                "kind": "case",
                "origin": "clue",
                "clue": clue.pk,
                "title": f"{clue.unit or ''}{clue.party_name and '涉' + clue.party_name}投诉个案监督",
                "units": [clue.unit_id] if clue.unit_id else [],
                "problem_types": list(clue.problem_types.values_list("pk", flat=True)),
                "findings": clue.matter,
                "origin_note": f"问题线索 {clue.number}",
            }
    if (pk := id_param(request, "finding")) is not None:
        finding = (
            Finding.objects.restrict(user, "view")
            .select_related("case__unit")
            .filter(pk=pk)
            .first()
        )
        if finding is not None:
            case = finding.case
            return {
                "kind": "case",
                "origin": "finding",
                "title": f"{case.number} {finding.message}"[:200],
                "units": [case.unit_id],
                "findings": f"{case.unit}办理的 {case.number}({case.party_name}):{finding.message}。依据:{finding.source}。",
                "origin_note": f"案件检查发现:{case.number}"[:300],
            }
    if (pk := id_param(request, "assignment")) is not None:
        assignment = (
            Assignment.objects.restrict(user, "view")
            .select_related("task__plan", "unit")
            .filter(pk=pk)
            .first()
        )
        if assignment is not None:
            task = assignment.task
            return {
                "kind": "key",
                "origin": "finding",
                "title": f"{task.plan} 任务{task.number}落实情况"[:200],
                "units": [assignment.unit_id],
                "findings": f"{assignment.unit}承担的任务{task.number}“{task.title}”未按期落实。",
                "origin_note": f"工作计划亮灯:{task.plan} {task.number}"[:300],
            }
    if (pk := id_param(request, "inspection")) is not None:
        inspection = (
            Inspection.objects.restrict(user, "view")
            .select_related("enterprise", "unit")
            .filter(pk=pk)
            .first()
        )
        if inspection is not None:
            return {
                "kind": "special",
                "theme": "涉企行政检查",
                "origin": "finding",
                "title": f"{inspection.unit}对{inspection.enterprise}的检查"[:200],
                "units": [inspection.unit_id],
                "findings": ";".join(inspection.warnings) or "",
                "origin_note": f"涉企检查 {inspection.date:%Y-%m-%d}",
            }
    if (pk := id_param(request, "draw")) is not None:
        draw = Draw.objects.restrict(user, "view").select_related("unit").filter(pk=pk).first()
        if draw is not None:
            return {
                "kind": "routine",
                "origin": "finding",
                "title": f"{draw.unit}{draw.title}结果公示"[:200],
                "units": [draw.unit_id],
                "findings": f"{draw.unit}的“{draw.title}”未按规定公示抽查结果。",
                "origin_note": f"双随机抽查 {draw.title}"[:300],
            }
    for name, initial in MATTER_SOURCES.items():
        if (pk := id_param(request, name)) is not None and (found := initial(request, pk)):
            return found
    return {"kind": "routine", "origin": "manual"}


@dataclass
class UnitRecord:
    """A unit's supervision record over a period: what the bureau found and how the unit answered.
    Feeds the bulletins (a section) and the evaluations (scoring items)."""

    unit_id: int
    unit: str
    clues: int = 0  # clues transferred to the unit in the period
    substantiated: int = 0  # of the clues reviewed in the period: 属实 or 部分属实
    documents: int = 0  # documents to answer, issued in the period
    late_replies: int = 0  # answered after the limit, or not answered by the period's end
    failed: int = 0  # replies returned as not put right
    sanctions: int = 0  # 约谈, 通报 and 移送 in the period

    @property
    def empty(self) -> bool:
        return not (self.clues or self.documents or self.sanctions)


def unit_records(
    date_from: datetime.date, date_to: datetime.date, unit_ids: Iterable[int] | None = None
) -> dict[int, UnitRecord]:
    """Every unit's record over [date_from, date_to], counted in the database."""
    from oversight.organisations.models import Unit

    units = Unit.objects.all()
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    records = {u.pk: UnitRecord(u.pk, u.short_name) for u in units.only("pk", "short_name")}
    period = {"gte": date_from, "lte": date_to}
    in_scope = {"unit__in": list(records)}

    def add(qs, field: str, key: str = "unit") -> None:
        for row in qs.values(key).annotate(n=Count("pk")):
            record = records.get(row[key])
            if record is not None:
                setattr(record, field, getattr(record, field) + row["n"])

    clues = Clue.objects.filter(**in_scope)
    transferred = clues.filter(
        events__action="转办", events__time__date__gte=date_from, events__time__date__lte=date_to
    ).distinct()
    add(transferred, "clues")
    reviewed = clues.filter(
        outcome__in=[Clue.Outcome.SUBSTANTIATED, Clue.Outcome.PARTLY],
        events__action="审核",
        events__time__date__gte=date_from,
        events__time__date__lte=date_to,
    ).distinct()
    add(reviewed, "substantiated")
    documents = Document.objects.filter(
        **in_scope, issued_on__gte=period["gte"], issued_on__lte=period["lte"]
    )
    answerable = documents.filter(kind__in=list(REPLY_KINDS)).exclude(
        status=Document.Status.WITHDRAWN
    )
    add(answerable, "documents")
    late = answerable.filter(
        Q(replied_on__isnull=False, replied_on__gt=F("reply_due"))
        | Q(replied_on__isnull=True, reply_due__lt=date_to)
        | Q(status=Document.Status.ESCALATED, returns=0)
    )
    add(late, "late_replies")
    add(answerable.filter(returns__gt=0), "failed")
    add(documents.filter(kind__in=["interview", "circular", "referral"]), "sanctions")
    return records


def dashboard_figures(year: int, today: datetime.date) -> dict:
    """The bureau's supervision dashboard for one year: clues by source, problem type, unit and
    month; documents by month; open documents by due date; rectification rate."""
    from django.db.models.functions import ExtractMonth

    clues = Clue.objects.filter(received_on__year=year)
    documents = Document.objects.filter(issued_on__year=year)
    source_labels = dict(Clue.Source.choices)
    by_source = [
        (row["source"], source_labels.get(row["source"], row["source"]), row["n"])
        for row in clues.values("source").annotate(n=Count("pk")).order_by("-n")
    ]
    by_type = list(
        clues.filter(problem_types__isnull=False)
        .values("problem_types", "problem_types__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:12]
    )
    by_unit = list(
        clues.filter(unit__isnull=False)
        .values("unit", "unit__short_name")
        .annotate(
            n=Count("pk"),
            substantiated=Count("pk", filter=Q(outcome__in=["substantiated", "partly"])),
        )
        .order_by("-n")[:15]
    )
    months = [0] * 12
    for row in clues.annotate(m=ExtractMonth("received_on")).values("m").annotate(n=Count("pk")):
        months[row["m"] - 1] = row["n"]
    doc_months = [0] * 12
    for row in documents.annotate(m=ExtractMonth("issued_on")).values("m").annotate(n=Count("pk")):
        doc_months[row["m"] - 1] = row["n"]
    settled = documents.filter(kind__in=list(REPLY_KINDS)).aggregate(
        accepted=Count("pk", filter=Q(status=Document.Status.ACCEPTED)),
        failed=Count("pk", filter=Q(returns__gt=0) | Q(status=Document.Status.ESCALATED)),
    )
    judged = settled["accepted"] + settled["failed"]
    reviewed = clues.exclude(outcome="").count()
    open_documents = (
        Document.objects.filter(
            status__in=[Document.Status.ISSUED, Document.Status.RETURNED, Document.Status.REPLIED]
        )
        .select_related("unit")
        .order_by("reply_due", "pk")[:12]
    )
    annotated = with_next_due(clues)
    return {
        "clues": clues.count(),
        "open_clues": clues.filter(status__in=OPEN).count(),
        "red_clues": annotated.filter(light_q("red", today)).count(),
        "substantiated_rate": round(
            100 * clues.filter(outcome__in=["substantiated", "partly"]).count() / reviewed, 1
        )
        if reviewed
        else None,
        "documents": documents.count(),
        "rectification_rate": round(100 * settled["accepted"] / judged, 1) if judged else None,
        "by_source": by_source,
        "by_type": by_type,
        "by_unit": by_unit,
        "months": months,
        "doc_months": doc_months,
        "open_documents": list(open_documents),
    }


@dataclass
class ProfitWarning:
    """A sign of profit-driven enforcement (趋利性执法) in a unit's fines of a year."""

    unit_id: int
    unit: str
    year: int
    message: str
    since: datetime.date
    until: datetime.date


def profit_warnings(year: int) -> list[ProfitWarning]:
    """Units whose fines rose more than the rule year on year, or whose fines lean on one officer
    or one enterprise more than the rule, from the cases the platform holds (SQL sums)."""
    from decimal import Decimal

    from django.db.models import Sum

    from oversight.cases.models import Case, CaseOfficer
    from oversight.core.rules import rule_value

    rise = Decimal(rule_value("supervision.fines_rise_percent"))
    share = Decimal(rule_value("supervision.fines_concentration_percent"))
    fined = Case.objects.filter(fine_amount__gt=0, decided_on__year__in=[year - 1, year])
    totals: dict[tuple[int, int], Decimal] = {}
    names: dict[int, str] = {}
    for row in fined.values("unit", "unit__short_name", "decided_on__year").annotate(
        total=Sum("fine_amount")
    ):
        totals[(row["unit"], row["decided_on__year"])] = row["total"]
        names[row["unit"]] = row["unit__short_name"]
    since, until = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    found: list[ProfitWarning] = []
    for (unit_id, y), total in sorted(totals.items()):
        if y != year:
            continue
        last = totals.get((unit_id, year - 1))
        if last and total > last * (1 + rise / 100):
            found.append(
                ProfitWarning(
                    unit_id,
                    names[unit_id],
                    year,
                    f"罚没收入 {total:.0f} 元,同比增长 {(total / last - 1) * 100:.0f}%(预警线 {rise}%)",
                    since,
                    until,
                )
            )
        by_party = (
            fined.filter(unit_id=unit_id, decided_on__year=year).exclude(party_credit_code="")
            .values("party_name").annotate(total=Sum("fine_amount")).order_by("-total").first()
        )  # fmt: skip
        if by_party and total and by_party["total"] * 100 > total * share:
            found.append(
                ProfitWarning(
                    unit_id,
                    names[unit_id],
                    year,
                    f"对{by_party['party_name']}的罚款占全年罚款 {by_party['total'] * 100 / total:.0f}%(预警线 {share}%)",
                    since,
                    until,
                )
            )
        # Every act needs two officers, so with only two in the unit's fined cases a concentration
        # is a given; beyond that, one officer on most of the money is a sign.
        officers = CaseOfficer.objects.filter(
            case__in=fined.filter(unit_id=unit_id, decided_on__year=year)
        )
        by_officer = (
            officers.values("officer__name")
            .annotate(total=Sum("case__fine_amount"))
            .order_by("-total")
            .first()
        )
        if (
            by_officer
            and total
            and officers.values("officer").distinct().count() > rule_value("cases.min_officers")
            and by_officer["total"] * 100 > total * share
        ):
            found.append(
                ProfitWarning(
                    unit_id,
                    names[unit_id],
                    year,
                    f"执法人员{by_officer['officer__name']}经办的罚款占全年罚款 {by_officer['total'] * 100 / total:.0f}%(预警线 {share}%)",
                    since,
                    until,
                )
            )
    return found
