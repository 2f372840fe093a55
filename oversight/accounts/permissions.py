from oversight.core.roles import Role, grant

grant("accounts.manage", {Role.SYSADMIN})
grant("security.policy", {Role.SECADMIN})
grant("security.unlock", {Role.SECADMIN})
