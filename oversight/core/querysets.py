"""Permission scoping: every business queryset goes through `restrict(user, action)`.

In the spirit of NetBox's RestrictedQuerySet. A model says who may do what by implementing
`scope_q(user, action)`, returning a Q object for the rows in scope, or None for "nothing". The
queryset fails closed: an anonymous or inactive user, an unknown action or a model without a
policy gets `.none()`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Q
from django.db.models.query import ModelIterable, ValuesListIterable

from .roles import Role

ACTIONS = frozenset({"view", "add", "change", "delete"})


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> RestrictedQuerySet:
        if action not in ACTIONS:
            return self.none()
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        policy = getattr(self.model, "scope_q", None)
        if policy is None:
            return self.none()
        q = policy(user, action)
        if q is None:
            return self.none()
        return self.filter(q) if q else self.all()


class ScopedModel(models.Model):
    """Abstract base of business models: `objects` is restrictable; the default is no access."""

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, user, action: str) -> Q | None:
        return None


def unit_scope_q(user, action: str, path: str = "unit") -> Q | None:
    """The common policy of unit-owned records.

    Supervisors (区司法局) see and change the whole district; district leaders see it read-only;
    unit roles see and change their own units and the units below them. The separated admins see
    no business data.
    """

    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if Role.LEADER in roles and action == "view":
        return Q()
    q = None
    if roles & {Role.REPORTER, Role.UNIT_HEAD, Role.OFFICER}:
        unit_ids = user.scope_unit_ids
        if unit_ids:
            q = Q(**{f"{path}__in": unit_ids})
    return either(q, office_q(user, action, path))


def office_q(user, action: str, path: str = "unit") -> Q | None:
    """What a 司法所 reads: the records of the 街办 it is linked to (and of the units below it),
    read-only. None for everyone else."""
    if action != "view" or Role.JUSTICE_OFFICE not in user.role_codes:
        return None
    ids = user.supervised_unit_ids
    return Q(**{f"{path}__in": ids}) if ids else None


def either(*qs: Q | None) -> Q | None:
    """The union of the scopes that are not None (None when all are)."""
    found = [q for q in qs if q is not None]
    if not found:
        return None
    result = found[0]
    for q in found[1:]:
        result |= q
    return result


class InRows(models.Func):
    """`column IN (subquery)` as a filter that PostgreSQL can answer from an index when it is
    one side of an OR: there it is `column = ANY(ARRAY(subquery))`, the subquery run once (an
    InitPlan) and its ids looked up, where `IN (subquery)` under an OR is a filter on every row
    of the table. Elsewhere the plain `IN`. Combine with Q objects: `Q(unit__in=ids) |
    InRows("task", led)`."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column: str, rows: models.QuerySet) -> None:
        super().__init__(models.F(column), models.Subquery(rows.order_by()))

    def as_sql(self, compiler, connection, form: str = "{} IN {}", **extra):
        lhs, lhs_params = compiler.compile(self.source_expressions[0])
        rows, rows_params = compiler.compile(self.source_expressions[1])
        return form.format(lhs, rows), (*lhs_params, *rows_params)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, form="{} = ANY(ARRAY{})", **extra)


class JoinedText(models.Aggregate):
    """A text column's values joined with commas, in no given order: `STRING_AGG` on
    PostgreSQL, `GROUP_CONCAT` on SQLite. For short codes that hold no comma, read back with
    `split_joined`."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def split_joined(text: str | None) -> frozenset[str]:
    """The values `JoinedText` joined (none when there were no rows)."""
    return frozenset(text.split(",")) if text else frozenset()


def sees_own_acts_only(user) -> bool:
    """An officer with no unit role: reads only the enforcement acts they took part in."""
    roles = user.role_codes
    return (
        Role.OFFICER in roles
        and Role.SUPERVISOR not in roles
        and not roles & {Role.REPORTER, Role.UNIT_HEAD, Role.LEADER}
    )


def act_scope_q(user, action: str, path: str = "unit") -> Q | None:
    """The policy of enforcement acts (cases, inspections, draws): unit-owned, and an officer
    (with no unit role) sees the acts they took part in; a leader only reads."""
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if action == "view" and sees_own_acts_only(user):
        if path == "unit":
            return Q(officers__user=user)
        return None
    if action != "view" and Role.LEADER in roles and not roles & {Role.REPORTER, Role.UNIT_HEAD}:
        return None
    return unit_scope_q(user, action, path=path)


def count_rows(**querysets: models.QuerySet) -> dict[str, int]:
    """How many rows each queryset has, in one statement: a dashboard's separate counts of
    different tables (`SELECT (SELECT COUNT(*) FROM (…)), …`), each query as the ORM writes it,
    its scope included. All querysets must use the same database."""
    aliases = {qs.db for qs in querysets.values()}
    if len(aliases) != 1:
        raise ValueError("count_rows: every queryset must use one database")
    parts, params = [], []
    for qs in querysets.values():
        try:
            sql, qs_params = qs.order_by().query.sql_with_params()
        except EmptyResultSet:  # .none(): out of the user's scope
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(qs_params)
    with connections[aliases.pop()].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def _converts(compiler) -> bool:
    """Whether Django converts what the driver returns for a compiled query's columns."""
    return bool(
        compiler.get_converters(
            [expression for expression, _, _ in compiler.select[: compiler.col_count]]
        )
    )


def plain_rows(qs: models.QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset as the database driver returns them, skipping
    Django's per-row iterator (a third of the cost of reading hundreds of thousands of narrow
    rows) when no column needs converting — PostgreSQL's numbers, text and dates; through the
    queryset otherwise (SQLite's dates, a JSON column), so the values are the same either way."""
    if (
        qs._iterable_class is not ValuesListIterable  # instances, dicts, flat or named rows
        or qs.query.extra_select
    ):
        return list(qs)
    compiler = qs.query.get_compiler(qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    if _converts(compiler):
        return list(qs)
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# A key's stand-in while a statement is compiled: inside every integer column's range (Django
# answers an out-of-range lookup with no statement at all), never an id.
_MARKER = -2_140_000_000


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (position among the parameters, which key)
    model: type[models.Model] | None  # instances of it, or the rows as they are
    names: tuple[str, ...]


class Statement:
    """A query the ORM writes once per database and that runs again with other keys.

    Django compiles a queryset into SQL every time it runs it: about half a millisecond a
    statement here, more than PostgreSQL takes to find a few rows by an indexed key. A statement
    run for every case checked, with only its ids changing, is built once by `build(*keys)` with
    stand-ins for its integer keys (`filter(case_id=key)`), compiled, and run afterwards with the
    keys in their stand-ins' places. `build` returns `values_list` rows (annotations and columns
    of related rows among them) or instances of one model (no `select_related`, annotations or
    deferred fields).

    Where the statement would not be the same SQL for other keys, or the ORM converts what the
    driver returns (SQLite's dates, an encrypted or JSON column), the query is built and run
    through the ORM each time, so the result is the same either way."""

    def __init__(self, build: Callable[..., models.QuerySet]) -> None:
        self.build = build
        self.arity = build.__code__.co_argcount
        self._plans: dict[str, _Plan | None] = {}

    def __call__(self, *keys: int, using: str = DEFAULT_DB_ALIAS) -> list:
        if len(keys) != self.arity:
            raise TypeError(f"这条语句需要 {self.arity} 个键，收到 {len(keys)} 个。")
        keys = tuple(operator.index(key) for key in keys)  # ids, never text bound as a key
        try:
            plan = self._plans[using]
        except KeyError:
            plan = self._plans[using] = self._compile(using)
        if plan is None:
            return list(self.build(*keys).using(using))
        params = list(plan.params)
        for position, key in plan.slots:
            params[position] = keys[key]
        with connections[using].cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.model is None:
            return rows
        from_db = plan.model.from_db
        return [from_db(using, plan.names, row) for row in rows]

    def _compile(self, using: str) -> _Plan | None:
        markers = [_MARKER - i for i in range(self.arity)]
        qs = self.build(*markers).using(using)
        query = qs.query
        if query.extra_select or qs._known_related_objects:
            return None
        model, names = None, ()
        if qs._iterable_class is ModelIterable:
            if (
                query.select_related
                or query.annotation_select
                or query.deferred_loading != (frozenset(), True)
            ):
                return None
            model = qs.model
            names = tuple(f.attname for f in model._meta.concrete_fields)
            qs = qs.values_list(*names)
        elif qs._iterable_class is not ValuesListIterable:
            return None
        compiler = qs.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        if _converts(compiler):
            return None
        slots = tuple(
            (position, markers.index(value))
            for position, value in enumerate(params)
            if type(value) is int and value in markers
        )
        if {key for _, key in slots} != set(range(self.arity)):
            return None  # a key that is not a parameter of the statement (folded into its text)
        return _Plan(sql, tuple(params), slots, model, names)
