from oversight.core.roles import Role, grant

grant(
    "enforcement.view",
    {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.REPORTER,
        Role.UNIT_HEAD,
        Role.OFFICER,
        Role.JUSTICE_OFFICE,
    },
)
grant(
    "enforcement.manage_units", {Role.SUPERVISOR, Role.REPORTER, Role.UNIT_HEAD}
)  # officers, training
grant("enforcement.supervise", {Role.SUPERVISOR})  # subjects, certificates, clean-ups
grant("enforcement.identity", {Role.SUPERVISOR, Role.UNIT_HEAD})  # unmasked ID numbers
grant("enforcement.self", {Role.OFFICER})
