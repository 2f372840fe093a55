"""Health and readiness, for a load balancer or an orchestrator in front of several web nodes.

- `/healthz` (liveness): the process answers. Nothing else is asked, so a slow database never
  gets a healthy process restarted.
- `/readyz` (readiness): this node can serve now: the database answers, every migration this
  code knows is applied (a node started before `oversight setup` ran is kept out of rotation), the
  cache answers, and so does the read replica when one is configured. 200 when all hold, 503 otherwise, naming the check that failed; the cause
  goes to the log only (no versions, hosts or errors are shown to whoever asks).

Both are public, answer GET and HEAD only and are never cached.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

# Once every migration was found applied, this process does not ask again: migrations are not
# undone under a running node, and building the migration graph costs tens of milliseconds.
_migrated = False

_READABLE = {"ensure_ascii": False}  # the Chinese message as text, for whoever reads it by hand
CHECK_NAMES = {
    "database": "数据库",
    "migrations": "数据库迁移",
    "cache": "缓存",
    "replica": "只读副本",
}


def _database(alias: str = DEFAULT_DB_ALIAS) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _replica() -> None:
    from . import replica

    if replica.configured():
        _database(replica.REPLICA)


def _migrations() -> None:
    global _migrated
    if _migrated:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RuntimeError(f"{len(pending)} migrations not applied")
    _migrated = True


def _cache() -> None:
    key = f"readyz:{time.monotonic_ns()}"
    cache.set(key, 1, 10)
    if cache.get(key) != 1:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


CHECKS = {"database": _database, "migrations": _migrations, "cache": _cache, "replica": _replica}


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok", "message": "服务进程正常"}, json_dumps_params=_READABLE)


@never_cache
@require_safe
def readyz(request):
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "skipped"
            continue
        try:
            check()
            results[name] = "ok"
        except Exception:  # any failure makes the node unready; the cause goes to the log
            log.exception("readiness check %s failed", name)
            results[name] = "failed"
    failed = [CHECK_NAMES[name] for name, result in results.items() if result != "ok"]
    if failed:
        body = {"status": "unavailable", "message": "服务暂不可用：" + "、".join(failed) + "异常"}
        return JsonResponse({**body, "checks": results}, status=503, json_dumps_params=_READABLE)
    return JsonResponse(
        {"status": "ok", "message": "服务就绪", "checks": results}, json_dumps_params=_READABLE
    )
