from oversight.core.roles import Role, grant

# Rounds, schemes and results: the bureau runs them, leaders read them.
grant("reviews.view", {Role.SUPERVISOR, Role.LEADER})
grant("reviews.manage", {Role.SUPERVISOR})
# A unit uploads its sampled files and reads (and may object to) its own results.
grant("reviews.unit", {Role.REPORTER, Role.UNIT_HEAD})
# Reviewers: the bureau's staff, officers of other units and special supervisors, each seeing only
# the files assigned to them (the scope decides which).
grant(
    "reviews.score",
    {Role.SUPERVISOR, Role.OFFICER, Role.SPECIAL_SUPERVISOR, Role.REPORTER, Role.UNIT_HEAD},
)
# The list and pages of files: each role reaches the files its scope gives it.
grant(
    "reviews.files",
    {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.REPORTER,
        Role.UNIT_HEAD,
        Role.OFFICER,
        Role.SPECIAL_SUPERVISOR,
        Role.JUSTICE_OFFICE,
    },
)
