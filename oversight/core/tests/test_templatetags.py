"""The `bs` filter renders a select itself (for speed): the markup must be Django's own."""

import re

from django import forms

from oversight.core.templatetags.oversight import bs


class Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "全部"), ("x", "甲<乙>&丙"), ("y", "丁")], required=False
    )
    grouped = forms.ChoiceField(choices=[("分组", [("1", "一"), ("2", "二")]), ("3", "三")])
    typed = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int, help_text="说明")
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], required=False)


def _norm(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_a_select_renders_as_django_renders_it():
    for data in ({"plain": "x", "grouped": "2", "typed": "2"}, {"grouped": "9"}, None):
        form = Choices(data=data)
        form.is_valid()
        for name in ("plain", "grouped", "typed", "many"):
            field = form[name]
            css = "form-select" + (" is-invalid" if field.errors else "")
            expected = field.as_widget(attrs={"class": css})
            assert _norm(str(bs(field))) == _norm(expected), name
    assert "甲&lt;乙&gt;&amp;丙" in str(bs(Choices()["plain"]))


def test_clip_cuts_as_truncatechars_does():
    from django.template import Context, Template
    from django.template.defaultfilters import truncatechars

    from oversight.core.templatetags.oversight import clip

    for text in ["", "短", "关于推进严格规范公正文明执法的实施意见", "abcdef", "一二三四五"]:
        for length in (1, 3, 5, 10, 40):
            django_cut = truncatechars(text, length)  # its ellipsis is the translation's ("...")
            cut = clip(text, length)
            assert len(cut) <= length
            assert (cut == text) is (django_cut == text)  # cut exactly when Django cuts
            if cut != text:
                assert cut == text[: length - 1] + "…"
    assert clip(12345678, "4") == "123…"  # numbers as text, the length as templates pass it
    rendered = Template("{% load oversight %}{{ s|clip:4 }}|{{ t|clip:4 }}").render(
        Context({"s": "<b>甲乙丙丁戊</b>", "t": "一二"})
    )
    assert rendered == "&lt;b&gt;…|一二"  # still escaped after cutting
