from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oversight.cases"
    label = "cases"
    verbose_name = "执法案件与检查"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from oversight.core.models import Rule
        from oversight.enforcement.selectors import LAST_ACT_SOURCES

        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)
        from .selectors import officers_last_act

        # The clean-up of certificates asks for each officer's last act (no act for a year).
        if officers_last_act not in LAST_ACT_SOURCES:
            LAST_ACT_SOURCES.append(officers_last_act)

        from django.db.models.signals import post_migrate

        from .tallies import rebuild_if_missing

        post_migrate.connect(rebuild_if_missing, sender=self, dispatch_uid="cases-tallies")
        post_save.connect(_recheck_after_rule_change, sender=Rule, dispatch_uid="cases-rule-change")
        # A corrected calendar (a day entered by hand, a year loaded from a newer package) moves
        # working-day limits: every case is checked again on the next hourly run.
        from django.db.models.signals import post_delete

        from oversight.core.models import CalendarDay, CalendarYear

        for sender in (CalendarDay, CalendarYear):
            post_save.connect(_recheck_all, sender=sender, dispatch_uid=f"cases-{sender.__name__}")
        post_delete.connect(_recheck_all, sender=CalendarDay, dispatch_uid="cases-calendar-delete")


def _recheck_after_rule_change(sender, instance, **kwargs) -> None:
    """A changed time limit or threshold applies to every case: the hourly re-check takes them all."""
    if instance.key.startswith("cases."):
        _recheck_all(sender, instance)


def _recheck_all(sender, instance, **kwargs) -> None:
    """Every case is due again: a background job re-checks them now, with progress for whoever
    made the change (the hourly run would take them anyway, should no worker be running). The
    cases are marked due and the job recorded in one transaction: the hourly run, which gives
    way to a whole re-check, never finds the one without the other."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from oversight.core import background
    from oversight.core.context import current
    from oversight.core.models import Job

    from .models import Case
    from .tasks import recheck_all

    actor = current()
    user = get_user_model().objects.filter(pk=actor.user_id).first() if actor.user_id else None
    with transaction.atomic():
        if not Case.objects.update(next_check_on=timezone.localdate()):
            return
        waiting = Job.objects.filter(
            kind="cases.recheck", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        )
        if waiting.exists():
            return  # one already under way takes these too
        if user is None and not actor.system:
            return  # no one to report to: the hourly run re-checks them
        background.start(
            kind="cases.recheck",
            title="规则或工作日历调整后复查全部案件",
            task=recheck_all,
            user=user,
        )
