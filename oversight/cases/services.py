"""Recording enforcement acts and checking them; leniency lists."""

from __future__ import annotations

import datetime
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import audit, locks
from oversight.core.bulk import update_rows
from oversight.core.context import require_actor
from oversight.core.identifiers import credit_code_error
from oversight.core.memory import collector_paused
from oversight.core.querysets import Statement, plain_rows
from oversight.core.roles import Role
from oversight.core.uploads import check_upload, too_large
from oversight.enforcement.guards import check_acting_unit, check_officers_of
from oversight.enforcement.models import Certificate, CertificateEvent, EnforcementSubject, Officer
from oversight.organisations.models import Unit

from . import checks, tallies
from .models import (
    Case,
    CaseExtension,
    CaseOfficer,
    CaseRecord,
    Finding,
    LeniencyItem,
)

CASE_FIELDS = (
    "unit", "subject", "number", "act_type", "procedure", "party_kind", "party_name", "party_credit_code", "facts",
    "legal_basis", "catalog_item", "benchmark", "leniency_item", "filed_on", "investigated_on", "notified_on", "hearing_requested_on",
    "hearing_notified_on", "hearing_held_on", "legal_review_on", "collective_discussion_on", "decided_on", "served_on",
    "executed_on", "closed_on", "decision", "fine_amount", "is_major", "complex_case", "first_offence_exempt",
    "public_service_reduction", "fast_track", "involves_enterprise", "suspected_crime", "published_on",
    "decision_changed_on", "publication_withdrawn_on", "credit_repair_notice_on", "impact_assessed_on", "crime_found_on",
    "transfer_decided_on", "transfer_approved_at", "transferred_at", "is_demo",
)  # fmt: skip
# Held by each batch of the hourly re-check and by a whole re-check while it counts its cases.
RECHECK_LOCK = "cases.recheck"
# 行政处罚法 第44条、第62条–第65条: 告知 → 听证申请 → 听证通知 → 听证 → 决定.
STAGE_ORDER = (
    "filed_on",
    "investigated_on",
    "notified_on",
    "hearing_requested_on",
    "hearing_notified_on",
    "hearing_held_on",
    "decided_on",
    "served_on",
    "executed_on",
    "closed_on",
)


def validate_case(case: Case) -> dict[str, str]:
    """Field errors of a case, in Chinese; shared by the form, the API and the import."""
    errors: dict[str, str] = {}
    if case.party_kind == Case.PartyKind.ORGANISATION:
        error = (
            credit_code_error(case.party_credit_code)
            if case.party_credit_code
            else "法人或其他组织须填写统一社会信用代码。"
        )
        if error:
            errors["party_credit_code"] = error
    if case.subject_id and case.unit_id and case.subject.unit_id != case.unit_id:
        errors["subject"] = "执法主体应属于执法单位。"
    if case.catalog_item_id and case.unit_id and case.catalog_item.unit_id != case.unit_id:
        errors["catalog_item"] = "执法事项应为本单位执法事项清单中的事项。"
    previous = None
    for field in STAGE_ORDER:
        value = getattr(case, field)
        if value is None:
            continue
        if previous and value < previous[1]:
            errors[field] = (
                f"{Case._meta.get_field(field).verbose_name}日期不能早于{Case._meta.get_field(previous[0]).verbose_name}。"
            )
        previous = (field, value)
    if case.filed_on and case.filed_on > timezone.localdate():
        errors["filed_on"] = "立案日期不能晚于今天。"
    if case.fine_amount is not None and case.fine_amount < 0:
        errors["fine_amount"] = "罚款金额不能为负数。"
    if case.leniency_item_id and case.leniency_item.unit_id != case.unit_id:
        errors["leniency_item"] = "只能引用本单位清单中的事项。"
    return errors


class RecordKind(NamedTuple):
    """A record of a case as the rules read it: its kind."""

    kind: str


class FoundRow(NamedTuple):
    """A stored finding as the check compares it with a fresh result."""

    pk: int
    rule: str
    level: str
    message: str
    source: str
    due: datetime.date | None


class OfficerCache:
    """Officers with their certificates and status events, shared by the batches of one re-check.
    A batch of thousands of cases has a few hundred officers; loading them again for each batch
    was two fifths of a full check. Kept for a minute at most, so that a long re-check reads a
    certificate changed while it runs."""

    MAX_AGE = 60.0

    def __init__(self) -> None:
        self.officers: dict[int, tuple] = {}
        # Whether each officer's certificates made them valid on a day (`checks.Frame.valid`),
        # kept as long as the certificates it was worked out from.
        self.valid: dict[tuple[int, datetime.date], bool] = {}
        self.loaded_at = time.monotonic()

    def of_case(self, case_id: int) -> dict[int, tuple]:
        """The officers of one case (its check after an edit or a date passing): the same rows
        as `get`, read by the case's id through statements compiled once."""
        units = {unit.pk: unit for unit in _CASE_OFFICER_UNITS(case_id)}
        certificates: dict[int, list] = defaultdict(list)
        for certificate in _CASE_CERTIFICATES(case_id):
            certificates[certificate.officer_id].append(certificate)
        events: dict[int, list] = defaultdict(list)
        for event in _CASE_CERTIFICATE_EVENTS(case_id):
            events[event.certificate_id].append(event)
        for officer in _CASE_OFFICERS(case_id):
            unit = units.get(officer.unit_id)
            if unit is not None:  # else moved to another unit between the reads: read when asked
                Officer.unit.field.set_cached_value(officer, unit)
            self.officers[officer.pk] = (
                officer,
                [(c, events[c.pk]) for c in certificates[officer.pk]],
            )
        return self.officers

    def get(self, wanted: set[int]) -> dict[int, tuple]:
        if time.monotonic() - self.loaded_at > self.MAX_AGE:
            self.officers, self.valid, self.loaded_at = {}, {}, time.monotonic()
        missing = sorted(wanted - self.officers.keys())
        # Flat loads (three statements a slice), not Django's nested prefetch: its machinery cost
        # more than the rows when one case with two officers is checked.
        for start in range(0, len(missing), 5000):
            officers = list(
                Officer.objects.filter(pk__in=missing[start : start + 5000]).select_related("unit")
            )
            certificates: dict[int, list] = defaultdict(list)
            # Each officer's certificates by number, as the model's default order has them
            # within an officer (that order joins the officer and its unit to sort by unit).
            for certificate in Certificate.objects.filter(
                officer_id__in=[o.pk for o in officers]
            ).order_by("officer_id", "number"):
                certificates[certificate.officer_id].append(certificate)
            events: dict[int, list] = defaultdict(list)
            held = [c.pk for rows in certificates.values() for c in rows]
            for event in (
                CertificateEvent.objects.filter(certificate_id__in=held)
                .only("id", "certificate_id", "to_status", "time")
                .order_by("time")
            ):
                events[event.certificate_id].append(event)
            for officer in officers:
                self.officers[officer.pk] = (
                    officer,
                    [(c, events[c.pk]) for c in certificates[officer.pk]],
                )
        return self.officers


def _of_cases(ids: list[int]) -> dict:
    """The filter of rows belonging to these cases: an id range when they are dense (a batch of a
    full check), which spares binding thousands of parameters; the list otherwise. Rows of a
    range may include cases not asked for: callers keep only those they hold."""
    if ids and max(ids) - min(ids) < 2 * len(ids):
        return {"case_id__gte": min(ids), "case_id__lte": max(ids)}
    return {"case_id__in": ids}


def _case_row_class() -> type:
    """The class of `CaseRow`: a slotted dataclass of the columns a check reads
    (`checks.CASE_COLUMNS`) and writes. A column not loaded is not an attribute at all: a rule
    that read one would fail loudly, not see an empty value."""
    import dataclasses

    written = ("id", "unit_id", "light", "checked_at", "next_check_on")
    names = [*written, *(c for c in checks.CASE_COLUMNS if c not in written)]
    extra = (
        "catalog_item", "check_records", "check_extensions", "check_findings", "check_officers",
        "check_changed",
    )  # fmt: skip
    cls = dataclasses.make_dataclass(
        "CaseRow",
        [*names, *((name, Any, dataclasses.field(default=None)) for name in extra)],
        slots=True,
        eq=False,
        repr=False,
        namespace={
            "act_date": Case.act_date,  # the model's own properties, on the same attributes
            "pk": property(lambda self: self.id),
            "__doc__": "A case as the re-check reads and writes it, without a model instance.",
        },
    )
    cls.COLUMNS = names
    return cls


# A full re-check reads every case: building a model instance of 54 fields for each cost more
# than reading the rows (1.5 s of 5.5 s for 100,000 cases), and the columns no rule reads (the
# facts, the decision's text, the party) are a third of each row. The re-checks that keep
# nothing (whole, hourly, after an import) read plain rows of the checked columns; a check whose
# case goes back to a page or a service (`case_check`, `case_save`) uses the model instance.
CaseRow = _case_row_class()


def _case_rows(qs) -> list:
    return [CaseRow(*row) for row in plain_rows(qs.values_list(*CaseRow.COLUMNS))]


# One case's related rows, as a check after an edit or a date passing reads them: compiled once
# (`Statement`), where compiling them took as long as the check itself. Records and findings as
# plain rows: the rules read a record's kind, the comparison a finding's fields; instances of
# the tens of thousands a batch reads cost more than the rules. Ordered by their own columns (the
# models' default orders join the case to sort by it).
_RECORDS = Statement(
    lambda case: (
        CaseRecord.objects.filter(case_id=case)
        .order_by("created_at", "id")
        .values_list("case_id", "kind")
    )
)
_EXTENSIONS = Statement(lambda case: CaseExtension.objects.filter(case_id=case))
_FINDINGS = Statement(
    lambda case: (
        Finding.objects.filter(case_id=case)
        .order_by("rule")
        .values_list("case_id", *FoundRow._fields)
    )
)
_OFFICER_LINKS = Statement(
    lambda case: CaseOfficer.objects.filter(case_id=case).values_list("case_id", "officer_id")
)
# A case's officers, their units, certificates (by number) and certificates' status events (by
# time), as `OfficerCache.get` reads them for a batch.
_CASE_OFFICERS = Statement(lambda case: Officer.objects.filter(cases=case).order_by())
_CASE_OFFICER_UNITS = Statement(
    lambda case: Unit.objects.filter(
        pk__in=Officer.objects.filter(cases=case).values("unit_id")
    ).order_by()
)
_CASE_CERTIFICATES = Statement(
    lambda case: Certificate.objects.filter(officer__cases=case).order_by("officer_id", "number")
)
_CASE_CERTIFICATE_EVENTS = Statement(
    lambda case: CertificateEvent.objects.filter(certificate__officer__cases=case).order_by("time")
)


def _related_rows(cases: list) -> Iterator[tuple[list, list, list]]:
    """The records, extensions and findings of these cases, a slice of thousands at a time."""
    if len(cases) == 1:
        case = cases[0].id
        yield _RECORDS(case), _EXTENSIONS(case), _FINDINGS(case)
        return
    for start in range(0, len(cases), 5000):
        chunk = _of_cases([c.id for c in cases[start : start + 5000]])
        yield (
            plain_rows(
                CaseRecord.objects.filter(**chunk)
                .order_by("case_id", "created_at", "id")
                .values_list("case_id", "kind")
            ),
            CaseExtension.objects.filter(**chunk),
            plain_rows(
                Finding.objects.filter(**chunk)
                .order_by("case_id", "rule")
                .values_list("case_id", *FoundRow._fields)
            ),
        )


def _with_check_data(qs, *, officers: OfficerCache | None = None, rows: bool = False) -> list:
    """Cases (a queryset, or cases in hand) with everything `checks.check` reads, as lists on
    each case (`check_records`, `check_extensions`, `check_findings`, `check_officers`). Officers
    are shared: each is loaded once with its certificates and their status events, not once per
    case; pass one `OfficerCache` to the batches of a re-check. `rows`: read a queryset as
    `CaseRow`s, not model instances (for re-checks that keep nothing)."""
    from oversight.catalogue.models import CatalogItem, ItemVersion

    # Related rows loaded flat and attached as lists: Django's per-object prefetch machinery
    # cost four times the rules themselves over a batch of thousands of cases.
    if isinstance(qs, list):
        cases = qs
    elif rows:
        cases = _case_rows(qs)
        item_ids = {c.catalog_item_id for c in cases if c.catalog_item_id}
        shared_items = CatalogItem.objects.in_bulk(sorted(item_ids)) if item_ids else {}
        for case in cases:
            if case.catalog_item_id:
                case.catalog_item = shared_items[case.catalog_item_id]
    else:
        cases = list(qs.select_related("catalog_item"))
    rows: dict[str, dict[int, list]] = {
        "records": defaultdict(list),
        "extensions": defaultdict(list),
        "findings": defaultdict(list),
    }
    versions: dict[int, list] = defaultdict(list)
    kinds: dict[str, RecordKind] = {}
    items = sorted({c.catalog_item_id for c in cases if c.catalog_item_id})
    for found_records, found_extensions, found_findings in _related_rows(cases):
        records = rows["records"]
        for case_id, kind in found_records:
            record = kinds.get(kind)
            if record is None:  # one shared (immutable) row per kind, not one per record
                record = kinds[kind] = RecordKind(kind)
            records[case_id].append(record)
        for row in found_extensions:
            rows["extensions"][row.case_id].append(row)
        for case_id, *found in found_findings:
            rows["findings"][case_id].append(FoundRow(*found))
    for start in range(0, len(items), 5000):
        for version in ItemVersion.objects.filter(item_id__in=items[start : start + 5000]):
            versions[version.item_id].append(version)
    records, extensions, findings = rows["records"], rows["extensions"], rows["findings"]
    for case in cases:
        pk = case.id
        case.check_records = records[pk]
        case.check_extensions = extensions[pk]
        case.check_findings = findings[pk]
        if case.catalog_item is not None:
            case.catalog_item._prefetched_objects_cache = {
                "versions": versions[case.catalog_item_id]
            }
    links: list[tuple[int, int]] = []
    if len(cases) == 1:
        links = _OFFICER_LINKS(cases[0].id)
    else:
        for start in range(0, len(cases), 5000):
            chunk = _of_cases([c.id for c in cases[start : start + 5000]])
            links += plain_rows(
                CaseOfficer.objects.filter(**chunk).values_list("case_id", "officer_id")
            )
    if len(cases) == 1 and officers is None:
        shared = OfficerCache().of_case(cases[0].id)
    else:
        shared = (officers or OfficerCache()).get({officer_id for _, officer_id in links})
    # Each case's officers in the registry's order: the batch's officers ranked once, and the
    # links sorted once by case and rank.
    ranked = sorted(
        {pk for _, pk in links} & shared.keys(),
        key=lambda pk: (shared[pk][0].unit.sort_order, shared[pk][0].name, pk),
    )
    rank = {pk: i for i, pk in enumerate(ranked)}
    links = sorted((case_id, rank[pk], pk) for case_id, pk in links if pk in rank)
    by_case: dict[int, list] = defaultdict(list)
    for case_id, _, pk in links:
        by_case[case_id].append(shared[pk])
    for case in cases:
        case.check_officers = by_case[case.id]
    return cases


def _evaluate(
    case: Case,
    today: datetime.date,
    stale: list,
    new: list,
    changed: list,
    tally: tallies.Tally,
    frame: checks.Frame,
) -> None:
    """Check one case (its related rows prefetched) and collect the finding rows to write."""
    results, next_date = checks.check(
        case,
        today,
        officers=case.check_officers,
        records=case.check_records,
        extensions=case.check_extensions,
        frame=frame,
    )
    light = checks.light_of(results)
    if results or case.check_findings:
        _compare(case, results, stale, new, changed, tally)
    tally.light(case.unit_id, case.light, light)
    if (case.light, case.next_check_on) != (light, next_date) or case.checked_at is None:
        case.light, case.checked_at, case.next_check_on = light, timezone.now(), next_date
        case.check_changed = True


def _compare(case, results: list, stale: list, new: list, changed: list, tally) -> None:
    """The finding rows a case's results add, change and remove, counted in the tally."""
    existing = {f.rule: f for f in case.check_findings}
    wanted = {r.rule: r for r in results}
    for rule, found in existing.items():
        if rule not in wanted:
            stale.append(found.pk)
            tally.finding(case.unit_id, rule, found.level, None)
    for rule, result in wanted.items():
        found = existing.get(rule)
        tally.finding(case.unit_id, rule, found.level if found else None, result.level)
        if found is None:
            new.append(
                Finding(case_id=case.pk, rule=rule, level=result.level, message=result.message,
                        source=result.source, due=result.due)
            )  # fmt: skip
        elif (found.level, found.message, found.source, found.due) != (
            result.level,
            result.message,
            result.source,
            result.due,
        ):
            changed.append(
                Finding(id=found.pk, case_id=case.pk, rule=rule, level=result.level,
                        message=result.message, source=result.source, due=result.due)
            )  # fmt: skip


def _sync_many(
    cases: list[Case], today: datetime.date, officers: OfficerCache | None = None
) -> None:
    """Check cases and write their findings, lights and next check dates in a few statements.
    `officers`: the cache the cases' officers were loaded from (`_with_check_data`)."""
    stale: list[int] = []
    new: list[Finding] = []
    changed: list[Finding] = []
    tally = tallies.Tally()
    frame = checks.Frame(valid=officers.valid if officers is not None else None)
    for case in cases:
        _evaluate(case, today, stale, new, changed, tally, frame)
    # Within a caller's transaction (one case's check, a batch) no savepoint: an error here
    # undoes the caller's work too, and the savepoint's two statements were a tenth of a case's.
    with transaction.atomic(savepoint=False):
        tally.save()
        if stale:
            Finding.objects.filter(pk__in=stale).delete()
        if new:
            Finding.objects.bulk_create(new, batch_size=1000)
        if changed:
            update_rows(Finding, changed, ["level", "message", "source", "due"])
        update_rows(
            Case,
            [c for c in cases if getattr(c, "check_changed", False)],
            ["light", "checked_at", "next_check_on"],
        )
    # The lists attached for the check are stale now (findings changed): whoever holds the case
    # afterwards reads its related rows from the database.
    for case in cases:
        del case.check_records, case.check_extensions, case.check_findings, case.check_officers


def _sync(case: Case, today: datetime.date) -> None:
    _sync_many([case], today)


@transaction.atomic
def case_recheck(*, case: Case, user) -> Case:
    """A unit or the supervisor asks for a case to be checked again now (after a calendar or
    rule change, say). Read-only roles may not."""
    from oversight.core.roles import has_capability

    if not has_capability(user, "cases.record") or not (
        Case.objects.restrict(user, "change").filter(pk=case.pk).exists()
    ):
        raise PermissionDenied("您的角色只能查看案件,不能发起重新检查。")
    before = {"light": case.light}
    case = case_check(case=case)
    audit.record(
        action="action", obj=case, before=before, after={"light": case.light}, message="重新检查"
    )
    return case


@audit.exempt("按已审计的案件数据重新计算检查结果和亮灯(派生数据)")
def case_check(*, case: Case, today: datetime.date | None = None) -> Case:
    """Check one case now; its findings, light and next check date are stored."""
    today = today or timezone.localdate()
    with transaction.atomic():
        (case,) = _with_check_data(_locked(Case.objects.filter(pk=case.pk)))
        _sync(case, today)
    return case


def _locked(qs):
    """The cases about to be checked, locked until the check is written: two checks of one case
    at once (the scheduler's and a user's) would both count what they change in the per-unit
    tallies. Only the case rows are locked (not the catalogue item read with them)."""
    return qs.select_for_update(of=("self",))


@audit.exempt("定时任务按期限重新计算检查结果和亮灯(派生数据)")
def check_due(
    *,
    today: datetime.date | None = None,
    batch: int = 500,
    progress=None,
    give_way: Callable[[], bool] | None = None,
) -> int:
    """Re-check the cases whose time limits come due today; cases that did not change and whose
    limits did not pass are not read (next_check_on is indexed). `progress(done, total)` hears
    of each batch. `give_way()`, asked at each batch, stops the run when it answers true (a whole
    re-check took the due cases over); each batch holds the lock `RECHECK_LOCK`, which a whole
    re-check takes to count its cases, so a batch is either counted there or left to it."""
    today = today or timezone.localdate()
    checked, last = 0, 0
    officers = OfficerCache()
    total = Case.objects.filter(next_check_on__lte=today).count() if progress else 0
    while True:
        with transaction.atomic(), collector_paused():
            locks.hold(RECHECK_LOCK)
            if give_way is not None and give_way():
                return checked
            # By id, once each: a case with an hour limit later today stays due today after its check.
            ids = list(
                Case.objects.filter(next_check_on__lte=today, pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return checked
            cases = _with_check_data(
                _locked(Case.objects.filter(pk__in=ids)), officers=officers, rows=True
            )
            _sync_many(cases, today, officers)
        checked += len(ids)
        last = ids[-1]
        if progress is not None:
            progress(checked, max(total, checked))


@audit.exempt("规则变更后重新计算全部案件的检查结果(派生数据)")
def check_all(*, today: datetime.date | None = None, batch: int = 2000) -> int:
    """Check every case (after a rule changes, or for the benchmark)."""
    today = today or timezone.localdate()
    last, checked = 0, 0
    officers = OfficerCache()
    while True:
        with transaction.atomic(), collector_paused():
            cases = _with_check_data(
                _locked(Case.objects.filter(pk__gt=last).order_by("pk")[:batch]),
                officers=officers,
                rows=True,
            )
            if not cases:
                return checked
            _sync_many(cases, today, officers)
        checked += len(cases)
        last = cases[-1].pk


# What a check derives and stores on a case: not part of an edit's audit entry.
DERIVED = frozenset({"light", "checked_at", "next_check_on"})


@transaction.atomic
def case_save(
    *, case: Case | None, data: dict[str, Any], officers: list[Officer] | None = None, user=None
) -> Case:
    """Record or change an enforcement act, then check it."""
    require_actor(user)
    creating = case is None
    if not creating:
        if (
            user is not None
            and not Case.objects.restrict(user, "change").filter(pk=case.pk).exists()
        ):
            raise PermissionDenied("该案件不在您的权限范围内。")
        # The unit and subject come with the case: the checks below read both.
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("unit", "subject")
            .get(pk=case.pk)
        )
    case = case or Case()
    moved_from, number_before = case.unit_id, case.number
    before = None if creating else audit.snapshot(case, exclude=DERIVED)
    for key in CASE_FIELDS:
        if key in data:
            setattr(case, key, data[key])
    check_acting_unit(case.unit, user)
    # The (unit, number) constraint, asked only when either is new, with a message that says
    # which number (full_clean is told not to ask again).
    if (case.unit_id, case.number) != (moved_from, number_before) and (
        Case.objects.filter(unit=case.unit, number=case.number).exclude(pk=case.pk).exists()
    ):
        raise ValidationError({"number": f"案号 {case.number} 已登记。"})
    errors = validate_case(case)
    if errors:
        raise ValidationError(errors)
    # Related rows validate_case has just read exist: full_clean need not look them up again.
    loaded = [
        name
        for name in ("unit", "subject", "catalog_item", "leniency_item")
        if Case._meta.get_field(name).is_cached(case) and getattr(case, name) is not None
    ]
    case.full_clean(
        exclude=["light", "checked_at", "next_check_on", *loaded],
        validate_unique=False,
        validate_constraints=False,
    )
    case.save()
    if not creating:
        tallies.move_case(case.pk, moved_from, case.unit_id)
    if officers is not None:
        check_officers_of(case.unit, officers, user)
        CaseOfficer.objects.filter(case=case).exclude(officer__in=officers).delete()
        CaseOfficer.objects.bulk_create(
            [CaseOfficer(case=case, officer=o) for o in officers], ignore_conflicts=True
        )
    if before is not None and officers is None:
        # The officers were not given: they are the ones the snapshot before read.
        after = audit.snapshot(case, exclude=DERIVED | {"officers"})
        after["officers"] = before["officers"]
    else:
        after = audit.snapshot(case, exclude=DERIVED)
    audit.record(action="create" if creating else "update", obj=case, before=before, after=after)
    (case,) = _with_check_data([case])  # the instance just saved, not read again
    _sync(case, timezone.localdate())
    return case


@transaction.atomic
def record_add(
    *, case: Case, kind: str, title: str, reference: str = "", upload=None, user=None
) -> CaseRecord:
    require_actor(user)
    if user is not None and not Case.objects.restrict(user, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("该案件不在您的权限范围内。")
    if kind not in CaseRecord.Kind.values:
        raise ValidationError({"kind": "请选择记录类型。"})
    if not title.strip():
        raise ValidationError({"title": "请填写记录名称。"})
    if upload is None and not reference.strip():
        raise ValidationError({"reference": "请上传文件,或填写音像档案编号/存储位置。"})
    record = CaseRecord(case=case, kind=kind, title=title.strip(), reference=reference.strip())
    if upload is not None:
        # The same types, content check and size limit as every upload (core.uploads).
        too_large(upload.name, getattr(upload, "size", None))
        data = upload.read()
        check_upload(upload.name, data)
        record.sha256 = hashlib.sha256(data).hexdigest()
        from django.core.files.base import ContentFile

        record.file.save(upload.name, ContentFile(data), save=False)
    record.save()
    audit.record(
        action="create", obj=record, after={"case": case.number, "kind": kind, "title": title}
    )
    case_check(case=case)
    return record


@transaction.atomic
def extension_add(
    *, case: Case, days: int, reason: str, approved_on: datetime.date, user=None
) -> CaseExtension:
    require_actor(user)
    if user is not None and not Case.objects.restrict(user, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("该案件不在您的权限范围内。")
    if not 1 <= days <= 365 or not reason.strip():
        raise ValidationError("请填写延长天数(1–365)和理由。")
    extension = CaseExtension.objects.create(
        case=case, days=days, reason=reason.strip(), approved_on=approved_on
    )
    audit.record(
        action="create", obj=extension, after={"case": case.number, "days": days, "reason": reason}
    )
    case_check(case=case)
    return extension


@transaction.atomic
def finding_escalate(*, finding: Finding, plan, due: datetime.date, user=None):
    """Turn a breach into a supervision item on a work plan: a task for the case's unit, made by
    the work plans' own service."""
    require_actor(user)
    from oversight.workplans.services import supervision_task_add

    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以督办。")
    finding = Finding.objects.select_for_update().select_related("case__unit").get(pk=finding.pk)
    if finding.escalated_task_id:
        raise ValidationError("该问题已经列入督办。")
    case = finding.case
    task = supervision_task_add(
        plan=plan,
        unit=case.unit,
        title=f"整改:{case.number} {finding.message}",
        text=f"{case.unit}办理的 {case.number}({case.party_name}):{finding.message}。依据:{finding.source}。请于 {due:%Y-%m-%d} 前整改并报送整改情况。",
        due=due,
        user=user,
    )
    finding.escalated_task = task
    finding.save(update_fields=["escalated_task"])
    audit.record(action="action", obj=finding, message=f"列入督办:{plan} {task.number}")
    return task


# -- leniency lists -----------------------------------------------------------------------------------------
@transaction.atomic
def leniency_item_save(
    *, item: LeniencyItem | None, data: dict[str, Any], user=None
) -> LeniencyItem:
    require_actor(user)
    creating = item is None
    item = item or LeniencyItem()
    for key in ("unit", "kind", "title", "conditions", "legal_basis"):
        if key in data:
            setattr(item, key, data[key])
    check_acting_unit(item.unit, user)
    item.full_clean()
    item.save()
    audit.record(action="create" if creating else "update", obj=item, after=audit.snapshot(item))
    return item


def subject_for(unit) -> EnforcementSubject | None:
    return EnforcementSubject.objects.filter(unit=unit, status="active").first()
