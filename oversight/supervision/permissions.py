from oversight.core.roles import Role, grant

grant("supervision.view", {Role.SUPERVISOR, Role.LEADER, Role.REPORTER, Role.UNIT_HEAD})
grant("supervision.manage", {Role.SUPERVISOR})
grant("supervision.reply", {Role.REPORTER, Role.UNIT_HEAD})
