from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "oversight.notices"
    label = "notices"
    verbose_name = "通知导入"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (grants this app's capabilities)
