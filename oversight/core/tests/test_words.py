"""No developer text reaches the user: constraint names, event codes, file names in rule sources."""

import re

import pytest
from django.apps import apps
from django.db import models

from oversight.core.rules import RULES

CJK = re.compile(r"[\u4e00-\u9fff]")


def _constraints():
    for model in apps.get_models():
        if model.__module__.startswith("oversight"):
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_a_form_can_break_says_what_to_fix_in_chinese():
    """Django's default message names the constraint ("约束 “certificate_dates_order” 是无效的")."""
    missing = []
    for model, constraint in _constraints():
        conditional = isinstance(constraint, models.CheckConstraint) or (
            getattr(constraint, "condition", None) is not None
            or bool(getattr(constraint, "expressions", ()))
        )
        message = str(constraint.violation_error_message)
        if conditional and (
            message == str(constraint.default_violation_error_message) or not CJK.search(message)
        ):
            missing.append(f"{model.__name__}.{constraint.name}")
    assert not missing, missing


@pytest.mark.django_db
def test_a_certificate_with_dates_in_the_wrong_order_is_refused_in_words():
    from django.core.exceptions import ValidationError

    from oversight.enforcement.models import Certificate

    certificate = Certificate(
        number="X1",
        areas="市场监管",
        issuing_authority="黄石市人民政府",
        issue_date="2026-05-01",
        expiry_date="2026-04-01",
    )
    with pytest.raises(ValidationError) as caught:
        certificate.validate_constraints()
    text = " ".join(caught.value.messages)
    assert "发证日期不能晚于有效期截止日期" in text and "certificate_dates_order" not in text


def test_rule_sources_cite_documents_not_files_or_code():
    wrong = [
        f"{key}: {spec.source}"
        for key, spec in RULES.items()
        if re.search(r"\b\w+\.(md|py|txt|json|yaml)\b|\b[a-z]+_[a-z_]+\b", spec.source)
        or not CJK.search(spec.source)
    ]
    assert not wrong, wrong


def test_reminder_events_are_chosen_from_chinese_words():
    from oversight.workplans.forms import NotificationRuleForm

    field = NotificationRuleForm().fields["event"]
    labels = dict(field.choices)
    assert labels["report_return"] == "报告被退回修改"
    assert all(CJK.search(str(label)) for value, label in field.choices if value)
