from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "oversight.workplans"
    label = "workplans"
    verbose_name = "工作计划"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from oversight.core.models import CalendarDay, CalendarYear, Rule

        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)

        # Warning windows, reporting limits and working days decide lights: when a rule of this
        # app or the calendar changes, every stored light is decided again.
        post_save.connect(_after_rule_change, sender=Rule, dispatch_uid="workplans-rule-change")
        for sender in (CalendarDay, CalendarYear):
            post_save.connect(
                _relight_all, sender=sender, dispatch_uid=f"workplans-{sender.__name__}"
            )
        post_delete.connect(_relight_all, sender=CalendarDay, dispatch_uid="workplans-day-delete")


def _after_rule_change(sender, instance, **kwargs) -> None:
    if instance.key.startswith("workplans."):
        _relight_all(sender, instance)


def _relight_all(sender, instance, **kwargs) -> None:
    """Every light is to be decided again: a background job does it now, with progress for whoever
    made the change; pages decide what they show first, and the scheduler takes the rest."""
    from django.contrib.auth import get_user_model

    from oversight.core import background
    from oversight.core.context import current
    from oversight.core.models import Job

    from .services.lights import lights_invalidate
    from .tasks import relight_all

    if not lights_invalidate():
        return
    waiting = Job.objects.filter(
        kind="workplans.lights", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    )
    if waiting.exists():
        return
    actor = current()
    user = get_user_model().objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if user is None and not actor.system:
        return
    background.start(
        kind="workplans.lights",
        title="规则或工作日历调整后重新判定任务亮灯",
        task=relight_all,
        user=user,
    )
