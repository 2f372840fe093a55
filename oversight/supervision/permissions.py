from oversight.core.roles import Role, grant

grant(
    "supervision.view",
    {Role.SUPERVISOR, Role.LEADER, Role.REPORTER, Role.UNIT_HEAD, Role.JUSTICE_OFFICE},
)
# Matters are the bureau's working files: the bureau and the district leaders read them.
grant("supervision.matters", {Role.SUPERVISOR, Role.LEADER})
grant("supervision.manage", {Role.SUPERVISOR})
grant("supervision.reply", {Role.REPORTER, Role.UNIT_HEAD})
grant("supervision.submit", {Role.SPECIAL_SUPERVISOR})
