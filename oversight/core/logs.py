"""Log records that say which request and which person they belong to, as text or as JSON.

`LOG_FORMAT=json` (settings) writes one JSON object per line, for a log collector gathering the
lines of several nodes: time (ISO 8601 with its offset), level, logger, message, the request id
(the `X-Request-ID` header of the response, and of nginx's log when it passes one in), the user,
the process, and the traceback of an error. `LOG_REQUESTS=true` adds one line per request
(method, path, route, status, milliseconds) under the logger `oversight.requests`.
"""

from __future__ import annotations

import datetime
import json
import logging
import os

from . import context

requests_log = logging.getLogger("oversight.requests")


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `username` of the running request or job to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        actor = context.current()
        record.request_id = actor.request_id or "-"
        record.username = actor.username or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.datetime.fromtimestamp(record.created).astimezone()
        data = {
            "time": moment.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "username", "-"),
            "process": record.process,
            "host": _HOST,
        }
        for name in ("method", "path", "route", "status", "ms"):
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


_HOST = os.uname().nodename


def log_request(request, response, seconds: float) -> None:
    """One line per request (when LOG_REQUESTS is on): what was asked and how it went."""
    if not requests_log.isEnabledFor(logging.INFO):
        return
    match = getattr(request, "resolver_match", None)
    requests_log.info(
        "%s %s %s %.0fms",
        request.method,
        request.path,
        response.status_code,
        seconds * 1000,
        extra={
            "method": request.method,
            "path": request.path,
            "route": match.view_name if match else "",
            "status": response.status_code,
            "ms": round(seconds * 1000, 1),
        },
    )
