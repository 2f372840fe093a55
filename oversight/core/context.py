"""Who is acting, from where, in which request: read by the audit log.

Set by RequestContextMiddleware for web requests and by `acting_as()` for jobs and commands, so
services never need the request passed down to them.
"""

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorContext:
    user_id: int | None = None
    username: str = ""
    request_id: str = ""
    ip: str | None = None
    via: str = ""  # how the actor came in when not through the pages, e.g. an API token
    # The platform itself acts (a scheduled job, a command, the demo loader): services called
    # without a user are allowed only here, so a page or API call that forgets one fails closed.
    system: bool = False


_NOBODY = ActorContext()
_current: ContextVar[ActorContext] = ContextVar("oversight_actor", default=_NOBODY)


def current() -> ActorContext:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(
    *,
    user=None,
    username: str = "",
    request_id: str = "",
    ip: str | None = None,
    system: bool = False,
) -> Iterator[ActorContext]:
    ctx = ActorContext(
        user_id=getattr(user, "pk", None),
        username=username or getattr(user, "username", "") or "",
        request_id=request_id or new_request_id(),
        ip=ip,
        system=system and user is None,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def bind_user(user, *, via: str = "") -> None:
    """Attach the authenticated user (and how they came in) to the running request's context."""
    ctx = _current.get()
    _current.set(
        ActorContext(
            user_id=getattr(user, "pk", None),
            username=getattr(user, "username", "") or "",
            request_id=ctx.request_id,
            ip=ctx.ip,
            via=via or ctx.via,
        )  # never `system`: an authenticated request is a person
    )


def set_via(via: str) -> None:
    """How the running request's actor came in (页面, an API token)."""
    ctx = _current.get()
    _current.set(
        ActorContext(
            user_id=ctx.user_id,
            username=ctx.username,
            request_id=ctx.request_id,
            ip=ctx.ip,
            via=via,
            system=ctx.system,
        )
    )


def acting_as_system(label: str) -> contextlib.AbstractContextManager[ActorContext]:
    """The platform acting on its own (label: which job or command, for the audit log)."""
    return acting_as(username=label, system=True)


def require_actor(user) -> None:
    """First line of every service that takes a `user`: a service called without one runs only
    inside `acting_as_system` (jobs, commands, the demo loader). Anywhere else, a forgotten user
    would skip every permission check, so it is refused instead."""
    if user is None and not _current.get().system:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("服务调用未指明操作人:页面和接口必须传入当前用户。")


def require_capability(user, capability: str) -> None:
    """`require_actor`, and a real user must hold the capability (the system may do anything)."""
    require_actor(user)
    if user is not None:
        from django.core.exceptions import PermissionDenied

        from .roles import has_capability

        if not has_capability(user, capability):
            raise PermissionDenied("您的角色无权办理此事项。")
