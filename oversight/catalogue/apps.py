from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "oversight.catalogue"
    label = "catalogue"
    verbose_name = "行政执法事项清单"

    def ready(self) -> None:
        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)
