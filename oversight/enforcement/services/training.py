"""Training: the units' yearly plans, courses and attendance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from oversight.core import audit
from oversight.core.context import require_actor
from oversight.organisations.models import Unit

from ..models import (
    Attendance,
    Course,
    Officer,
    TrainingPlan,
)
from .officers import _check_unit


@transaction.atomic
def training_plan_file(
    *, unit: Unit, year: int, content: str, planned_hours: int, user=None
) -> TrainingPlan:
    """A unit files its annual training plan (or updates it)."""
    require_actor(user)
    _check_unit(unit, user)
    if len(content.strip()) < 10:
        raise ValidationError({"content": "请填写培训计划的主要内容(课程、学时、时间安排)。"})
    plan, created = TrainingPlan.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={"content": content.strip(), "planned_hours": planned_hours, "filed_by": user},
    )
    audit.record(
        action="create" if created else "update",
        obj=plan,
        after={"year": year, "planned_hours": planned_hours},
    )
    return plan


@transaction.atomic
def course_save(*, course: Course | None, data: dict[str, Any], user=None) -> Course:
    require_actor(user)
    creating = course is None
    course = course or Course()
    before = None if creating else audit.snapshot(course)
    for key in ("title", "category", "unit", "start_date", "end_date", "hours", "is_demo"):
        if key in data:
            setattr(course, key, data[key])
    _check_unit(course.unit, user)
    if course.start_date and course.end_date and course.start_date > course.end_date:
        raise ValidationError({"end_date": "结束日期不能早于开始日期。"})
    course.full_clean()
    course.save()
    audit.record(
        action="create" if creating else "update",
        obj=course,
        before=before,
        after=audit.snapshot(course),
    )
    return course


@transaction.atomic
def attendance_set(
    *, course: Course, officers: list[Officer], hours: Decimal | None = None, user=None
) -> int:
    """Record who attended a course (credited the course's hours unless given). A unit records its
    own officers, whoever organised the course; the bureau records anyone."""
    require_actor(user)
    if user is not None:
        allowed = set(Officer.objects.restrict(user, "change").values_list("pk", flat=True))
        if any(o.pk not in allowed for o in officers):
            raise PermissionDenied("只能登记本单位人员的参训记录。")
    hours = course.hours if hours is None else Decimal(hours)
    if hours <= 0 or hours > course.hours:
        raise ValidationError({"hours": f"学时应大于 0 且不超过课程学时 {course.hours}。"})
    added = 0
    for officer in officers:
        try:
            with transaction.atomic():
                Attendance.objects.create(course=course, officer=officer, hours=hours)
                added += 1
        except IntegrityError:
            continue
    audit.record(action="update", obj=course, message=f"登记参训 {added} 人")
    return added
