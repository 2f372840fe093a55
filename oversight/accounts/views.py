from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from oversight.core.middleware import client_ip
from oversight.core.roles import ADMIN_ROLES, has_capability
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
from .forms import LoginForm, PasswordChangeForm, TokenForm, UserForm, UserGrantForm
from .models import ApiToken, LoginEvent, User, UserRole


@sensitive_post_parameters("password")
def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("core:home")
    return target or reverse("core:home")


def login_view(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
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
            return redirect(_safe_next(request))
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
        Column(
            "账号",
            "username",
            sort="username",
            url=lambda u: reverse("accounts:user_edit", args=[u.pk]),
        ),
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
        if has_capability(self.request.user, "accounts.manage"):
            return [("新增账号", reverse("accounts:user_add"), "bi-person-plus")]
        return []


class SecurityUserListView(UserListView):
    """The security administrator's view of accounts: who is locked, to unlock them."""

    capability = "security.unlock"
    title = "账号授权与锁定"
    columns = [
        Column(
            "账号",
            "username",
            sort="username",
            url=lambda u: (
                None if u.role_codes & ADMIN_ROLES else reverse("accounts:user_grant", args=[u.pk])
            ),
        ),
        *UserListView.columns[1:],
    ]

    def get_actions(self):
        return []

    def extra_context(self):
        locked = User.objects.restrict(self.request.user, "change").filter(
            locked_until__gt=timezone.now()
        )
        return {"locked": locked}


class UserFormView(ObjectFormView):
    """The system administrator creates and disables accounts; roles come from the security
    administrator (三员分立)."""

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
                roles=set(),
                actor=self.request.user,
            )
            messages.info(
                self.request,
                f"账号 {user.username} 的初始密码:{password}(仅显示一次,请当面或通过安全渠道告知本人,首次登录须修改)。"
                "该账号尚无角色,请安全管理员授予角色和所属单位。",
            )
            return user
        return services.user_update(
            user=obj,
            data={k: data[k] for k in ("full_name", "phone", "email", "is_active")},
            actor=self.request.user,
        )

    def success_url(self, obj):
        return reverse("accounts:user_list")


class UserGrantView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """The security administrator grants business roles and units, with the basis for it."""

    capability = "accounts.grant"
    model = User
    action = "change"

    def render_form(self, form, target):
        return render(
            self.request,
            "accounts/user_grant.html",
            {"form": form, "object": target, "title": f"授权:{target.username}"},
        )

    def get(self, request, pk):
        target = self.get_object()
        return self.render_form(UserGrantForm(target=target, user=request.user), target)

    def post(self, request, pk):
        target = self.get_object()
        form = UserGrantForm(request.POST, target=target, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_grant(
                    actor=request.user,
                    user=target,
                    roles=set(data["roles"]),
                    primary_unit=data["primary_unit"],
                    units=data["units"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            else:
                messages.success(request, f"已更新账号 {target.username} 的角色和数据范围。")
                return redirect("accounts:security_users")
        return self.render_form(form, target)


class UserActionView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    model = User
    action = "change"
    done_url = "accounts:user_list"

    def post(self, request, pk):
        user = self.get_object()
        try:
            self.perform(user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        target = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse(self.done_url)
        return redirect(target)


class UserResetPasswordView(UserActionView):
    capability = "security.reset_password"
    done_url = "accounts:security_users"

    def perform(self, user):
        password = services.user_reset_password(user=user, actor=self.request.user)
        messages.info(
            self.request,
            f"账号 {user.username} 的新初始密码:{password}(仅显示一次,首次登录须修改)。",
        )


class UserUnlockView(UserActionView):
    capability = "security.unlock"
    done_url = "accounts:security_users"

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


class TokenListView(CapabilityRequiredMixin, View):
    """API tokens: each business account makes and revokes its own; the security administrator
    sees and revokes everyone's."""

    capability = "api.tokens"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_capability(request.user, "security.unlock"):
            self.capability = "security.unlock"
        return super().dispatch(request, *args, **kwargs)

    def tokens(self):
        qs = ApiToken.objects.select_related("user")
        if has_capability(self.request.user, "security.unlock"):
            return qs
        return qs.filter(user=self.request.user)

    def render_page(self, form, key=None):
        now = timezone.now()
        rows = [(t, t.state(now)) for t in self.tokens()[:200]]
        return render(
            self.request,
            "accounts/token_list.html",
            {
                "form": form,
                "rows": rows,
                "key": key,
                "can_create": has_capability(self.request.user, "api.tokens"),
                "title": "API 令牌",
            },
        )

    def get(self, request):
        return self.render_page(TokenForm())

    def post(self, request):
        if not has_capability(request.user, "api.tokens"):
            raise PermissionDenied("您的角色不能生成 API 令牌。")
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, key = services.token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as exc:
                form_errors_to_messages(form, exc)
            else:
                messages.success(
                    request, f"已生成令牌“{token.name}”,请立即复制保存:离开本页后不再显示。"
                )
                return self.render_page(TokenForm(), key=key)
        return self.render_page(form)


class TokenRevokeView(CapabilityRequiredMixin, View):
    capability = None  # the owner or the security administrator; the service decides

    def post(self, request, pk):
        qs = ApiToken.objects.all()
        if not has_capability(request.user, "security.unlock"):
            qs = qs.filter(user=request.user)
        token = qs.filter(pk=pk).first()
        if token is None:
            raise Http404("令牌不存在。")
        try:
            services.token_revoke(actor=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"令牌“{token.name}”已撤销,立即失效。")
        return redirect("accounts:token_list")
