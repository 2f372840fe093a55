from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "oversight.enforcement"
    label = "enforcement"
    verbose_name = "执法主体与人员"

    def ready(self) -> None:
        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)
