from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.roles import has_capability

from .models import LoginEvent, User

register(
    MenuGroup(
        "系统管理",
        90,
        [
            MenuItem("账号管理", "accounts:user_list", "accounts.manage", "bi-people"),
            MenuItem("账号授权与锁定", "accounts:security_users", "security.unlock", "bi-lock"),
            MenuItem("API 令牌", "accounts:token_list", "api.tokens", "bi-key"),
            MenuItem("API 令牌管理", "accounts:token_list", "security.unlock", "bi-key"),
            MenuItem("安全策略", "core:rules_security", "security.policy", "bi-shield-lock"),
            MenuItem("登录日志", "accounts:login_log", "audit.view", "bi-box-arrow-in-right"),
        ],
    )
)


@panel
def accounts_panel(user):
    if has_capability(user, "accounts.manage"):
        counts = User.objects.aggregate(
            total=Count("pk"),
            active=Count("pk", filter=Q(is_active=True)),
            pending=Count("pk", filter=Q(must_change_password=True, is_active=True)),
        )
        url = reverse("accounts:user_list")
        return Panel(
            "账号",
            order=20,
            figures=[
                Figure("账号总数", counts["total"], url),
                Figure("启用账号", counts["active"], f"{url}?is_active=true", "success"),
                Figure("待首次改密", counts["pending"], url, "warning"),
            ],
        )
    return None


@panel
def security_panel(user):
    now = timezone.now()
    since = now - timezone.timedelta(days=1)
    if has_capability(user, "security.unlock"):
        url = reverse("accounts:security_users")
        return Panel(
            "登录安全",
            order=20,
            figures=[
                Figure(
                    "当前锁定账号",
                    User.objects.filter(locked_until__gt=now).count(),
                    f"{url}?locked=true",
                    "danger",
                ),
                Figure(
                    "24小时内登录失败",
                    LoginEvent.objects.filter(time__gte=since)
                    .exclude(outcome__in=["success", "logout", "timeout"])
                    .count(),
                    None,
                    "warning",
                ),
            ],
        )
    if has_capability(user, "audit.view"):
        url = reverse("accounts:login_log")
        return Panel(
            "登录日志",
            order=20,
            figures=[
                Figure(
                    "24小时内登录成功",
                    LoginEvent.objects.filter(time__gte=since, outcome="success").count(),
                    f"{url}?outcome=success",
                ),
                Figure(
                    "24小时内登录失败",
                    LoginEvent.objects.filter(time__gte=since)
                    .exclude(outcome__in=["success", "logout", "timeout"])
                    .count(),
                    f"{url}?outcome=bad_password",
                    "danger",
                ),
            ],
        )
    return None
