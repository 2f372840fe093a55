"""The work-plan loop: issue, sign, hand back, break down, report, review, extend, complete.

Every service takes the acting user, checks in the same transaction that the assignment is inside
what the user may change (a unit acting on another unit's assignment gets PermissionDenied, which
views turn into 404), records the step on the assignment's timeline and in the audit log, and tells
the people concerned.

One module per part (the sections the module had); everything is re-exported here, so callers
write `services.assignment_sign(...)`.
"""

from .common import Action, _event, _lock, _require_unit_role, _status, _today, require_supervisor
from .deadlines import completion_confirm, completion_request, extension_decide, extension_request
from .escalation import letter_dismiss, letter_issue, letter_propose
from .issuing import (
    _create_assignments,
    _expand,
    plan_issue,
    plan_settings_update,
    supervision_task_add,
    task_set_units,
)
from .lights import light_refresh, lights_due, lights_invalidate, lights_refresh
from .reports import (
    REPORT_FIELDS,
    _report_content,
    evidence_add,
    evidence_delete,
    lead_summary_save,
    report_accept,
    report_approve,
    report_return,
    report_save,
    report_submit,
)
from .units import (
    assignment_breakdown,
    assignment_hand_back_decide,
    assignment_hand_back_request,
    assignment_sign,
    assignments_sign,
    breakdown_prefill,
)

__all__ = [
    "REPORT_FIELDS",
    "Action",
    "_create_assignments",
    "_event",
    "_expand",
    "_lock",
    "_report_content",
    "_require_unit_role",
    "_status",
    "_today",
    "assignment_breakdown",
    "assignment_hand_back_decide",
    "assignment_hand_back_request",
    "assignment_sign",
    "assignments_sign",
    "breakdown_prefill",
    "completion_confirm",
    "completion_request",
    "evidence_add",
    "evidence_delete",
    "extension_decide",
    "extension_request",
    "lead_summary_save",
    "letter_dismiss",
    "letter_issue",
    "letter_propose",
    "light_refresh",
    "lights_due",
    "lights_invalidate",
    "lights_refresh",
    "plan_issue",
    "plan_settings_update",
    "report_accept",
    "report_approve",
    "report_return",
    "report_save",
    "report_submit",
    "require_supervisor",
    "supervision_task_add",
    "task_set_units",
]
