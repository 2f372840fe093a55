"""A fixed-window counter per key in the cache: how often the public may submit or look up."""

from __future__ import annotations

from django.core.cache import cache


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under `key`; False once `limit` attempts fell in this `window` (seconds)."""
    name = f"throttle:{key}"
    if cache.add(name, 1, timeout=window):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window)
        return True
    return count <= limit
