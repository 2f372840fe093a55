from oversight.core.roles import Role, grant

grant(
    "cases.view",
    {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.REPORTER,
        Role.UNIT_HEAD,
        Role.OFFICER,
        Role.JUSTICE_OFFICE,
    },
)
grant("cases.record", {Role.SUPERVISOR, Role.REPORTER, Role.UNIT_HEAD})
grant("cases.supervise", {Role.SUPERVISOR})
