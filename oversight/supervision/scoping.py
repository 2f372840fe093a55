"""Who sees and handles which clues.

The bureau (监督机构) sees and handles all; district leaders read all. A unit sees only the clues
transferred to it (or to a unit below it), from the transfer on, and changes them only to answer: a clue
still being judged, refused or merged is never shown to the unit complained of. The separated
administrators see none.
"""

from __future__ import annotations

from django.db.models import Q

from oversight.core.querysets import either, office_q
from oversight.core.roles import Role

# The stages at which the unit complained of takes part.
UNIT_STAGES = ("transferred", "answered", "reviewed", "closed")


def clue_scope(user, action: str) -> Q | None:
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if Role.LEADER in roles and action == "view":
        return Q()
    # A special supervisor follows the clues they reported.
    if Role.SPECIAL_SUPERVISOR in roles and action == "view":
        return Q(special_supervisor__user=user)
    # The unit's reporter and head answer for it; its officers (who may be the ones complained
    # of) do not see clues.
    unit = None
    if roles & {Role.REPORTER, Role.UNIT_HEAD} and user.scope_unit_ids:
        if action == "view":
            unit = Q(unit__in=user.scope_unit_ids, status__in=UNIT_STAGES)
        if action == "change":  # answering a transferred clue is the only change a unit makes
            unit = Q(unit__in=user.scope_unit_ids, status="transferred")
    # A 司法所 reads what its 街办 reads, never the complainant's identity (the pages' rule).
    office = office_q(user, action)
    if office is not None:
        office &= Q(status__in=UNIT_STAGES)
    return either(unit, office)


def matter_scope(user, action: str) -> Q | None:
    """Matters are the bureau's working files: it handles them, leaders read them; units see the
    documents addressed to them, not the file behind them."""
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if Role.LEADER in roles and action == "view":
        return Q()
    return None


def document_scope(user, action: str) -> Q | None:
    """The bureau handles every document; leaders read them; a unit reads the documents addressed
    to it (or to a unit below it) and answers them."""
    roles = user.role_codes
    if Role.SUPERVISOR in roles:
        return Q()
    if Role.LEADER in roles and action == "view":
        return Q()
    unit = None
    if (
        roles & {Role.REPORTER, Role.UNIT_HEAD}
        and user.scope_unit_ids
        and action in {"view", "change"}
    ):
        unit = Q(unit__in=user.scope_unit_ids)
    return either(unit, office_q(user, action))
