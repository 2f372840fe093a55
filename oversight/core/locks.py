"""Named locks held by a transaction, for work that two processes must not interleave."""

from __future__ import annotations

import hashlib

from django.db import transaction


def key(name: str) -> int:
    """A stable signed 64-bit number for the name (PostgreSQL's advisory-lock key)."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


def hold(name: str, *, using: str | None = None) -> None:
    """Wait until no other transaction holds `name`, then hold it until this one ends.

    PostgreSQL: a transaction-level advisory lock (`pg_advisory_xact_lock`), shared by every
    process and machine on the database. SQLite lets one writer at a time anyway and runs on one
    machine only, so there is nothing to take."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        raise RuntimeError("locks.hold() 须在事务中调用")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key(name)])
