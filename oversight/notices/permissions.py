from oversight.core.roles import Role, grant

grant("notices.import", {Role.SUPERVISOR})
