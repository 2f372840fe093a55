"""Permission scoping: every business queryset goes through `restrict(user, action)`.

In the spirit of NetBox's RestrictedQuerySet. A model says who may do what by implementing
`scope_q(user, action)`, returning a Q object for the rows in scope, or None for "nothing". The
queryset fails closed: an anonymous or inactive user, an unknown action or a model without a
policy gets `.none()`.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Q
from django.db.models.query import ValuesListIterable

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


def plain_rows(qs: models.QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset as the database driver returns them, skipping
    Django's per-row iterator (a third of the cost of reading hundreds of thousands of narrow
    rows) when no column needs converting — PostgreSQL's numbers, text and dates; through the
    queryset otherwise (SQLite's dates, a JSON column), so the values are the same either way."""
    if (
        qs._iterable_class is not ValuesListIterable  # instances, dicts, flat or named rows
        or qs.query.annotation_select  # columns Django reorders after reading
        or qs.query.extra_select
    ):
        return list(qs)
    compiler = qs.query.get_compiler(qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    if compiler.get_converters(
        [expression for expression, _, _ in compiler.select[: compiler.col_count]]
    ):
        return list(qs)
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
