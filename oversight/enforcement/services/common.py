"""Shared by the enforcement services: who may act."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from oversight.core.roles import Role


def _supervisor(user) -> None:
    if user is not None and Role.SUPERVISOR not in user.role_codes:
        raise PermissionDenied("只有监督机构可以办理此事项。")


def _in_scope(model, obj, user, action="change"):
    if user is not None and not model.objects.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied("对象不在您的权限范围内。")
