"""Reading PostgreSQL timestamps at C speed.

Django 5.2 reads every `timestamptz` through its own loader, a subclass of psycopg's pure-Python
one (Django ticket #36960; psycopg's optimised loader cannot be subclassed): about 3 µs a value,
which is most of the cost of reading ten thousand assignments' timelines for a bulletin or a
million cases for a re-check. This loader hands the text to psycopg's optimised loader (the one the
default adapters map holds when psycopg's C extension is installed) and keeps Django's contract:
the value carries the connection's Django time zone (UTC when USE_TZ is on, as here). A value that
does not come back in that zone is set to it as Django's own loader does.
"""

from __future__ import annotations

import datetime
import functools

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid


@functools.lru_cache
def fast_timestamptz_loader(tz: datetime.tzinfo | None) -> type[Loader]:
    """The loader class for connections in zone `tz` (one class per zone, not per connection)."""
    optimised = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)

    class FastTzLoader(Loader):
        timezone = tz  # Django compares this with the connection's zone before each cursor

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._load = optimised(oid, context).load

        def load(self, data):
            value = self._load(data)
            if value.tzinfo is not tz:
                value = value.replace(tzinfo=tz)
            return value

    return FastTzLoader


def install(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: PostgreSQL connections read timestamps with the fast loader."""
    if connection.vendor != "postgresql":
        return
    loader = fast_timestamptz_loader(connection.timezone)
    connection.connection.adapters.register_loader("timestamptz", loader)
