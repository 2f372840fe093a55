import pytest
from django.urls import (
    NoReverseMatch,
    clear_script_prefix,
    get_resolver,
    reverse,
    set_script_prefix,
)

from oversight.core.links import object_url


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
