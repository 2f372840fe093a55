import pytest
from django.urls import (
    NoReverseMatch,
    clear_script_prefix,
    get_resolver,
    reverse,
    set_script_prefix,
)

from oversight.core.links import asset_url, fixed_url, object_url


def _fixed_routes(patterns, namespace=""):
    """Every named route without arguments."""
    from django.urls import URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _fixed_routes(p.url_patterns, inner)
        elif p.name and not p.pattern.converters and not p.pattern.regex.groups:
            yield namespace + p.name


def _id_routes(patterns, namespace=""):
    """Every named route whose only argument is an `<int:pk>`."""
    from django.urls import URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _id_routes(p.url_patterns, inner)
        elif (
            p.name
            and list(p.pattern.converters) == ["pk"]
            and not p.default_args
            and type(p.pattern.converters["pk"]).__name__ == "IntConverter"
        ):
            yield namespace + p.name


@pytest.mark.parametrize("prefix", ["/", "/zhifa/"])
def test_object_url_is_what_reverse_gives_for_every_id_route(prefix):
    names = sorted(set(_id_routes(get_resolver().url_patterns)))
    assert len(names) > 50
    set_script_prefix(prefix)
    try:
        for name in names:
            for pk in (1, 7, 918273645, 2**31 + 5):
                assert object_url(name, pk) == reverse(name, args=[pk]), name
        # The address follows the prefix it is asked under, not the first one it was made under.
        assert object_url("cases:case_detail", 3).startswith(prefix)
    finally:
        clear_script_prefix()


def test_object_url_refuses_what_it_cannot_make():
    with pytest.raises(NoReverseMatch):
        object_url("cases:case_detail", None)
    with pytest.raises(NoReverseMatch):
        object_url("cases:no_such_route", 1)
    with pytest.raises(NoReverseMatch):
        object_url("core:job_detail", 1)  # a uuid route


def test_models_link_through_it():
    from oversight.cases.models import Case
    from oversight.organisations.models import Unit

    assert Unit(pk=12).get_absolute_url() == reverse("organisations:unit_detail", args=[12])
    assert Case(pk=5).get_absolute_url() == reverse("cases:case_detail", args=[5])


@pytest.mark.parametrize("prefix", ["/", "/zhifa/"])
def test_fixed_url_is_what_reverse_gives_for_every_route_without_arguments(prefix):
    names = sorted(set(_fixed_routes(get_resolver().url_patterns)))
    assert len(names) > 50 and "core:home" in names
    set_script_prefix(prefix)
    try:
        for name in names:
            assert fixed_url(name) == reverse(name), name
        assert fixed_url("core:home") == prefix
    finally:
        clear_script_prefix()
    with pytest.raises(NoReverseMatch):
        fixed_url("core:no_such_route")


@pytest.mark.parametrize("prefix", ["/", "/zhifa/"])
def test_asset_url_is_what_static_gives(prefix, settings):
    from django.templatetags.static import static

    set_script_prefix(prefix)
    try:
        for path in ("css/oversight.css", "js/app.js", "vendor/htmx/htmx.min.js"):
            assert asset_url(path) == static(path), path
        settings.STATIC_URL = "/assets/"  # a changed setting is seen, not the address kept before
        assert asset_url("js/app.js") == static("js/app.js") == "/assets/js/app.js"
    finally:
        clear_script_prefix()


def test_the_layouts_print_what_url_and_static_print():
    from django.template import engines

    django_engine = engines["django"]
    ours = django_engine.from_string(
        "{% load oversight %}{% fixed_url 'accounts:logout' %}|{% asset 'js/app.js' %}"
    )
    theirs = django_engine.from_string(
        "{% load static %}{% url 'accounts:logout' %}|{% static 'js/app.js' %}"
    )
    assert ours.render({}) == theirs.render({})
