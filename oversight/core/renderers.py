"""The form renderer: Django's templates, with the plain inputs and text areas written directly.

Every page with a form or a list filter renders its inputs through Django's widget templates: an
`<input>` is two templates, a loop over its attributes and a filter and an escape per attribute.
Three inputs took 0.67 ms that way against 0.10 ms written directly, and a case's form (a dozen
dates and inputs) 47 ms of CPU against 33 ms. The widgets whose templates are the plain input
(text, number, date, password, hidden, checkbox and the rest that include `input.html`) and the
text area are written here from the same context, with the same escaping, giving the same markup
(`core/tests/test_renderers.py` compares them with Django's own rendering); anything unusual in
the context (a value that is not text, a callable) goes through the templates as before.
"""

from __future__ import annotations

import html
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
# Django's templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color", "checkbox", "file",
    )
)  # fmt: skip
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"


class Unusual(Exception):
    """The context holds something the templates would treat in a way not written here."""


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer; the plain input and text area widgets written directly."""

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        try:
            if template_name in INPUT_TEMPLATES:
                return _input(context["widget"])
            if template_name == TEXTAREA_TEMPLATE:
                return _textarea(context["widget"])
        except (Unusual, KeyError, TypeError, AttributeError):
            pass
        return super().render(template_name, context, request)


def _input(widget: dict[str, Any]) -> str:
    # input.html: type, name, the value unless None, then the attributes.
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict[str, Any]) -> str:
    # textarea.html: the value on the line after the tag, where it is not empty.
    value = widget["value"]
    if callable(value):
        raise Unusual
    body = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>'


def _attrs(attrs: dict[str, Any]) -> str:
    # attrs.html: False leaves the attribute out, True writes its name alone, anything else
    # (None included, as "None") is written through `stringformat:'s'`.
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _text(value: Any) -> str:
    """`{{ value }}` of a text: escaped unless already safe."""
    if not isinstance(value, str):
        raise Unusual  # numbers and dates would be localised by the template
    return value if isinstance(value, SafeData) else html.escape(value)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text (a tuple too; "" where that fails),
    escaped unless the value was safe (the filter keeps safety)."""
    if callable(value):
        raise Unusual  # the template would call it
    try:
        text = str(value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else html.escape(text)
