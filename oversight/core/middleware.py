from . import context


def client_ip(request) -> str | None:
    # Behind nginx the real address arrives in X-Real-IP (docs/deploy.md sets it); REMOTE_ADDR
    # is then the proxy. X-Forwarded-For is not trusted: a client can forge it.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Gives every request an id and records where it comes from, for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = context.new_request_id()
        with context.acting_as(request_id=request.request_id, ip=client_ip(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class BindUserMiddleware:
    """After authentication: the acting user joins the request context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            context.bind_user(request.user)
        return self.get_response(request)
