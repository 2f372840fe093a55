from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oversight.cases"
    label = "cases"
    verbose_name = "执法案件与检查"

    def ready(self) -> None:
        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)
