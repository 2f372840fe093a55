"""An object's address, worked out once per route rather than once per row; the layout's fixed
addresses and static files, worked out once per process.

Django's `reverse` walks the resolver's dictionaries, each looked up by the active language
through a thread-local: about 0.1 ms a call on the development machine, and a list page calls it
for every row (a plan page 200 times: a sixth of the page). The rows of a list differ only in
their id, so the address is reversed once per route, script prefix and URL configuration with a
marker id, and each row's id is put where the marker was.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# A number no route has in its literal text (core/tests/test_navigation.py holds that no route
# has a literal number).
_MARKER = "918273645"


@functools.lru_cache(maxsize=512)
def _halves(root: str, urlconf: str | None, prefix: str, name: str) -> tuple[str, str]:
    # `prefix` and `root` are in the key only: reverse reads both itself.
    path = reverse(name, args=[int(_MARKER)], urlconf=urlconf)
    head, found, tail = path.partition(_MARKER)
    if not found or _MARKER in tail:
        raise ImproperlyConfigured(f"{name} 不是以一个整数编号为参数的路由\uff1a{path}")
    return head, tail


def object_url(name: str, pk: int) -> str:
    """The address of route `name` (an `<int:pk>` route) for object `pk`: the same as
    `reverse(name, args=[pk])`."""
    if pk is None:
        raise NoReverseMatch(f"{name}: the object has no id yet")
    head, tail = _halves(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), name)
    return f"{head}{int(pk)}{tail}"


@functools.lru_cache(maxsize=256)
def _fixed(root: str, urlconf: str | None, prefix: str, name: str) -> str:
    return reverse(name, urlconf=urlconf)


def fixed_url(name: str) -> str:
    """`reverse(name)` for a route without arguments, reversed once per route, script prefix and
    URL configuration: the layout links to the same few pages on every request (0.1–0.3 ms a
    `{% url %}`)."""
    return _fixed(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), name)


@functools.lru_cache(maxsize=256)
def asset_url(path: str) -> str:
    """`static(path)`, worked out once per file: the storage's address of a file does not change
    while a process runs (Django's storage fixes its base address when first used, and a new
    collectstatic means a restart); a changed setting in a test forgets them."""
    return static(path)


@receiver(setting_changed)
def _forget(setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT"}:
        asset_url.cache_clear()
