from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from oversight.core.middleware import client_ip
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ObjectFormView,
    ObjectListView,
    ScopedObjectMixin,
    form_errors_to_messages,
)

from . import services
from .filtersets import LoginEventFilterSet, UserFilterSet
from .forms import LoginForm, PasswordChangeForm, UserForm
from .models import LoginEvent, User, UserRole


@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        user, error = services.login_attempt(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            request=request,
        )
        if user is not None:
            login(request, user)
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("core:home")
            return redirect(target or "core:home")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": request.GET.get("next", "")},
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.login_event(
            user=request.user, outcome=LoginEvent.Outcome.LOGOUT, ip=client_ip(request)
        )
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
@sensitive_post_parameters()
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            form_errors_to_messages(form, exc)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": request.user.must_change_password},
    )


def _roles(user: User) -> str:
    return "、".join(user.role_labels)


def _lock_state(user: User) -> str:
    if user.is_locked():
        return f"锁定至 {timezone.localtime(user.locked_until):%H:%M}"
    return "正常" if user.is_active else "停用"


class UserListView(ObjectListView):
    capability = "accounts.manage"
    model = User
    title = "账号管理"
    filterset_class = UserFilterSet
    export_name = "账号"
    default_sort = "username"
    template_name = "accounts/user_list.html"
    columns = [
        Column("账号", "username", sort="username", link=True),
        Column("姓名", "full_name", sort="full_name"),
        Column("所属单位", "primary_unit", sort="primary_unit__sort_order"),
        Column("角色", _roles),
        Column("状态", _lock_state),
        Column("首次登录改密", "must_change_password"),
        Column("演示账号", "is_demo"),
        Column("最近登录", "last_login", sort="last_login"),
    ]

    def get_queryset(self):
        return (
            User.objects.restrict(self.request.user, "view")
            .select_related("primary_unit")
            .prefetch_related(Prefetch("role_rows", queryset=UserRole.objects.all()))
        )

    def get_actions(self):
        from oversight.core.roles import has_capability

        if has_capability(self.request.user, "accounts.manage"):
            return [("新增账号", reverse("accounts:user_add"), "bi-person-plus")]
        return []


class SecurityUserListView(UserListView):
    """The security administrator's view of accounts: who is locked, to unlock them."""

    capability = "security.unlock"
    title = "账号锁定状态"

    def get_actions(self):
        return []

    def extra_context(self):
        locked = User.objects.restrict(self.request.user, "change").filter(
            locked_until__gt=timezone.now()
        )
        return {"locked": locked}


class UserFormView(ObjectFormView):
    capability = "accounts.manage"
    model = User
    form_class = UserForm
    template_name = "accounts/user_form.html"

    def save(self, form, obj):
        data = form.cleaned_data
        if obj is None:
            user, password = services.user_create(
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                roles=set(data["roles"]),
                primary_unit=data["primary_unit"],
                units=data["units"],
            )
            messages.info(
                self.request,
                f"账号 {user.username} 的初始密码:{password}(仅显示一次,请当面或通过安全渠道告知本人,首次登录须修改)。",
            )
            return user
        return services.user_update(
            user=obj,
            data={k: data[k] for k in ("full_name", "phone", "email", "primary_unit", "is_active")},
            roles=set(data["roles"]),
            units=data["units"],
            actor=self.request.user,
        )

    def success_url(self, obj):
        return reverse("accounts:user_list")


class UserActionView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    model = User
    action = "change"

    def post(self, request, pk):
        user = self.get_object()
        try:
            self.perform(user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(request.POST.get("next") or "accounts:user_list")


class UserResetPasswordView(UserActionView):
    capability = "accounts.manage"

    def perform(self, user):
        password = services.user_reset_password(user=user)
        messages.info(
            self.request,
            f"账号 {user.username} 的新初始密码:{password}(仅显示一次,首次登录须修改)。",
        )


class UserUnlockView(UserActionView):
    capability = "security.unlock"

    def perform(self, user):
        services.user_unlock(user=user)
        messages.success(self.request, f"已解除账号 {user.username} 的锁定。")


class LoginEventListView(ObjectListView):
    capability = "audit.view"
    model = LoginEvent
    title = "登录日志"
    filterset_class = LoginEventFilterSet
    export_name = "登录日志"
    default_sort = "-time"
    columns = [
        Column("时间", "time", sort="time"),
        Column("账号", "username", sort="username"),
        Column("结果", "get_outcome_display", sort="outcome"),
        Column("IP", "ip"),
        Column("浏览器", "user_agent"),
    ]

    def get_queryset(self):
        # Login events belong to no unit: the audit capability alone gates them.
        return LoginEvent.objects.all()
