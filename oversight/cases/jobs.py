"""Time-based checks: re-check the cases whose limits come due."""

import datetime

from oversight.core.scheduler import periodic

from .services import check_due


@periodic("cases.recheck", every=datetime.timedelta(hours=1))
def recheck() -> str:
    return f"复查案件 {check_due()} 件"
