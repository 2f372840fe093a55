"""Reminders of enforcement work: certificates about to expire, training plans not yet filed."""

import datetime

from django.utils import timezone

from oversight.core.calendar import is_workday
from oversight.core.notifications import Message, notify
from oversight.core.rules import rule_value
from oversight.core.scheduler import periodic

from .models import Certificate, Officer, TrainingPlan
from .selectors import unit_users


@periodic("enforcement.certificate_expiry", title="执法证件到期提醒", at=datetime.time(8, 30))
def certificate_expiry() -> str:
    """Tell the unit (and the officer) 90 and 30 days before a certificate expires, once each."""
    today = timezone.localdate()
    sent = 0
    # The nearest window decides: a certificate already inside the 30-day window (on the first run,
    # or after a rule change) gets the 30-day notice only, never the 90-day one the same morning.
    windows = sorted(
        rule_value(key)
        for key in ("enforcement.expiry_notice_days_first", "enforcement.expiry_notice_days_second")
    )
    told: set[int] = set()
    for days in windows:
        # Every valid certificate expiring within the window gets this notice once (keyed).
        window = Certificate.objects.filter(
            status=Certificate.Status.VALID,
            expiry_date__gte=today,
            expiry_date__lte=today + datetime.timedelta(days=days),
        ).select_related("officer__unit", "officer__user")
        for cert in window:
            if cert.pk in told:
                continue
            told.add(cert.pk)
            users = list(unit_users([cert.officer.unit_id]))
            if cert.officer.user:
                users.append(cert.officer.user)
            message = Message(
                key=f"cert-expiry:{cert.pk}:{days}:{cert.expiry_date}",
                title=f"{cert.officer.name}的执法证将于 {cert.expiry_date:%Y-%m-%d} 到期",
                body=f"证号 {cert.number};请及时办理换证,到期后不得从事执法活动。",
                url=cert.get_absolute_url(),
                urgent=days <= 30,
            )
            sent += len(notify(users, message))
    return f"证件到期提醒 {sent} 条"


@periodic("enforcement.training_plans", title="培训计划报送提醒", at=datetime.time(8, 45))
def training_plans() -> str:
    """From the month before the due month: remind units with officers that have not filed."""
    today = timezone.localdate()
    month = rule_value("enforcement.training_plan_month")
    if not is_workday(today) or today.month not in {max(1, month - 1), month, month % 12 + 1}:
        return "不在提醒期"
    year = today.year
    filed = set(TrainingPlan.objects.filter(year=year).values_list("unit_id", flat=True))
    units = (
        set(Officer.objects.filter(status=Officer.Status.ON_DUTY).values_list("unit_id", flat=True))
        - filed
    )
    sent = 0
    week = today.isocalendar()[1]
    for unit_id in units:
        sent += len(
            notify(
                unit_users([unit_id]),
                Message(
                    key=f"training-plan:{year}:u{unit_id}:w{week}",
                    title=f"请报送{year}年度执法人员培训计划",
                    body=f"按规定应于{month}月底前报区司法局备案。",
                    url="/enforcement/training/",
                ),
            )
        )
    return f"培训计划提醒 {sent} 条"
