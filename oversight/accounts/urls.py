from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserFormView.as_view(), name="user_add"),
    path("users/<int:pk>/edit/", views.UserFormView.as_view(), name="user_edit"),
    path(
        "users/<int:pk>/reset-password/",
        views.UserResetPasswordView.as_view(),
        name="user_reset_password",
    ),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/grant/", views.UserGrantView.as_view(), name="user_grant"),
    path("tokens/", views.TokenListView.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("security/accounts/", views.SecurityUserListView.as_view(), name="security_users"),
    path("login-log/", views.LoginEventListView.as_view(), name="login_log"),
]
