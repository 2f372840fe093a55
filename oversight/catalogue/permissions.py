from oversight.core.roles import Role, grant

# The catalogue is public information: every business role reads it.
grant(
    "catalogue.view",
    {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.REPORTER,
        Role.UNIT_HEAD,
        Role.OFFICER,
        Role.JUSTICE_OFFICE,
    },
)
# Units propose adjustments of their own items; the bureau reviews them before they take effect.
grant("catalogue.propose", {Role.SUPERVISOR, Role.REPORTER, Role.UNIT_HEAD})
grant("catalogue.review", {Role.SUPERVISOR})
# Delegated items: the bureau, leaders, and the departments and 街办 concerned (by scope).
grant(
    "catalogue.delegations",
    {Role.SUPERVISOR, Role.LEADER, Role.REPORTER, Role.UNIT_HEAD, Role.JUSTICE_OFFICE},
)
