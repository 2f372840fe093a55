from django import forms
from django.contrib.auth import password_validation

from oversight.core.roles import ADMIN_ROLES, Role
from oversight.organisations.models import Unit

from .models import User


class LoginForm(forms.Form):
    username = forms.CharField(
        label="账号",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    new_password2 = forms.CharField(
        label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class UserForm(forms.ModelForm):
    """The system administrator's form: who the account is, not what it may do (三员分立)."""

    class Meta:
        model = User
        fields = ["username", "full_name", "phone", "email", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]

    def validate_unique(self):
        # Uniqueness of the account name is the service's to check, with its own message.
        pass


class UserGrantForm(forms.Form):
    """The security administrator's form: business roles and the units they reach."""

    roles = forms.MultipleChoiceField(
        label="业务角色",
        choices=[(r.value, r.label) for r in Role if r not in ADMIN_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    primary_unit = forms.ModelChoiceField(
        label="所属单位", queryset=Unit.objects.none(), required=False
    )
    units = forms.ModelMultipleChoiceField(
        label="兼管单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label="授权依据", max_length=200, help_text="例如:审批单号或批准人")

    def __init__(self, *args, target: User, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.restrict(user, "view").filter(is_active=True)
        self.fields["primary_unit"].queryset = units
        self.fields["units"].queryset = units
        self.fields["roles"].initial = sorted(target.role_codes - ADMIN_ROLES)
        self.fields["primary_unit"].initial = target.primary_unit_id
        self.fields["units"].initial = list(target.units.values_list("pk", flat=True))


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=60, help_text="例如:市场监管执法办案系统")
    days = forms.IntegerField(
        label="有效期(天)", min_value=1, initial=180, help_text="到期、撤销或账号修改密码后失效"
    )
