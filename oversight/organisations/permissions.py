from oversight.core.roles import Role, grant

grant(
    "units.view",
    {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.SYSADMIN,
        Role.SECADMIN,
        Role.REPORTER,
        Role.UNIT_HEAD,
        Role.JUSTICE_OFFICE,
    },
)
grant("units.manage", {Role.SYSADMIN})
grant(
    "groups.view",
    {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.SYSADMIN,
        Role.REPORTER,
        Role.UNIT_HEAD,
        Role.JUSTICE_OFFICE,
    },
)
grant("units.edit_contact", {Role.SYSADMIN, Role.REPORTER, Role.UNIT_HEAD})
grant("units.webhooks", {Role.SYSADMIN})
grant("units.reparent", {Role.SECADMIN})
