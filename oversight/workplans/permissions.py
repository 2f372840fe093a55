from oversight.core.roles import Role, grant

grant(
    "plans.view", {Role.SUPERVISOR, Role.LEADER, Role.REPORTER, Role.UNIT_HEAD, Role.JUSTICE_OFFICE}
)
grant("plans.manage", {Role.SUPERVISOR})
grant("plans.report", {Role.REPORTER, Role.UNIT_HEAD})
grant("plans.approve", {Role.UNIT_HEAD})
grant("plans.dashboard", {Role.SUPERVISOR, Role.LEADER})
grant("plans.workspace", {Role.REPORTER, Role.UNIT_HEAD})
