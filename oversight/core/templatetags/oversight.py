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


@register.filter
def light_badge(light):
    """A traffic light (anything with .code and .label) as a coloured dot and its name."""
    if light is None:
        return ""
    colours = {"red": "danger", "yellow": "warning", "green": "success"}
    return mark_safe(
        f'<span class="badge rounded-pill text-bg-{colours[light.code]} light-{light.code}" '
        f'data-light="{light.code}">{light.label}</span>'
    )


@register.filter
def status_badge(obj):
    """A status with a colour by its meaning, for assignments and reports."""
    status = getattr(obj, "status", "")
    if obj._meta.model_name == "report" and status == "returned":
        status = "report_returned"
    tone = {
        "issued": "secondary",
        "signed": "primary",
        "hand_back": "warning",
        "returned": "dark",
        "completion": "info",
        "completed": "success",
        "draft": "light",
        "pending_approval": "info",
        "submitted": "info",
        "accepted": "success",
        "pending": "warning",
        "approved": "success",
        "refused": "secondary",
        "proposed": "warning",
        "dismissed": "secondary",
        "report_returned": "danger",
        "valid": "success",
        "suspended": "warning",
        "withdrawn": "dark",
        "cancelled": "secondary",
    }.get(status, "secondary")
    text = "text-bg-light border" if tone == "light" else f"text-bg-{tone}"
    return mark_safe(f'<span class="badge {text}">{obj.get_status_display()}</span>')


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def make_choices(text: str):
    """ "a:甲,b:乙" → [("a", "甲"), ("b", "乙")], for small fixed selects in templates."""
    return [tuple(pair.split(":", 1)) for pair in text.split(",")]


@register.filter
def estimated(day) -> str:
    """A note after a deadline that falls in a year whose holiday arrangement is not published:
    its working days are estimated from the statutory holidays."""
    from oversight.core.calendar import year_is_known

    if day is None or not hasattr(day, "year") or year_is_known(day.year):
        return ""
    return "(按估算日历)"
