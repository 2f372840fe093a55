"""Filters and settings that render faster than Django's own must render the same text: the `bs`
filter's select, `clip`, `ymd`, and pages rendered with localisation off (settings carry zh-hans's
formats)."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation
from django.utils.safestring import mark_safe

from oversight.core.templatetags.oversight import bs


class Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "全部"), ("x", "甲<乙>&丙"), ("y", "丁")], required=False
    )
    grouped = forms.ChoiceField(
        choices=[
            ("分组", [("1", "一"), ("2", "二")]),
            ("3", "三"),
            ("4\"'", mark_safe("<b>四</b>")),
        ]
    )
    typed = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int, help_text="说明")
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], required=False)
    twice = forms.ChoiceField(
        choices=[("", "全部"), ("a", "甲"), ("a", "又一个甲")], required=False
    )


def _norm(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_a_select_renders_as_django_renders_it():
    for data in (
        {"plain": "x", "grouped": "2", "typed": "2", "twice": "a", "many": ["a", "b"]},
        {"grouped": "9", "many": ["b", "z"]},
        None,
    ):
        form = Choices(data=data)
        form.is_valid()
        for name in ("plain", "grouped", "typed", "many", "twice"):
            field = form[name]
            css = "form-select" + (" is-invalid" if field.errors else "")
            expected = field.as_widget(attrs={"class": css})
            assert _norm(str(bs(field))) == _norm(expected), name
    assert "甲&lt;乙&gt;&amp;丙" in str(bs(Choices()["plain"]))
    many = str(bs(Choices(data={"many": ["a", "b"]})["many"]))
    assert " multiple>" in many and many.count(" selected>") == 2


@pytest.mark.django_db
def test_a_select_of_model_choices_renders_as_django_renders_it_from_one_plain_read(actors):
    from django.db.models import QuerySet

    from oversight.organisations.models import Unit

    class Units(forms.Form):
        unit = forms.ModelChoiceField(Unit.objects.order_by("pk"), required=False)
        lead = forms.ModelChoiceField(Unit.objects.order_by("-pk"), empty_label=None)
        some = forms.ModelMultipleChoiceField(Unit.objects.order_by("pk"), required=False)

    chosen_two = [str(actors.unit_a.pk), str(actors.unit_b.pk)]
    for data in ({"unit": str(actors.unit_a.pk), "lead": "0", "some": chosen_two}, None):
        form = Units(data=data)
        form.is_valid()
        for name in ("unit", "lead", "some"):
            field = form[name]
            css = "form-select" + (" is-invalid" if field.errors else "")
            expected = field.as_widget(attrs={"class": css})
            with (
                mock.patch.object(QuerySet, "iterator", side_effect=AssertionError("游标")),
                mock.patch.object(Unit, "from_db", side_effect=AssertionError("记录")),
            ):
                rendered = str(bs(field))
            assert _norm(rendered) == _norm(expected), name
            assert rendered.count("<option") == Unit.objects.count() + (name == "unit")
    chosen = str(bs(Units(data={"unit": str(actors.unit_a.pk)})["unit"]))
    assert (
        f'<option value="{actors.unit_a.pk}" selected>{actors.unit_a.short_name}</option>' in chosen
    )


@pytest.mark.django_db
def test_a_select_of_records_named_otherwise_is_made_from_the_records(actors):
    from oversight.organisations.models import Unit

    class Named(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{obj.short_name}({obj.pk})"

    class Units(forms.Form):
        named = Named(Unit.objects.order_by("pk"))
        keyed = forms.ModelChoiceField(Unit.objects.order_by("pk"), to_field_name="name")
        relabelled = forms.ModelChoiceField(Unit.objects.order_by("pk"))

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["relabelled"].label_from_instance = lambda obj: f"[{obj.name}]"

    form = Units()
    for name in ("named", "keyed", "relabelled"):
        expected = form[name].as_widget(attrs={"class": "form-select"})
        assert _norm(str(bs(form[name]))) == _norm(expected), name
    assert f"{actors.unit_a.short_name}({actors.unit_a.pk})" in str(bs(form["named"]))
    assert f"[{actors.unit_a.name}]" in str(bs(form["relabelled"]))


def test_a_record_named_by_its_label_field_is_that_column():
    # `label_field` lets selects read names as columns: it must be what `str()` gives.
    from django.apps import apps

    named = [m for m in apps.get_models() if getattr(m, "label_field", None)]
    assert {m.__name__ for m in named} >= {"Unit", "Plan", "Officer"}
    for model in named:
        assert str(model(**{model.label_field: "名称甲"})) == "名称甲", model


def test_clip_cuts_as_truncatechars_does():
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


def test_ymd_prints_what_the_date_filter_prints():
    utc = datetime.UTC
    values = [
        datetime.date(2024, 3, 1),
        datetime.date(987, 12, 31),
        # 20:30 UTC on New Year's Eve is already 1 January in Shanghai.
        datetime.datetime(2024, 12, 31, 20, 30, tzinfo=utc),
        datetime.datetime(2024, 12, 31, 15, 59, tzinfo=utc),
        None,
        "",
        "不是日期",
    ]
    django_way = Template('{{ v|date:"Y-m-d" }}')
    ours = Template("{% load oversight %}{{ v|ymd }}")
    for value in values:
        expected = django_way.render(Context({"v": value}))
        assert ours.render(Context({"v": value})) == expected, value
    assert ours.render(Context({"v": values[2]})) == "2025-01-01"
    # Other numeric patterns, on moments (and dates where the pattern has no time in it).
    for pattern in (
        "m-d",
        "Y-m-d H:i",
        "m-d H:i",
        "H:i",
        "Y-m-d H:i:s",
        "H:i:s",
        "Y/m/d",
        "Y年m月",
    ):
        django_way = Template(f'{{{{ v|date:"{pattern}" }}}}')
        ours = Template(f'{{% load oversight %}}{{{{ v|ymd:"{pattern}" }}}}')
        timed = "H" in pattern
        for value in values:
            if timed and type(value) is datetime.date:
                continue  # Django's filter fails on these
            expected = django_way.render(Context({"v": value}))
            assert ours.render(Context({"v": value})) == expected, (pattern, value)
    moment = Context({"v": values[2]})
    assert Template('{% load oversight %}{{ v|ymd:"m-d H:i" }}').render(moment) == "01-01 04:30"
    # Patterns with other letters are Django's to print.
    assert Template('{% load oversight %}{{ v|ymd:"Y年n月j日" }}').render(moment) == "2025年1月1日"


@pytest.mark.parametrize(
    "value",
    [
        7,
        123456789,
        -3,
        85.5,  # rates are rounded to one place: Python prints them as zh-hans does
        round(100 / 3, 1),
        0.0,
        Decimal("12.50"),
        Decimal("5000.00"),
        True,
        datetime.date(2024, 3, 1),
        datetime.datetime(2024, 3, 1, 1, 5, tzinfo=datetime.UTC),
        datetime.time(9, 30),
    ],
)
def test_pages_print_values_without_localisation_as_zh_hans_prints_them(value):
    """base.html renders with `{% localize off %}`: what a value prints then comes from settings,
    which must say what Django's zh-hans formats say."""
    localised = Template("{{ v }}")
    plain = Template("{% load l10n %}{% localize off %}{{ v }}{% endlocalize %}")
    with translation.override("zh-hans"):
        expected = localised.render(Context({"v": value}))
        assert plain.render(Context({"v": value})) == expected


def test_the_page_layouts_render_without_localisation():
    from django.template.loader import get_template

    for name in ("base.html", "portal/base_public.html"):
        source = get_template(name).template.source
        assert re.match(
            r"\{% load [a-z0-9_ ]*\bl10n\b[a-z0-9_ ]*%\}\{% localize off %\}", source
        ), name
        assert source.rstrip().endswith("{% endlocalize %}"), name


def test_route_gives_what_the_url_tag_gives():
    for name in ("workplans:report_form", "core:notification_open", "portal:draw"):
        for pk in (1, 42, 1234567):
            expected = Template(f"{{% url '{name}' pk %}}").render(Context({"pk": pk}))
            rendered = Template(f'{{% load oversight %}}{{{{ pk|route:"{name}" }}}}')
            assert rendered.render(Context({"pk": pk})) == expected


# -- memo: fragments kept under a digest of what they show ------------------------------------

MEMO = (
    "{% load oversight %}[{{ secret }}]"
    '{% memo "rows" rows=rows title=title %}<h1>{{ title }}</h1>'
    "{% for r in rows %}<p>{{ r.0 }}·{{ r.1|ymd }}·{{ secret }}</p>{% endfor %}{% endmemo %}"
)


@pytest.fixture
def memo_cache():
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def _memo(**values) -> str:
    return Template(MEMO).render(Context({"secret": "外", **values}))


def test_a_memo_fragment_is_rendered_once_for_the_same_values(memo_cache):
    from oversight.core.templatetags.oversight import memo_key

    rows = [("甲<乙>", datetime.date(2026, 3, 9)), ("丙", None)]
    first = _memo(rows=rows, title="标题")
    assert first == "[外]<h1>标题</h1><p>甲&lt;乙&gt;·2026-03-09·</p><p>丙··</p>"
    key = memo_key("rows", {"rows": rows, "title": "标题"})
    assert memo_cache.get(key) == first.removeprefix("[外]")
    memo_cache.set(key, "<p>存</p>")  # a second page with the same rows takes what was kept
    assert _memo(rows=list(rows), title="标题") == "[外]<p>存</p>"
    # Other rows, another title, or the same text marked safe render afresh.
    assert "丁" in _memo(rows=[("丁", None)], title="标题")
    assert "<h1>别</h1>" in _memo(rows=rows, title="别")
    assert _memo(rows=[(mark_safe("甲<乙>"), rows[0][1])], title="标题") != "[外]<p>存</p>"


def test_a_memo_fragment_sees_only_the_values_named_in_its_key(memo_cache):
    # `secret` is outside the key: inside the fragment it is empty, so it cannot go stale.
    assert "外</p>" not in _memo(rows=[("甲", None)], title="标题")


def test_a_memo_fragment_takes_plain_data_not_model_instances(memo_cache, actors):
    with pytest.raises(TypeError, match="请在视图中先整理成行"):
        _memo(rows=[(actors.unit_a, None)], title="标题")


def test_a_memo_fragment_never_keeps_a_form_token(memo_cache):
    token = '<input type="hidden" name="csrfmiddlewaretoken" value="x">'
    with pytest.raises(TemplateSyntaxError, match="表单令牌"):
        _memo(rows=[(mark_safe(token), None)], title="标题")


def test_a_memo_fragment_renders_when_the_cache_is_down(memo_cache):
    from unittest import mock

    with (
        mock.patch.object(memo_cache, "get", side_effect=ConnectionError),
        mock.patch.object(memo_cache, "set", side_effect=ConnectionError),
    ):
        assert _memo(rows=[("甲", None)], title="标题") == "[外]<h1>标题</h1><p>甲··</p>"
