import json

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

SELECTS = {"select", "selectmultiple", "nullbooleanselect"}


@register.filter
def bs(field, extra: str = ""):
    """Render a form field's widget with Bootstrap classes and its error state."""
    css = "form-select" if field.widget_type in SELECTS else "form-control"
    if extra:
        css += f" {extra}"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def to_json(value):
    return mark_safe(json.dumps(value, ensure_ascii=False).replace("</", "<\\/"))
