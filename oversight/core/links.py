"""An object's address, worked out once per route rather than once per row.

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
