from oversight.core.roles import Role, grant

grant("accounts.manage", {Role.SYSADMIN})
grant("security.policy", {Role.SECADMIN})
grant("security.unlock", {Role.SECADMIN})
# 三员分立: the security administrator grants business roles and units, and resets passwords.
grant("accounts.grant", {Role.SECADMIN})
grant("security.reset_password", {Role.SECADMIN})
# API tokens belong to the business roles whose systems send cases and inspections.
grant("api.tokens", {Role.SUPERVISOR, Role.REPORTER, Role.UNIT_HEAD})
