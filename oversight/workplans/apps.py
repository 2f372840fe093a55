from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "oversight.workplans"
    label = "workplans"
    verbose_name = "工作计划"

    def ready(self) -> None:
        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)
