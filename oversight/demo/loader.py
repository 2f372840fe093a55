"""Demo data for `make demo`: clearly labelled (is_demo, names marked 演示), never loaded in production.

Each issue's app adds its own demo records here, relative to today's date.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from oversight.accounts.models import User
from oversight.accounts.services import user_create
from oversight.core.roles import Role
from oversight.organisations.initial import load_demo_units
from oversight.organisations.models import Unit

DEMO_PASSWORD = "Xialu@2024"

# (username, full name, roles, unit short name)
DEMO_USERS: list[tuple[str, str, set[str], str | None]] = [
    ("jiandu", "王监督(演示)", {Role.SUPERVISOR}, "区司法局"),
    ("scj_tianbao", "李填报(演示)", {Role.REPORTER}, "区市场监管局"),
    ("scj_fuzeren", "赵局长(演示)", {Role.UNIT_HEAD}, "区市场监管局"),
    ("cgj_tianbao", "孙填报(演示)", {Role.REPORTER}, "区城管执法局"),
    ("tcs_tianbao", "周填报(演示)", {Role.REPORTER}, "团城山街办"),
    ("tcs_sifasuo", "吴所长(演示)", {Role.JUSTICE_OFFICE}, "团城山司法所"),
    ("lingdao", "陈区长(演示)", {Role.LEADER}, "区政府"),
    ("zhifa", "张执法(演示)", {Role.OFFICER}, "区市场监管局"),
    ("tejian", "刘监督员(演示)", {Role.SPECIAL_SUPERVISOR}, None),
    ("xitong", "系统管理员(演示)", {Role.SYSADMIN}, None),
    ("anquan", "安全管理员(演示)", {Role.SECADMIN}, None),
    ("shenji", "审计员(演示)", {Role.AUDITOR}, None),
]


SEED_NOTICE = (
    Path(__file__).resolve().parent.parent / "notices" / "fixtures" / "xialu-notice-2024.txt"
)


def load_seed_plan(today=None) -> None:
    """The seed notice, read into this year's plan as the supervisor would (skipped when already
    there): its 2024 and 2025 dates become the demo plan's year and the next, so that the plan is
    a few months under way today rather than two years overdue (workplans.demo.demo_plan_dates)."""
    from django.utils import timezone

    from oversight.notices.parsing.text import shift_years
    from oversight.notices.services import DuplicateNotice, notice_import
    from oversight.workplans.demo import SEED_YEAR, demo_plan_dates

    year, _ = demo_plan_dates(today or timezone.localdate())
    text = shift_years(SEED_NOTICE.read_text(encoding="utf-8"), year - SEED_YEAR, since=SEED_YEAR)
    with contextlib.suppress(DuplicateNotice):
        notice_import(
            data=text.encode("utf-8"),
            filename=f"xialu-notice-{year}(演示,年份由{SEED_YEAR}年换算).txt",
            year=year,
        )


def load_demo(*, with_plan: bool = True, play: bool = True) -> list[tuple[str, str, str]]:
    """Load the demo units, accounts and plan if missing; return (username, role, unit) to print."""
    load_demo_units()
    printed = []
    for username, full_name, roles, unit_name in DEMO_USERS:
        unit = Unit.objects.get(short_name=unit_name) if unit_name else None
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                full_name=full_name,
                roles=roles,
                primary_unit=unit,
                password=DEMO_PASSWORD,
                must_change_password=False,
                is_demo=True,
            )
        label = "、".join(Role(r).label for r in sorted(roles))
        printed.append((username, label, unit_name or "—"))
    from oversight.enforcement.demo import load_demo_enforcement

    load_demo_enforcement()
    from oversight.inspections.demo import load_demo_inspections

    load_demo_inspections()  # the enterprises first: they are the parties of demo cases
    from oversight.cases.demo import load_demo_cases

    load_demo_cases()
    from oversight.supervision.demo import load_demo_clues

    load_demo_clues()
    from oversight.reviews.demo import load_demo_reviews

    load_demo_reviews()
    from oversight.catalogue.demo import load_demo_catalogue

    load_demo_catalogue()
    if with_plan:
        from oversight.workplans.demo import load_demo_loop

        load_seed_plan()
        if play and load_demo_loop():
            from oversight.bulletins.demo import load_demo_bulletins

            load_demo_bulletins()
    return printed
