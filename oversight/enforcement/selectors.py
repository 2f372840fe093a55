"""Reading officers, certificates and training: hours against the rule, rates per unit."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from oversight.core.roles import Role
from oversight.core.rules import rule_value

from .models import Attendance, Certificate, Course, Officer, TrainingPlan


def unit_users(unit_ids):
    return (
        get_user_model()
        .objects.filter(is_active=True, role_rows__role__in=[Role.REPORTER, Role.UNIT_HEAD])
        .filter(Q(primary_unit__in=unit_ids) | Q(units__in=unit_ids))
        .distinct()
    )


# Apps that record enforcement acts (cases) register here a function giving each officer's last
# act, or None while they hold no acts at all; enforcement itself never imports them.
LAST_ACT_SOURCES: list[Callable[[], dict[int, datetime.date] | None]] = []


def last_enforcement_acts() -> dict[int, datetime.date] | None:
    """Each officer's last recorded enforcement act, or None while no acts are recorded at all
    (then "no act for a year" cannot be judged and is not proposed)."""
    found = [acts for acts in (source() for source in LAST_ACT_SOURCES) if acts is not None]
    if not found:
        return None
    merged: dict[int, datetime.date] = {}
    for acts in found:
        for officer_id, day in acts.items():
            if officer_id not in merged or day > merged[officer_id]:
                merged[officer_id] = day
    return merged


def officer_list(*, user) -> QuerySet[Officer]:
    today = timezone.localdate()
    return (
        Officer.objects.restrict(user, "view")
        .select_related("unit", "subject")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(
                    status=Certificate.Status.VALID, expiry_date__gte=today
                ),
                to_attr="valid_certificates",
            )
        )
    )


def public_officers() -> QuerySet[Certificate]:
    """Certificates shown on the public list: valid today, of officers on duty."""
    today = timezone.localdate()
    return (
        Certificate.objects.filter(
            status=Certificate.Status.VALID,
            issue_date__lte=today,
            expiry_date__gte=today,
            officer__status=Officer.Status.ON_DUTY,
        )
        .select_related("officer__unit")
        .order_by("officer__unit__sort_order", "officer__name")
    )


@dataclass
class Hours:
    public: Decimal = Decimal(0)
    business: Decimal = Decimal(0)
    political: Decimal = Decimal(0)
    rotated: bool = False

    @property
    def counted(self) -> Decimal:
        """Hours toward the rule: public legal knowledge plus business and skills (not political)."""
        return self.public + self.business

    def compliant(self) -> bool:
        return (
            self.counted >= rule_value("enforcement.training_total_hours")
            and self.public >= rule_value("enforcement.training_public_hours")
            and self.business >= rule_value("enforcement.training_business_hours")
        )


def rotation_date(year: int) -> datetime.date:
    month, day = rule_value("enforcement.rotation_month"), rule_value("enforcement.rotation_day")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return datetime.date(year, month, 28)


def hours_by_officer(year: int, officers) -> dict[int, Hours]:
    """Each officer's hours in `year` by kind. Public legal knowledge counts only when the bureau
    (SUPERVISOR_UNIT) organised the course, as the notice requires."""
    ids = [o.pk for o in officers]
    result = {pk: Hours() for pk in ids}
    rotation = rotation_date(year)
    rows = Attendance.objects.filter(officer_id__in=ids, course__start_date__year=year).values_list(
        "officer_id", "hours", "course__category", "course__unit__short_name", "course__end_date"
    )
    for officer_id, hours, category, organiser, end in rows:
        h = result[officer_id]
        if category == Course.Category.PUBLIC_LAW:
            if organiser == settings.SUPERVISOR_UNIT:
                h.public += hours
            else:
                h.business += hours  # a unit's own legal course still counts as its own training
        elif category in {Course.Category.BUSINESS, Course.Category.SKILLS}:
            h.business += hours
        else:
            h.political += hours
        if category != Course.Category.POLITICAL and end <= rotation:
            h.rotated = True
    return result


@dataclass
class UnitTraining:
    unit: object
    officers: int = 0
    compliant: int = 0
    rotated: int = 0
    hours: Decimal = Decimal(0)
    plan_filed: bool = False
    rows: list = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return round(100 * self.compliant / self.officers, 1) if self.officers else None

    @property
    def rotation_rate(self) -> float | None:
        return round(100 * self.rotated / self.officers, 1) if self.officers else None

    @property
    def average(self) -> Decimal:
        return (
            (self.hours / self.officers).quantize(Decimal("0.1")) if self.officers else Decimal(0)
        )


def training_compliance(*, user, year: int) -> list[UnitTraining]:
    """Per unit: officers on duty, how many met the hours rule, rotation, the plan filed or not."""
    officers = list(
        Officer.objects.restrict(user, "view")
        .filter(status=Officer.Status.ON_DUTY)
        .select_related("unit")
    )
    hours = hours_by_officer(year, officers)
    filed = set(TrainingPlan.objects.filter(year=year).values_list("unit_id", flat=True))
    by_unit: dict[int, UnitTraining] = {}
    for officer in officers:
        entry = by_unit.setdefault(
            officer.unit_id, UnitTraining(officer.unit, plan_filed=officer.unit_id in filed)
        )
        h = hours[officer.pk]
        entry.officers += 1
        entry.compliant += h.compliant()
        entry.rotated += h.rotated
        entry.hours += h.counted
        entry.rows.append((officer, h))
    return sorted(by_unit.values(), key=lambda e: (e.unit.sort_order, e.unit.pk))


def plan_filing(*, user, year: int):
    """Units with officers: who filed the year's training plan, who is late (rule: end of month)."""
    from oversight.organisations.models import Unit

    month = rule_value("enforcement.training_plan_month")
    due = (
        datetime.date(year, month % 12 + 1, 1) if month < 12 else datetime.date(year + 1, 1, 1)
    ) - datetime.timedelta(days=1)
    unit_ids = set(
        Officer.objects.restrict(user, "view")
        .filter(status=Officer.Status.ON_DUTY)
        .values_list("unit_id", flat=True)
    )
    plans = {p.unit_id: p for p in TrainingPlan.objects.filter(year=year, unit_id__in=unit_ids)}
    units = Unit.objects.filter(pk__in=unit_ids).order_by("sort_order")
    return due, [(u, plans.get(u.pk)) for u in units]


@dataclass
class CertificateFigures:
    on_duty: int = 0
    certified: int = 0
    expiring_90: int = 0
    expiring_30: int = 0
    suspended: int = 0
    by_unit: dict = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return round(100 * self.certified / self.on_duty, 1) if self.on_duty else None


def certificate_figures(*, user, today: datetime.date) -> CertificateFigures:
    figures = CertificateFigures()
    officers = (
        Officer.objects.restrict(user, "view")
        .filter(status=Officer.Status.ON_DUTY)
        .select_related("unit")
    )
    certified = set(
        Certificate.objects.filter(
            officer__in=officers,
            status=Certificate.Status.VALID,
            kind=Certificate.Kind.ENFORCEMENT,
            issue_date__lte=today,
            expiry_date__gte=today,
        ).values_list("officer_id", flat=True)
    )
    per_unit: dict = defaultdict(lambda: [None, 0, 0])
    for officer in officers:
        figures.on_duty += 1
        entry = per_unit[officer.unit_id]
        entry[0] = officer.unit
        entry[1] += 1
        if officer.pk in certified:
            figures.certified += 1
            entry[2] += 1
    figures.by_unit = {
        u: (n, c) for u, n, c in sorted(per_unit.values(), key=lambda e: e[0].sort_order)
    }
    certs = Certificate.objects.restrict(user, "view").filter(status=Certificate.Status.VALID)
    figures.expiring_90 = certs.filter(
        expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=90)
    ).count()
    figures.expiring_30 = certs.filter(
        expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=30)
    ).count()
    figures.suspended = (
        Certificate.objects.restrict(user, "view")
        .filter(status=Certificate.Status.SUSPENDED)
        .count()
    )
    return figures


def course_hours(course: Course) -> Decimal:
    return course.attendance.aggregate(total=Sum("hours"))["total"] or Decimal(0)


def training_counts(*, user, year: int, on_duty: int | None = None) -> tuple[int, int]:
    """(officers on duty, how many met the hours rule) by aggregation in SQL: what
    `training_compliance` counts, without loading an officer (the home page's figure).
    `on_duty`: the number of officers on duty, when the caller has counted them already."""
    officers = Officer.objects.restrict(user, "view").filter(status=Officer.Status.ON_DUTY)
    total = officers.count() if on_duty is None else on_duty
    compliant = training_compliant(user=user, year=year)
    return total, total if compliant is None else compliant.count()


def training_by_unit(*, user, year: int) -> list[tuple[int, str, int, int]]:
    """(unit id, short name, officers on duty, how many met the hours rule) for each unit in the
    user's scope with officers on duty, in the units' order: what `training_compliance` counts
    per unit, in two statements and without loading an officer (the cockpit's table)."""
    officers = Officer.objects.restrict(user, "view").filter(status=Officer.Status.ON_DUTY)
    compliant = training_compliant(user=user, year=year)
    met = None if compliant is None else set(compliant.values_list("officer_id", flat=True))
    units: dict[int, list] = {}
    for pk, unit_id, name, order in officers.values_list(
        "pk", "unit_id", "unit__short_name", "unit__sort_order"
    ):
        row = units.setdefault(unit_id, [order, unit_id, name, 0, 0])
        row[3] += 1
        row[4] += met is None or pk in met
    return [tuple(row[1:]) for row in sorted(units.values())]


def training_compliant(*, user, year: int) -> QuerySet | None:
    """One row per officer on duty in the user's scope who met the year's hours rule (public
    law hours from the bureau's courses, business hours, total), grouped in SQL; None when the
    rule asks for no hours (every officer meets it)."""
    officers = Officer.objects.restrict(user, "view").filter(status=Officer.Status.ON_DUTY)
    need_total = rule_value("enforcement.training_total_hours")
    need_public = rule_value("enforcement.training_public_hours")
    need_business = rule_value("enforcement.training_business_hours")
    if max(need_total, need_public, need_business) <= 0:
        return None
    by_bureau = Q(course__unit__short_name=settings.SUPERVISOR_UNIT)
    law = Q(course__category=Course.Category.PUBLIC_LAW)
    public = law & by_bureau
    business = Q(course__category__in=[Course.Category.BUSINESS, Course.Category.SKILLS]) | (
        law & ~by_bureau
    )
    zero = Value(Decimal(0))
    return (
        Attendance.objects.filter(officer__in=officers, course__start_date__year=year)
        .values("officer_id")
        .annotate(
            public=Coalesce(Sum("hours", filter=public), zero),
            business=Coalesce(Sum("hours", filter=business), zero),
        )
        .annotate(counted=F("public") + F("business"))
        .filter(public__gte=need_public, business__gte=need_business, counted__gte=need_total)
    )


def certificate_counts(*, user, today: datetime.date) -> tuple[int, int]:
    """(officers on duty, how many hold a valid enforcement certificate today), in SQL."""
    officers = Officer.objects.restrict(user, "view").filter(status=Officer.Status.ON_DUTY)
    valid = Certificate.objects.filter(
        officer=OuterRef("pk"),
        status=Certificate.Status.VALID,
        kind=Certificate.Kind.ENFORCEMENT,
        issue_date__lte=today,
        expiry_date__gte=today,
    )
    counts = officers.aggregate(on_duty=Count("pk"), certified=Count("pk", filter=Exists(valid)))
    return counts["on_duty"], counts["certified"]
