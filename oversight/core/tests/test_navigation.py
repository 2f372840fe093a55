"""Each role sees the navigation and home figures it may use, and nothing else."""

import re

import pytest
from django.urls import reverse

EXPECTED = {
    "supervisor": ({"单位管理", "单位组"}, {"账号管理", "审计日志", "安全策略", "工作日历"}),
    "reporter": ({"单位管理", "单位组"}, {"账号管理", "审计日志", "安全策略"}),
    "leader": ({"单位管理", "单位组"}, {"账号管理", "审计日志"}),
    "sysadmin": (
        {"单位管理", "账号管理", "工作日历", "定时任务"},
        {"审计日志", "安全策略", "登录日志"},
    ),
    "secadmin": (
        {"安全策略", "账号授权与锁定", "API 令牌管理", "单位管理"},
        {"账号管理", "审计日志", "API 令牌"},
    ),
    "auditor": ({"审计日志", "登录日志"}, {"单位管理", "账号管理", "安全策略"}),
}


def sidebar(response) -> list[tuple[str, str, bool]]:
    """The sidebar's links as shown: (label, address, active), the home link first."""
    nav = response.content.decode().split('data-testid="nav"')[1].split("</nav>")[0]
    return [
        (label, url, "active" in css.split())
        for css, url, label in re.findall(
            r'<a class="nav-link ([^"]*)" href="([^"]*)"><i class="bi [^"]*"></i>([^<]*)</a>', nav
        )
    ]


def menu_labels(response) -> set[str]:
    return {label for label, _, _ in sidebar(response)[1:]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_menu_by_role(actors, client_as, role):
    response = client_as(actors.all_roles()[role]).get(reverse("core:home"))
    shown, hidden = EXPECTED[role]
    labels = menu_labels(response)
    assert shown <= labels
    assert not hidden & labels


@pytest.mark.django_db
def test_every_menu_link_opens_for_its_role(actors, client_as):
    for user in actors.all_roles().values():
        client = client_as(user)
        links = sidebar(client.get(reverse("core:home")))
        assert links[0] == ("首页", reverse("core:home"), True) and len(links) > 2
        for label, url, _ in links[1:]:
            response = client.get(url)
            assert response.status_code == 200, (user, label)
            # the menu is the same on every page, its own link marked as the current one
            assert [(lab, u, u == url) for lab, u, _ in links[1:]] == sidebar(response)[1:]


@pytest.mark.django_db
def test_supervisor_home_counts_real_units(actors, client_as):
    response = client_as(actors.supervisor).get(reverse("core:home"))
    panel = next(p for p in response.context["panels"] if p.title == "全区单位")
    figures = {f.label: f.value for f in panel.figures}
    assert figures["启用单位"] == 4
    assert figures["行政执法部门"] == 3


@pytest.mark.django_db
def test_admin_home_shows_no_business_panels(actors, client_as):
    response = client_as(actors.auditor).get(reverse("core:home"))
    assert [p.title for p in response.context["panels"]] == ["审计", "登录日志"]


def _routes(patterns, prefix=""):
    from django.urls import URLResolver

    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        else:
            yield route


def test_no_route_has_a_literal_number():
    """A list checks each link's view once per path shape (its numbers as 0, core.views.LinkCheck):
    that holds while no two routes differ only in a literal number."""
    import re

    from django.urls import get_resolver

    routes = list(_routes(get_resolver().url_patterns))
    assert len(routes) > 100
    literal = [r for r in routes if re.search(r"\d", re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)", "", r))]
    assert literal == []


def test_a_list_offers_only_links_its_user_may_follow(actors):
    from oversight.core.views import LinkCheck

    follow = LinkCheck(actors.leader)
    # Rows of one shape are resolved once; the leader may open cases.
    assert follow("/cases/7/") == "/cases/7/"
    assert follow("/cases/8/?tab=records") == "/cases/8/?tab=records"
    assert follow("/no/such/page/") is None
    assert len(follow.by_shape) == 2
    # The security administrator reads no business data: the same links are not offered.
    assert LinkCheck(actors.secadmin)("/cases/7/") is None
