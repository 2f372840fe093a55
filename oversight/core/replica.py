"""Heavy read-only work on a read replica, when one is configured (`DATABASE_REPLICA_URL`).

What reads a lot and writes nothing — dashboards, the ledger, every list and its export, a draft
bulletin's figures — runs inside `heavy_reads()` (or a view decorated with `@reads_from_replica`). There the
router sends reads to the `replica` alias, except:

- inside a transaction on the primary (what is read there must be what is written there);
- for a browser that changed something in the last `REPLICA_PIN_SECONDS` (default 10): a replica
  lags behind its primary, and a person who just approved a report must see it approved on the
  next page. `PrimaryAfterWriteMiddleware` sets a cookie after every successful POST and reads it
  back. The cookie only ever sends reads to the primary, so a forged one gains nothing.

Writes always go to the primary (`default`). Without `DATABASE_REPLICA_URL` nothing changes.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "oversight_primary_until"

_heavy: ContextVar[bool] = ContextVar("oversight_heavy_reads", default=False)
_pinned: ContextVar[bool] = ContextVar("oversight_primary_pinned", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def heavy_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (see the module's rules)."""
    token = _heavy.set(True)
    try:
        yield
    finally:
        _heavy.reset(token)


def reads_from_replica(view):
    """A view (function or `as_view()`) whose GET reads only: its reads may go to the replica."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        with heavy_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaReadsMixin:
    """For a class-based view: its GET's reads may go to the replica."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return super().dispatch(request, *args, **kwargs)
        with heavy_reads():
            return super().dispatch(request, *args, **kwargs)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not (_heavy.get() and configured()) or _pinned.get():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class PrimaryAfterWriteMiddleware:
    """Reads go to the primary for a while after this browser changed something."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        try:
            until = float(request.COOKIES.get(PIN_COOKIE, "0"))
        except ValueError:
            until = 0.0
        token = _pinned.set(until > time.time())
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in {"GET", "HEAD", "OPTIONS"} and response.status_code < 400:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
