from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "oversight.organisations"
    label = "organisations"
    verbose_name = "单位"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (grants this app's capabilities)
