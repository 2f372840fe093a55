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
        _bound_model_choice_ids()
        from django.db.backends.signals import connection_created

        from .pgtypes import install

        connection_created.connect(install, dispatch_uid="oversight.core.pgtypes")


def _bound_model_choice_ids() -> None:
    """A chosen id larger than any database id (a tampered form or filter) is an invalid choice,
    not a database error: Django's model choice fields pass it to the database as it is."""
    from django import forms

    from .params import MAX_ID

    def out_of_range(value) -> bool:
        text = str(value).strip()
        return text.lstrip("-").isdigit() and abs(int(text)) > MAX_ID

    single_to_python = forms.ModelChoiceField.to_python

    def to_python(self, value):
        if value not in self.empty_values and out_of_range(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return single_to_python(self, value)

    multiple_check = forms.ModelMultipleChoiceField._check_values

    def check_values(self, value):
        for item in value or ():
            if out_of_range(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:30]},
                )
        return multiple_check(self, value)

    forms.ModelChoiceField.to_python = to_python
    forms.ModelMultipleChoiceField._check_values = check_values
