import datetime

from django.urls import reverse
from django.utils import timezone

from oversight.core.home import Figure, Panel, panel
from oversight.core.navigation import MenuGroup, MenuItem, register
from oversight.core.querysets import count_rows
from oversight.core.roles import Role, has_capability
from oversight.core.rules import rule_value

from .models import Certificate
from .selectors import certificate_counts, training_compliant

register(
    MenuGroup(
        "执法主体与人员",
        20,
        [
            MenuItem("概况", "enforcement:dashboard", "enforcement.view", "bi-speedometer2"),
            MenuItem("执法主体", "enforcement:subject_list", "enforcement.view", "bi-bank"),
            MenuItem("执法人员", "enforcement:officer_list", "enforcement.view", "bi-person-badge"),
            MenuItem(
                "执法证件", "enforcement:certificate_list", "enforcement.view", "bi-card-heading"
            ),
            MenuItem("资格清理", "enforcement:cleanup_list", "enforcement.view", "bi-funnel"),
            MenuItem("培训学时", "enforcement:training", "enforcement.view", "bi-mortarboard"),
            MenuItem(
                "培训课程", "enforcement:course_list", "enforcement.view", "bi-journal-bookmark"
            ),
        ],
    )
)


def _only_officer(user) -> bool:
    return Role.OFFICER in user.role_codes and not user.role_codes & {
        Role.SUPERVISOR,
        Role.LEADER,
        Role.REPORTER,
        Role.UNIT_HEAD,
        Role.JUSTICE_OFFICE,
    }


@panel
def own_qualification_panel(user):
    """An officer's own qualification: what their certificate says and the hours they have,
    each figure leading to the page that shows it (their own record, not their unit's)."""
    if not _only_officer(user):
        return None
    officer = getattr(user, "officer", None)
    if officer is None:
        return Panel(
            "我的执法资格",
            order=30,
            note="您的账号尚未关联执法人员信息,请联系本单位或区司法局在执法人员信息中绑定账号。",
        )
    today = timezone.localdate()
    from .selectors import hours_by_officer

    hours = hours_by_officer(today.year, [officer])[officer.pk]
    required = rule_value("enforcement.training_total_hours")
    valid = [
        c
        for c in officer.certificates.all()
        if c.kind == "enforcement"
        and c.status == "valid"
        and c.issue_date <= today <= c.expiry_date
    ]
    page = officer.get_absolute_url()
    expiry = min((c.expiry_date for c in valid), default=None)
    return Panel(
        "我的执法资格",
        order=30,
        figures=[
            Figure(
                "执法证", "有效" if valid else "无有效证件", page, "success" if valid else "danger"
            ),
            Figure(
                "有效期至",
                f"{expiry:%Y-%m-%d}" if expiry else "—",
                page,
                "warning" if expiry and (expiry - today).days <= 90 else "primary",
            ),
            Figure(
                f"{today.year}年培训学时",
                f"{hours.counted:g} / {required}",
                page,
                "success" if hours.counted >= required else "warning",
            ),
        ],
    )


@panel
def enforcement_panel(user):
    if not has_capability(user, "enforcement.view") or _only_officer(user):
        return None
    today = timezone.localdate()
    on_duty, certified = certificate_counts(user=user, today=today)
    if not on_duty:
        return None
    valid = Certificate.objects.restrict(user, "view").filter(status=Certificate.Status.VALID)
    expiring = valid.filter(
        expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=90)
    )
    # Officers who met the training rule and certificates about to expire: one statement.
    sets = {"expiring_90": expiring}
    compliant_rows = training_compliant(user=user, year=today.year)
    if compliant_rows is not None:  # None: the rule asks for no hours, every officer meets it
        sets["compliant"] = compliant_rows
    found = count_rows(**sets)
    compliant, expiring_90 = found.get("compliant", on_duty), found["expiring_90"]
    rate = f"{round(100 * compliant / on_duty, 1)}%"
    certs = reverse("enforcement:certificate_list")
    return Panel(
        "执法人员" if user.role_codes & {Role.SUPERVISOR, Role.LEADER} else "本单位执法人员",
        order=30,
        figures=[
            Figure("在岗人员", on_duty, reverse("enforcement:officer_list")),
            Figure(
                "持证率",
                f"{round(100 * certified / on_duty, 1)}%",
                f"{reverse('enforcement:officer_list')}?certified=false",
                "success",
            ),
            Figure("90天内到期", expiring_90, f"{certs}?expiring=90", "warning"),
            Figure(f"{today.year}年学时达标", rate, reverse("enforcement:training"), "primary"),
        ],
    )
