from oversight.core.roles import Role, grant

grant("plans.view", {Role.SUPERVISOR, Role.LEADER, Role.REPORTER, Role.UNIT_HEAD})
grant("plans.manage", {Role.SUPERVISOR})
