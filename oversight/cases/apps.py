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
    from django.utils import timezone

    from .models import Case

    Case.objects.update(next_check_on=timezone.localdate())
