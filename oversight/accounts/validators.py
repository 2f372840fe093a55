"""Password policy from the security rules (editable by the security administrator)."""

import itertools
import string

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from oversight.core.rules import rule_value

CLASSES = (
    ("大写字母", set(string.ascii_uppercase)),
    ("小写字母", set(string.ascii_lowercase)),
    ("数字", set(string.digits)),
    ("符号", set(string.punctuation)),
)
# Runs of this many characters in order (abcd, 4321, qwer) make a password guessable.
SEQUENCE_LENGTH = 4
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", string.ascii_lowercase)
MIN_DISTINCT = 5


def has_sequence(text: str) -> bool:
    lowered = text.lower()
    for i in range(len(lowered) - SEQUENCE_LENGTH + 1):
        chunk = lowered[i : i + SEQUENCE_LENGTH]
        if len(set(chunk)) == 1:
            return True
        codes = [ord(c) for c in chunk]
        steps = {b - a for a, b in itertools.pairwise(codes)}
        if steps in ({1}, {-1}) and chunk.isalnum():
            return True
        if any(chunk in row or chunk[::-1] in row for row in KEYBOARD_ROWS):
            return True
    return False


def _common_words() -> set[str]:
    # Django's list of 20,000 common passwords (it holds the usual top-1,000 lists).
    return CommonPasswordValidator().passwords


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
        if len(set(password)) < MIN_DISTINCT:
            errors.append(f"密码至少需要 {MIN_DISTINCT} 个不同的字符,不能由重复字符加后缀组成。")
        if has_sequence(password):
            errors.append(
                f"密码不能包含 {SEQUENCE_LENGTH} 个及以上连续或重复的字符(如 abcd、1234、qwer、aaaa)。"
            )
        username = (getattr(user, "username", "") or "").lower()
        if username and len(username) >= 3 and username in password.lower():
            errors.append("密码不能包含账号名。")
        # The word inside the decorations: "Password123!" is "password".
        core = password.lower().strip(string.digits + string.punctuation + " ")
        words = _common_words()
        if password.lower() in words or (len(core) >= 4 and core in words):
            errors.append("密码过于常见(属于常用弱口令或其简单变形),请换一个。")
        if errors:
            raise ValidationError(errors, code="password_policy")

    def get_help_text(self) -> str:
        return (
            f"至少 {rule_value('security.password_min_length')} 个字符,包含大写字母、小写字母、数字、"
            f"符号中的至少 {rule_value('security.password_min_classes')} 类;不能含账号名、连续或重复字符,"
            "不能是常见弱口令。"
        )
