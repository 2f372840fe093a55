"""Every service that writes leaves an audit entry: checked on every service call the suite makes.

Loaded by the root conftest. Each public function of the service modules is wrapped; the outermost
call records the SQL it runs, and a call that inserted, updated or deleted rows of a business
table without inserting an audit entry fails the test that made it, naming the service. A new
service that forgets `audit.record` therefore fails the first test that calls it.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import inspect
import re

import pytest
from django.db import connection

SERVICE_MODULES = [
    "oversight.accounts.services",
    "oversight.organisations.services",
    "oversight.notices.services",
    "oversight.workplans.services",
    "oversight.bulletins.services",
    "oversight.bulletins.evaluations",
    "oversight.enforcement.services",
    "oversight.cases.services",
    "oversight.cases.imports",
    "oversight.cases.rechecks",
    "oversight.inspections.services",
    "oversight.supervision.services",
    "oversight.supervision.imports",
    "oversight.reviews.services",
    "oversight.catalogue.services",
    "oversight.catalogue.imports",
    "oversight.catalogue.delegations",
    "oversight.inspections.imports",
    "oversight.enforcement.imports",
    "oversight.organisations.imports",
    "oversight.core.rules",
    "oversight.core.calendar",
]
# Not core.background: its runner calls the services, which are checked themselves (start is
# audited, test_background).

# Tables whose writes are bookkeeping, not a change of business or configuration data: the audit
# log itself, sessions, login events, notices sent, scheduler claims, document counters (the
# numbered document is audited), derived findings and lights recomputed from audited data, and
# the timeline rows written beside an audited change.
EXEMPT_TABLES = {
    "core_auditentry",
    "django_session",
    "accounts_loginevent",
    "core_notification",
    "organisations_robotpost",  # a notice's post to a group robot, queued beside the notice
    "core_scheduledjob",
    "core_scheduledrun",  # the scheduler's own record of its runs
    "core_documentcounter",
    "cases_finding",
    "cases_casetally",
    "cases_findingtally",
    "workplans_assignmentevent",
    "accounts_apitoken",
    "core_job",  # progress of work whose start is audited (background.start)
    "cases_recheckchunk",  # how far a derived re-check got (cases/rechecks.py)
    "django_tasks_db_dbtaskresult",  # the task queue's own rows
}
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+"?(\w+)"?', re.I)

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("audit_guard_depth", default=0)
_writes: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "audit_guard_writes", default=None
)
failures: list[str] = []


def _recorder(execute, sql, params, many, context):
    writes = _writes.get()
    if writes is not None:
        match = _WRITE.match(sql)
        if match:
            writes.append(match.group(2).lower())
    return execute(sql, params, many, context)


def _is_exempt(function) -> bool:
    return getattr(function, "audit_exempt", False)


def _wrap(module_name: str, name: str, function):
    @functools.wraps(function)
    def guarded(*args, **kwargs):
        depth = _depth.get()
        if depth:
            token = _depth.set(depth + 1)
            try:
                return function(*args, **kwargs)
            finally:
                _depth.reset(token)
        writes: list[str] = []
        tokens = (_depth.set(1), _writes.set(writes))
        try:
            with connection.execute_wrapper(_recorder):
                result = function(*args, **kwargs)
        finally:
            _writes.reset(tokens[1])
            _depth.reset(tokens[0])
        tables = {t for t in writes if t not in EXEMPT_TABLES}
        if tables and "core_auditentry" not in writes and not _is_exempt(function):
            failures.append(
                f"{module_name}.{name} 写入了 {', '.join(sorted(tables))} 却没有审计记录"
            )
        return result

    guarded.__wrapped_by_audit_guard__ = True
    return guarded


def install() -> None:
    for module_name in SERVICE_MODULES:
        module = importlib.import_module(module_name)
        for name, function in list(vars(module).items()):
            if (
                name.startswith("_")
                or not inspect.isfunction(function)
                # A services package re-exports its modules' functions: those count as its own.
                or not (
                    function.__module__ == module_name
                    or function.__module__.startswith(module_name + ".")
                )
                or getattr(function, "__wrapped_by_audit_guard__", False)
            ):
                continue
            setattr(module, name, _wrap(module_name, name, function))


@pytest.fixture(autouse=True)
def _every_write_is_audited():
    failures.clear()
    yield
    if failures:
        found = list(dict.fromkeys(failures))
        failures.clear()
        pytest.fail("每个写入数据的服务都必须记审计日志:\n" + "\n".join(found), pytrace=False)
