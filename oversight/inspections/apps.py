from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "oversight.inspections"
    label = "inspections"
    verbose_name = "涉企检查与双随机抽查"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (the rules of this app)
