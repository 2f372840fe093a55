# The work-plan fixtures: a plan with tasks and units, issued, on a pinned calendar.
from oversight.workplans.tests.conftest import (  # noqa: F401  (shared fixtures)
    assignment,
    calendar,
    issued,
    plan,
)
