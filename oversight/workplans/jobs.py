"""Periodic work of the loop: lights whose date came, dated reminders, escalation to 督办函."""

import datetime

from django.utils import timezone

from oversight.core.scheduler import periodic

from .notify import ensure_default_rules, run_reminders
from .services.lights import lights_due


@periodic("workplans.lights", title="任务亮灯判定", every=datetime.timedelta(minutes=15))
def lights() -> str:
    # A light changes with the date only on the day stored with it: only those are read.
    return f"重新判定亮灯 {lights_due(today=timezone.localdate())} 项"


@periodic("workplans.reminders", title="任务提醒与督办函建议", every=datetime.timedelta(minutes=30))
def reminders() -> str:
    # Keys make repeated evaluation harmless: a reminder for a day goes out once.
    ensure_default_rules()
    counts = run_reminders(timezone.localdate())
    return f"提醒 {counts['reminders']} 条,建议督办函 {counts['letters']} 份"
