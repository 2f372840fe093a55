from django.conf import settings

from .notifications import unread_count


def platform(request) -> dict:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "DISTRICT_NAME": settings.DISTRICT_NAME,
        "DEMO_MODE": settings.MODE == "demo",
        "unread_notifications": unread_count(user) if authenticated else 0,
    }
