"""Request plumbing: request ids and client addresses for the audit log, security headers, and a
first line of defence against input no page can use (control characters, malformed JSON)."""

from __future__ import annotations

import ipaddress
import re
import time

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError

from . import context
from .validation import INPUT_CONTROL_CHARS, LONE_SURROGATE, check_json_text


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _trusted(address: str | None) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    for entry in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request) -> str | None:
    """The client's address. X-Real-IP / X-Forwarded-For count only when the peer is one of the
    configured reverse proxies (TRUSTED_PROXIES); a malformed address is never used."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    if not _trusted(remote):
        return remote
    real = _valid_ip(request.META.get("HTTP_X_REAL_IP"))
    if real:
        return real
    # X-Forwarded-For: the right-most address that is not one of our proxies.
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _valid_ip(hop)
        if address is None:
            break
        if not _trusted(address):
            return address
    return remote


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_for(request) -> str:
    """The request's id: the one nginx passes in (`proxy_set_header X-Request-ID $request_id`)
    when it comes from a trusted proxy and looks like an id, so the proxy's log and ours name the
    same request; otherwise a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if (
        given
        and _REQUEST_ID.fullmatch(given)
        and _trusted(_valid_ip(request.META.get("REMOTE_ADDR")))
    ):
        return given
    return context.new_request_id()


class RequestContextMiddleware:
    """Gives every request an id and records where it comes from, for the audit log; counts and
    times it for the metrics and (LOG_REQUESTS) the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import metrics
        from .logs import log_request

        request.request_id = request_id_for(request)
        started = time.perf_counter()
        with context.acting_as(request_id=request.request_id, ip=client_ip(request)):
            context.set_via("页面")  # an API token says so itself when it authenticates
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            log_request(request, response, seconds)
        metrics.observe_request(request, response, seconds)
        response["X-Request-ID"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """The Content-Security-Policy (scripts only from this site) and related headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        return response


_JSON_TYPES = re.compile(r"^application/(.+\+)?json", re.I)


class InputSanityMiddleware:
    """Refuses, with a Chinese 400, input that no field of the platform accepts: control
    characters or lone surrogates in a query or form value, and JSON that is malformed, nested
    too deeply, holds a non-finite number or such a string. Stored text stays exportable and
    printable, and the database never sees what it cannot store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem:
            if request.path.startswith("/api/") or _JSON_TYPES.match(request.content_type or ""):
                return JsonResponse({"detail": problem}, status=400)
            return HttpResponseBadRequest(
                f"<!doctype html><meta charset=utf-8><title>请求有误</title><p>{problem}</p>".encode(),
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)

    def _problem(self, request) -> str | None:
        if _bad_values(request.GET):
            return "查询条件含有不可见的控制字符,请删除后重试。"
        if request.method not in {"POST", "PUT", "PATCH"}:
            return None
        if _JSON_TYPES.match(request.content_type or ""):
            try:
                text = request.body.decode("utf-8")
            except UnicodeDecodeError:
                return "请求内容不是有效的 UTF-8 编码。"
            return check_json_text(text) if text.strip() else None
        form_types = {"application/x-www-form-urlencoded", "multipart/form-data"}
        if request.content_type in form_types:
            try:
                bad = _bad_values(request.POST)
            except MultiPartParserError:
                return "上传的内容格式有误,请刷新页面后重新提交。"
            if bad:
                return "提交的内容含有不可见的控制字符(例如从其他系统复制而来),请删除后重新提交。"
        return None


def _bad_values(querydict) -> bool:
    for _key, values in querydict.lists():
        for value in values:
            if isinstance(value, str) and (
                INPUT_CONTROL_CHARS.search(value) or LONE_SURROGATE.search(value)
            ):
                return True
    return False


class IdRangeMiddleware:
    """An id in the URL larger than any database id (<int:pk> takes any digits) is a 404 before
    a view queries with it (SQLite and PostgreSQL both fail on such a number)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from .params import MAX_ID

        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404("对象不存在。")
        return None


class BindUserMiddleware:
    """After authentication: the acting user joins the request context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            context.bind_user(request.user)
        return self.get_response(request)
