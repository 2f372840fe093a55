"""Work plans: the notice a plan comes from, its tasks, their units, deadlines and milestones;
the units' assignments with their reports; the bureau's reminder rules and letters.

One module per part, all re-exported here (`from oversight.workplans.models import Plan`).
"""

from __future__ import annotations


# Defined here, not in assignments.py: migrations name it oversight.workplans.models.evidence_path.
def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


from .assignments import (  # noqa: E402
    Assignment,
    AssignmentEvent,
    Evidence,
    Extension,
    Measure,
    Report,
    ReportRevision,
)
from .plans import Cadence, Milestone, Notice, Plan, Task, TaskDeadline, TaskUnit  # noqa: E402
from .supervision import NotificationRule, SupervisionLetter  # noqa: E402

__all__ = [
    "Assignment",
    "AssignmentEvent",
    "Cadence",
    "Evidence",
    "Extension",
    "Measure",
    "Milestone",
    "Notice",
    "NotificationRule",
    "Plan",
    "Report",
    "ReportRevision",
    "SupervisionLetter",
    "Task",
    "TaskDeadline",
    "TaskUnit",
]
