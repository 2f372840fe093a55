import contextlib

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
        # working-day limits: every case is checked again by a background job.
        from django.db.models.signals import post_delete

        from oversight.core.models import CalendarDay, CalendarYear

        for sender in (CalendarDay, CalendarYear):
            post_save.connect(_recheck_all, sender=sender, dispatch_uid=f"cases-{sender.__name__}")
        post_delete.connect(_recheck_all, sender=CalendarDay, dispatch_uid="cases-calendar-delete")


def _recheck_after_rule_change(sender, instance, **kwargs) -> None:
    """A changed time limit or threshold applies to every case: a background job checks them all."""
    if instance.key.startswith("cases."):
        _recheck_all(sender, instance)


def _recheck_all(sender, instance, **kwargs) -> None:
    """Every case is checked again under the new rules or calendar, by a background job with
    progress for whoever made the change. The job and its ranges of case ids are recorded in one
    transaction, and no case row is written here (marking a million cases due took over a minute,
    in the request that saved the rule). While another re-check is under way, the new job takes
    only the cases that one had already passed: it checks the rest under the new rules anyway."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from oversight.core import background
    from oversight.core.context import acting_as_system, current
    from oversight.core.models import Job

    from . import rechecks
    from .models import Case, RecheckChunk
    from .tasks import recheck_all

    actor = current()
    user = get_user_model().objects.filter(pk=actor.user_id).first() if actor.user_id else None
    with transaction.atomic():
        if not Case.objects.exists():
            return
        active = list(
            Job.objects.select_for_update().filter(
                kind="cases.recheck", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
            )
        )
        spans = None  # every case
        if active:
            split = RecheckChunk.objects.filter(job__in=active).values_list("job_id", flat=True)
            if len(set(split.distinct())) < len(active):
                return  # a job not yet split checks every case when it starts
            spans = rechecks.passed(active)
            if not spans:
                return  # every case is still ahead of a re-check under way
        # A change made outside any user's or the platform's own work (a shell, a data load) is
        # still checked: the platform records the job as its own.
        quiet = user is None and not actor.system
        with acting_as_system("规则或工作日历调整") if quiet else contextlib.nullcontext():
            job = background.start(
                kind="cases.recheck",
                title="规则或工作日历调整后复查全部案件",
                task=recheck_all,
                user=user,
            )
            rechecks.split(job=job, today=timezone.localdate(), spans=spans)
