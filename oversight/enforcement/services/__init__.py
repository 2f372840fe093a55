"""Enforcement subjects, officers and certificates, clean-ups and training: the writes.

One module per part (the sections the module had); everything is re-exported here, so callers
write `services.officer_create(...)`.
"""

from .certificates import (
    CERTIFICATE_FIELDS,
    TRANSITIONS,
    certificate_change,
    certificate_issue,
    certificate_review,
)
from .cleanup import (
    CRITERIA,
    _rule,
    cleanup_answer,
    cleanup_apply,
    cleanup_decide,
    cleanup_proposals,
    cleanup_publish,
    cleanup_start,
)
from .common import _in_scope, _supervisor
from .officers import (
    OFFICER_FIELDS,
    _check_unit,
    _officer_snapshot,
    _set_identity,
    officer_create,
    officer_identity,
    officer_update,
)
from .subjects import subject_save, subjects_confirm
from .training import attendance_set, course_save, training_plan_file

__all__ = [
    "CERTIFICATE_FIELDS",
    "CRITERIA",
    "OFFICER_FIELDS",
    "TRANSITIONS",
    "_check_unit",
    "_in_scope",
    "_officer_snapshot",
    "_rule",
    "_set_identity",
    "_supervisor",
    "attendance_set",
    "certificate_change",
    "certificate_issue",
    "certificate_review",
    "cleanup_answer",
    "cleanup_apply",
    "cleanup_decide",
    "cleanup_proposals",
    "cleanup_publish",
    "cleanup_start",
    "course_save",
    "officer_create",
    "officer_identity",
    "officer_update",
    "subject_save",
    "subjects_confirm",
    "training_plan_file",
]
