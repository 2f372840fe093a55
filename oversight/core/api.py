"""REST API plumbing: one router, and the scoped viewset base every endpoint uses."""

from django.http import Http404
from rest_framework import permissions, routers, viewsets

from .roles import has_capability

router = routers.DefaultRouter()


class CapabilityPermission(permissions.BasePermission):
    message = "您的角色无权使用此接口。"

    def has_permission(self, request, view) -> bool:
        capability = getattr(view, "capability", None)
        if request.method not in permissions.SAFE_METHODS:
            capability = getattr(view, "write_capability", None) or capability
        return bool(request.user and request.user.is_authenticated) and (
            capability is None or has_capability(request.user, capability)
        )


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Reads only through `restrict(user, "view")`: an object out of scope is a 404, as in the UI."""

    capability: str | None = None
    permission_classes = [CapabilityPermission]

    def get_queryset(self):
        return self.queryset.model.objects.restrict(self.request.user, "view").order_by("pk")

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError) as exc:
            raise Http404 from exc


def discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("api")
