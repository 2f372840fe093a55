# The enforcement and cases fixtures (units with subjects, certified officers, the 2025 calendar).
from oversight.cases.tests.conftest import (  # noqa: F401  (shared fixtures)
    calendar_2025,
    certified,
    subjects,
)
from oversight.enforcement.tests.conftest import (  # noqa: F401  (shared fixtures)
    certificate_factory,
    officer_factory,
)
