from oversight.cases.tests.conftest import (  # noqa: F401  (shared fixtures)
    calendar_2025,
    case_data,
    certificate_factory,
    certified,
    officer_factory,
    subjects,
)
