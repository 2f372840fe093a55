"""REST API plumbing: one router, and the scoped viewset base every endpoint uses."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from rest_framework import exceptions, permissions, routers, serializers, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from .roles import has_capability
from .validation import validate_platform_date

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


def call_service(func, **kwargs):
    """Run a service from an API view: its Chinese ValidationError becomes a 400 with the same
    fields, a refusal of scope a 404 (as on the pages)."""
    from django.core.exceptions import PermissionDenied
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.http import Http404
    from rest_framework.exceptions import ValidationError

    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        ) from exc
    except PermissionDenied as exc:
        raise Http404 from exc


def discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("api")


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to another object, looked up only inside the caller's scope: an id outside
    it reads as "does not exist", so no entry path can reference or reveal another unit's data."""

    default_error_messages = {
        "required": "该字段为必填项。",
        "does_not_exist": "编号 {pk_value} 不存在或不在您的权限范围内。",
        "incorrect_type": "应为编号(整数),收到的是 {data_type}。",
    }

    def to_internal_value(self, data):
        from .params import MAX_ID

        if (
            isinstance(data, int | str)
            and str(data).lstrip("-").isdigit()
            and abs(int(data)) > MAX_ID
        ):
            self.fail("does_not_exist", pk_value=str(data)[:30])
        return super().to_internal_value(data)

    def get_queryset(self):
        request = self.context.get("request")
        model = self.queryset.model if self.queryset is not None else None
        if model is None or request is None:
            return super().get_queryset().none()
        return model.objects.restrict(request.user, "view")


class _InPlatformRange:
    """A date or datetime field that also refuses dates outside the platform's range."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        try:
            validate_platform_date(parsed)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return parsed


class PlatformDateField(_InPlatformRange, serializers.DateField):
    pass


class PlatformDateTimeField(_InPlatformRange, serializers.DateTimeField):
    pass


class PlatformModelSerializer(serializers.ModelSerializer):
    """Every API serializer's base: related ids resolve inside the caller's scope, and dates
    must fall in the platform's range."""

    serializer_related_field = ScopedPrimaryKeyRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: PlatformDateField,
        models.DateTimeField: PlatformDateTimeField,
    }


_STATUS_MESSAGES = {
    400: "请求有误。",
    401: "未登录或令牌无效:请在请求头中提供 Authorization: Token 令牌。",
    403: "您的角色无权使用此接口。",
    404: "对象不存在或不在您的权限范围内。",
    405: "此接口不支持该请求方法。",
    406: "无法按请求的格式返回结果。",
    415: "不支持的请求内容类型,请使用 application/json。",
    429: "请求过于频繁,请稍后再试。",
}


def exception_handler(exc, context):
    """DRF's handler, with every framework message in Chinese: a client system's log shows the
    same words as the pages."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_STATUS_MESSAGES[404])
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _STATUS_MESSAGES[403])
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.NotAuthenticated(_STATUS_MESSAGES[401])
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    if detail is not None and not _has_chinese(str(detail)):
        message = _STATUS_MESSAGES.get(response.status_code)
        if message:
            response.data["detail"] = message
    return response


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)
