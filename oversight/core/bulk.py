"""Writing many rows' new values in one statement.

Django's `bulk_update` builds a `CASE WHEN id = … THEN …` expression per field and row; over
thousands of rows building it costs far more than the update. On PostgreSQL `update_rows` sends
one `UPDATE … FROM unnest(arrays)` per batch instead; elsewhere it falls back to `bulk_update`.
Callers pass only the rows whose values changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router

BATCH = 5000


def update_rows(model: type[models.Model], objs: Sequence[Any], fields: Sequence[str]):
    """Store `fields` of `objs` (existing rows of `model`) as the objects hold them. The objects
    may be model instances or plain rows with `pk` and the fields' attributes (cases.CaseRow)."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        # Django's bulk_update takes model instances: plain rows become minimal ones here (on
        # PostgreSQL the rows are written as they are, below).
        objs = [
            obj
            if isinstance(obj, model)
            else model(
                pk=obj.pk, **{f: getattr(obj, model._meta.get_field(f).attname) for f in fields}
            )
            for obj in objs
        ]
        if len(objs) == 1:
            obj = objs[0]
            model._base_manager.filter(pk=obj.pk).update(**{f: getattr(obj, f) for f in fields})
        else:
            model._base_manager.bulk_update(objs, fields, batch_size=500)
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    quote = connection.ops.quote_name
    arrays = ", ".join(
        f"%s::{field.rel_db_type(connection) if field.is_relation else field.db_type(connection)}[]"
        for field in [pk, *columns]
    )
    names = ", ".join(quote(c.column) for c in [pk, *columns])
    sets = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {sets} FROM unnest({arrays}) AS v({names})"
        f" WHERE t.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            chunk = objs[start : start + BATCH]
            params = [[obj.pk for obj in chunk]]
            for field in columns:
                params.append(
                    [
                        field.get_db_prep_save(getattr(obj, field.attname), connection)
                        for obj in chunk
                    ]
                )
            cursor.execute(sql, params)


def tidy_after_rewrite(model: type[models.Model]) -> str:
    """After every row of `model` was rewritten (all lights or checks decided again): on
    PostgreSQL, VACUUM (ANALYZE) the table at once, outside any transaction, so its indexes
    lose the old row versions (a partial index of undecided rows would otherwise hold one dead
    entry per row, and every page's freshness check would read them all) and the planner's
    statistics follow; ANALYZE alone inside a transaction. Autovacuum would do it later, or
    never where it is switched off. Returns what was done, for the job's log."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return "无需整理"
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {table}")
            return "ANALYZE"
        cursor.execute(f"VACUUM (ANALYZE) {table}")
        return "VACUUM (ANALYZE)"
