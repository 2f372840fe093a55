from oversight.core.setup_hooks import on_setup

from .notify import ensure_default_rules

on_setup("默认提醒规则")(ensure_default_rules)
