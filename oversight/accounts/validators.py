"""Password policy from the security rules (editable by the security administrator)."""

import string

from django.core.exceptions import ValidationError

from oversight.core.rules import rule_value

CLASSES = (
    ("大写字母", set(string.ascii_uppercase)),
    ("小写字母", set(string.ascii_lowercase)),
    ("数字", set(string.digits)),
    ("符号", set(string.punctuation)),
)


class PolicyPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        min_length = rule_value("security.password_min_length")
        min_classes = rule_value("security.password_min_classes")
        errors = []
        if len(password) < min_length:
            errors.append(f"密码至少需要 {min_length} 个字符。")
        present = sum(1 for _, chars in CLASSES if chars & set(password))
        if present < min_classes:
            errors.append(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {min_classes} 类,当前只有 {present} 类。"
            )
        if errors:
            raise ValidationError(errors, code="password_policy")

    def get_help_text(self) -> str:
        return (
            f"至少 {rule_value('security.password_min_length')} 个字符,包含大写字母、小写字母、数字、"
            f"符号中的至少 {rule_value('security.password_min_classes')} 类。"
        )
