"""The form renderer writes plain inputs and text areas as Django's templates write them."""

import datetime
from decimal import Decimal
from pathlib import Path
from unittest import mock

import django
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from oversight.core.renderers import INPUT_TEMPLATES, WidgetRenderer

HOSTILE = "<b>\"x\" & 'y'</b>"


class EveryInput(forms.Form):
    text = forms.CharField(label="名称", max_length=20, help_text="不超过二十字")
    number = forms.IntegerField(required=False, min_value=0)
    amount = forms.DecimalField(required=False, max_digits=8, decimal_places=2)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    kept = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    at = forms.TimeField(required=False)
    search = forms.CharField(required=False, widget=forms.SearchInput)
    phone = forms.CharField(required=False, widget=forms.TelInput)
    colour = forms.CharField(required=False, widget=forms.ColorInput)
    agreed = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    odd = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": gettext_lazy("请输入"),
                "data-safe": mark_safe("<i>已转义</i>"),
                "data-text": HOSTILE,
                "data-none": None,
                "data-off": False,
                "autofocus": True,
                "maxlength": 7,
                "data-one": (5,),
                "data-pair": (1, 2),
            }
        ),
    )


def _both(form: forms.Form) -> list[tuple[str, str]]:
    """Each field rendered by Django's renderer and by ours."""
    pairs = []
    for name in form.fields:
        form.renderer = DjangoTemplates()
        expected = str(form[name])
        form.renderer = WidgetRenderer()
        pairs.append((expected, str(form[name])))
    return pairs


DATA = [
    {},
    {"text": HOSTILE, "number": "0", "amount": "12.50", "email": "a@b.cn", "url": "http://x.cn/?a=1&b=2",
     "secret": HOSTILE, "kept": HOSTILE, "hidden": "  ", "day": "2026-02-30", "when": "2026-12-02 08:00",
     "at": "8:00", "search": "查询", "phone": "12345", "colour": "#ff0000", "agreed": "on",
     "note": "第一行\n第二行 <script>", "odd": "&amp;"},
    {"text": "", "number": "壹", "amount": "x", "agreed": "", "note": ""},
]  # fmt: skip


@pytest.mark.parametrize("data", DATA)
def test_every_plain_input_renders_as_django_renders_it(data):
    form = EveryInput(data) if data else EveryInput()
    if data:
        form.is_valid()  # errors add aria attributes
    for expected, written in _both(form):
        assert written == expected


def test_initial_values_of_every_kind_render_as_django_renders_them():
    form = EveryInput(
        initial={
            "text": mark_safe("<em>安全</em>"), "number": 0, "amount": Decimal("3.10"),
            "day": datetime.date(2026, 12, 2), "when": datetime.datetime(2026, 12, 2, 8, 30),
            "at": datetime.time(8, 5), "agreed": True, "note": HOSTILE, "hidden": 7,
        }
    )  # fmt: skip
    for expected, written in _both(form):
        assert written == expected


def test_plain_inputs_are_written_without_the_templates():
    form = EveryInput({"text": HOSTILE, "note": "备注"})
    form.is_valid()
    form.renderer = WidgetRenderer()
    with mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError("模板")):
        written = [str(form[name]) for name in ("text", "secret", "day", "agreed", "note")]
    assert written[0].startswith('<input type="text" name="text" value="&lt;b&gt;&quot;x&quot;')
    assert written[4] == ('<textarea name="note" cols="40" rows="3" id="id_note">\n备注</textarea>')


def test_what_is_not_plain_goes_through_the_templates():
    renderer = WidgetRenderer()
    widget = forms.TextInput()
    context = widget.get_context("n", None, {"data-call": lambda: "调用"})
    assert renderer.render("django/forms/widgets/text.html", context) == (
        '<input type="text" name="n" data-call="调用">'
    )
    context = forms.Textarea().get_context("n", 5, {})  # a number the template would localise
    assert "5</textarea>" in renderer.render("django/forms/widgets/textarea.html", context)
    select = forms.Select(choices=[("1", "一")]).get_context("s", "1", {})
    assert '<option value="1" selected>一</option>' in renderer.render(
        "django/forms/widgets/select.html", select
    )


def test_the_templates_written_here_are_still_django_plain_input():
    # A Django upgrade that gives any of these templates more than the plain input shows here.
    root = Path(django.__file__).parent / "forms" / "templates"
    for name in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        assert (root / name).read_text().strip() == (
            '{% include "django/forms/widgets/input.html" %}'
        ), name
    assert (root / "django/forms/widgets/input.html").read_text().strip() == (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>'
    )
    assert (root / "django/forms/widgets/attrs.html").read_text().strip() == (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    )
    assert (root / "django/forms/widgets/textarea.html").read_text().strip() == (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>"
    )


def test_the_platform_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "oversight.core.renderers.WidgetRenderer"
    assert isinstance(EveryInput().renderer, WidgetRenderer)
