import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from oversight.core.middleware import client_ip
from oversight.core.rules import rule_value

from .models import LoginEvent

LAST_SEEN = "last_seen"
LAST_SEEN_STEP = 60  # seconds


class SessionIdleTimeoutMiddleware:
    """Ends a session after the configured idle minutes (security rule, default 30)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            idle_limit = rule_value("security.session_idle_minutes") * 60
            if last is not None and now - last > idle_limit:
                user = request.user
                logout(request)
                LoginEvent.objects.create(
                    username=user.username,
                    user=user,
                    outcome=LoginEvent.Outcome.TIMEOUT,
                    ip=client_ip(request),
                )
                messages.info(request, "长时间未操作,已自动退出,请重新登录。")
                if request.headers.get("HX-Request"):
                    response = self.get_response(request)
                    response["HX-Redirect"] = reverse("accounts:login")
                    return response
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if last is None or now - last >= LAST_SEEN_STEP:
                # Kept to the minute: the session is written once a minute at most, not on
                # every request (the limit is in minutes anyway).
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account created or reset by an administrator must change its password before anything else."""

    ALLOWED = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)
