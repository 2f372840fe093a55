from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oversight.core"
    label = "core"
    verbose_name = "平台内核"

    def ready(self) -> None:
        # Every date typed into a form or a filter is checked against the platform's date range
        # (a 9999-12-31 would overflow the working-day arithmetic and answer with a 500).
        # Set once on the field classes, so no form, filter or future app can forget it.
        from django import forms

        from .validation import validate_platform_date

        for field in (forms.DateField, forms.DateTimeField):
            field.default_validators = [*field.default_validators, validate_platform_date]
