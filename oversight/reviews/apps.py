from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "oversight.reviews"
    label = "reviews"
    verbose_name = "行政执法案卷评查"

    def ready(self) -> None:
        from . import permissions, rules  # noqa: F401  (capabilities and rules of this app)
        from .selectors import register_matter_source

        register_matter_source()
