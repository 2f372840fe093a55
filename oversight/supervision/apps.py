from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "oversight.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)
