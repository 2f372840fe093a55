"""The permission matrix (NetBox's view tests in spirit): every URL pattern × every role × an object
inside the reporter's unit and one outside it, GET and POST, and every list's Excel export.

Each route has a row; a route without one fails `test_every_route_has_a_row`. The expected codes
are written out here, not derived from the code under test.

Role letters: S 监督机构, R 单位填报员 (unit A), H 单位负责人 (unit A), O 执法人员 (unit A), L 区领导,
T 特邀监督员, X 系统管理员, Y 安全管理员, A 审计员, J 司法所 (团城山, linked to 团城山街办: neither unit
A nor unit B is in its scope); "-" is the anonymous visitor.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from .data import ACCOUNTS, PINNED, ROLE_NAMES

ROLES = "SRHOLTXYAJ"
UNIT_ROLES = "RHO"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Route:
    get: str  # roles for whom a GET succeeds; every other signed-in role gets 403
    obj: str | None = None  # the kind of object named by <pk> (see data.World)
    post: str | None = None  # roles whose POST is taken up (None: GET-only, 405 for them)
    # roles (among `get`) for whom unit B's object is a 404; the 司法所 (J), whose 街办 is neither
    # unit, also gets a 404 for unit A's object whenever it is listed here.
    out_of_scope: str = UNIT_ROLES + "J"
    ok: int = 200  # the success code of a GET
    kwargs: dict = field(default_factory=dict)
    public: bool = False  # no login needed
    export: bool = False  # the list exports to Excel (?export=xlsx)
    special: dict = field(default_factory=dict)  # {(role, "a"|"b"|"-"): code} where a row differs


ALL = ROLES
UNIT = "RH"  # the recording unit roles
BUSINESS_READ = "SRHOLJ"

MATRIX: dict[str, Route] = {
    # core
    "core:home": Route(get=ALL),
    "core:healthz": Route(get=ALL, public=True),
    "core:readyz": Route(get=ALL, public=True),
    # Off without METRICS_TOKEN (as here); with it, only its bearer reads (test_observability.py).
    "core:metrics": Route(get=ALL, public=True, ok=404),
    "core:notifications": Route(get=ALL),
    "core:notification_open": Route(
        get="R", obj="notification", ok=302, out_of_scope="R",
        special={**{(r, "a"): 404 for r in "SHOLTXYAJ"}, **{(r, "b"): 404 for r in ROLES}},
    ),
    "core:notifications_read_all": Route(get=ALL, ok=302, post=ALL),
    "core:calendar": Route(get="X", post="X"),
    "core:jobs": Route(get="X"),
    "core:scheduled_runs": Route(get="X", export=True),
    "core:job_detail": Route(
        get=ALL, obj="job", out_of_scope=ALL, special={(r, "a"): 404 for r in ROLES if r != "R"}
    ),
    "core:audit_list": Route(get="A", export=True),
    "core:rules_security": Route(get="Y", post="Y"),
    "core:rules": Route(get="Y", post="Y", kwargs={"category": "security"}),
    # accounts
    "accounts:login": Route(get="", public=True, post=ALL, special={**{(r, "-"): 302 for r in ROLES}, ("-", "-"): 200}),
    "accounts:logout": Route(get="", post=ALL, special={(r, "-"): 405 for r in "-" + ROLES}),
    "accounts:password_change": Route(get=ALL, post=ALL),
    "accounts:user_list": Route(get="X", export=True),
    "accounts:user_add": Route(get="X", post="X"),
    "accounts:user_edit": Route(get="X", obj="user", post="X", out_of_scope=""),
    "accounts:user_reset_password": Route(get="", obj="user", post="Y", out_of_scope="", special={("Y", "a"): 405, ("Y", "b"): 405}),
    "accounts:user_unlock": Route(get="", obj="user", post="Y", out_of_scope="", special={("Y", "a"): 405, ("Y", "b"): 405}),
    "accounts:user_grant": Route(get="Y", obj="user", post="Y", out_of_scope=""),
    "accounts:token_list": Route(get="SRHY", post="SRH"),
    "accounts:token_revoke": Route(get="", obj="token", post="SRHY", out_of_scope="", special={(r, w): 405 for r in "SRHOLTXYAJ" for w in "ab"}),
    "accounts:security_users": Route(get="Y", export=True),
    "accounts:login_log": Route(get="A", export=True),
    # organisations
    "organisations:unit_list": Route(get="SRHLXYJ", export=True),
    "organisations:unit_add": Route(get="X", post="X"),
    "organisations:unit_import": Route(get="X", post="X"),
    "organisations:unit_template": Route(get="X"),
    "organisations:unit_detail": Route(get="SRHLXYJ", obj="unit", out_of_scope="RHJ"),
    "organisations:unit_edit": Route(get="RHXY", obj="unit", post="RHXY", out_of_scope="RH"),
    "organisations:unit_delete": Route(get="", obj="unit", post="X", out_of_scope="", special={("X", "a"): 405, ("X", "b"): 405}),
    "organisations:webhook_list": Route(get="X", export=True),
    "organisations:webhook_add": Route(get="X", post="X"),
    "organisations:robot_post_list": Route(get="X", export=True),
    "organisations:webhook_edit": Route(get="X", obj="webhook", post="X", out_of_scope=""),
    "organisations:webhook_test": Route(get="", obj="webhook", post="X", out_of_scope="", special={("X", "a"): 405, ("X", "b"): 405}),
    "organisations:group_list": Route(get="SRHLXJ", export=True),
    "organisations:group_add": Route(get="X", post="X"),
    "organisations:group_detail": Route(get="SRHLXJ", obj="group", out_of_scope=""),
    "organisations:group_edit": Route(get="X", obj="group", post="X", out_of_scope=""),
    "organisations:group_delete": Route(get="", obj="group", post="X", out_of_scope="", special={("X", "a"): 405}),
    # work plans
    "workplans:plan_list": Route(get="SRHLJ", export=True),
    "workplans:workspace": Route(get="RH"),
    "workplans:assignments_sign": Route(get="", post="RH"),
    "bulletins:cockpit": Route(get="SL"),
    "workplans:assignment_list": Route(get="SRHLJ", export=True),
    "workplans:letter_list": Route(get="S", export=True),
    "workplans:letter_issue": Route(get="S", obj="letter", post="S", out_of_scope=""),
    "bulletins:bulletin_list": Route(get="SRHLJ", export=True),
    "bulletins:bulletin_add": Route(get="S", post="S"),
    "bulletins:bulletin_schedule": Route(get="", post="S", special={("S", "-"): 405}),
    "bulletins:bulletin_detail": Route(get="SRHLJ", obj="bulletin", post="S", out_of_scope=""),
    "bulletins:evaluation_list": Route(get="SRHLJ", export=True),
    "bulletins:evaluation_add": Route(get="S", post="S"),
    "bulletins:evaluation_detail": Route(get="S", obj="evaluation", post="S", out_of_scope="", special={(r, "a"): 404 for r in "RHLJ"}),
    "workplans:notification_rule_list": Route(get="S", export=True),
    "workplans:notification_rule_add": Route(get="S", post="S"),
    "workplans:notification_rule_edit": Route(get="S", obj="rule", post="S", out_of_scope=""),
    "workplans:plan_detail": Route(get="SRHLJ", obj="plan", out_of_scope=""),
    "workplans:plan_issue": Route(get="", obj="plan", post="S", out_of_scope="", special={("S", "a"): 405}),
    "workplans:plan_settings": Route(get="", obj="plan", post="S", out_of_scope="", special={("S", "a"): 405}),
    "workplans:plan_calendar": Route(get="SRHLJ", obj="plan", out_of_scope=""),
    "workplans:task_detail": Route(get="SRHLJ", obj="task", out_of_scope=""),
    "workplans:task_units": Route(get="", obj="task", post="S", out_of_scope="", special={("S", "a"): 405, ("S", "b"): 405}),
    "workplans:assignment_detail": Route(get="SRHLJ", obj="assignment"),
    "workplans:report_form": Route(get="RH", obj="assignment", post="RH", out_of_scope="RH"),
    "workplans:assignment_action": Route(get="", obj="assignment", post="SRHL", kwargs={"op": "sign"}, special={(r, w): 405 for r in "SRHLJ" for w in "ab"}),
    "workplans:report_detail": Route(get="SRHLJ", obj="report"),
    "workplans:report_action": Route(get="", obj="report", post="SRHL", kwargs={"op": "submit"}, special={(r, w): 405 for r in "SRHLJ" for w in "ab"}),
    "workplans:evidence_file": Route(get="SRHLJ", obj="evidence"),
    "workplans:evidence_delete": Route(get="", obj="evidence", post="RH", special={(r, w): 405 for r in "RH" for w in "ab"}),
    # notices
    "notices:draft_list": Route(get="S", export=True),
    "notices:draft_new": Route(get="S", post="S"),
    "notices:draft_review": Route(get="S", obj="draft", post="S", out_of_scope=""),
    "notices:draft_task": Route(get="S", obj="draft", post="S", out_of_scope="", kwargs={"kind": "table", "index": 0}),
    "notices:draft_map": Route(get="", obj="draft", post="S", out_of_scope="", special={("S", "a"): 405}),
    "notices:draft_year": Route(get="", obj="draft", post="S", out_of_scope="", special={("S", "a"): 405}),
    "notices:draft_confirm": Route(get="", obj="draft", post="S", out_of_scope="", special={("S", "a"): 405}),
    "notices:draft_discard": Route(get="", obj="draft", post="S", out_of_scope="", special={("S", "a"): 405}),
    # enforcement
    "enforcement:dashboard": Route(get=BUSINESS_READ),
    "enforcement:subject_list": Route(get=BUSINESS_READ, export=True),
    "enforcement:subject_add": Route(get="S", post="S"),
    "enforcement:subject_confirm": Route(get="", post="S", special={("S", "-"): 405}),
    "enforcement:subject_edit": Route(get="S", obj="subject", post="S"),
    "enforcement:officer_list": Route(get=BUSINESS_READ, export=True),
    "enforcement:officer_add": Route(get="SRH", post="SRH"),
    "enforcement:officer_import": Route(get="SRH", post="SRH"),
    "enforcement:officer_detail": Route(get=BUSINESS_READ, obj="officer"),
    "enforcement:officer_edit": Route(get="SRH", obj="officer", post="SRH"),
    # POST-only views answer a GET with 405 before they look the object up.
    "enforcement:officer_identity": Route(get="", obj="officer", post="SH", out_of_scope="H", special={(r, w): 405 for r in "SH" for w in "ab"}),
    "enforcement:certificate_issue": Route(get="", obj="officer", post="SRH", out_of_scope="RH", special={(r, w): 405 for r in "SRH" for w in "ab"}),
    "enforcement:certificate_list": Route(get=BUSINESS_READ, export=True),
    "enforcement:certificate_detail": Route(get=BUSINESS_READ, obj="certificate", post="S"),
    "enforcement:cleanup_list": Route(get=BUSINESS_READ, export=True),
    "enforcement:cleanup_add": Route(get="S", post="S"),
    "enforcement:cleanup_detail": Route(get=BUSINESS_READ, obj="cleanup", post="S", out_of_scope="", special={("O", "a"): 404}),
    "enforcement:training": Route(get=BUSINESS_READ, export=True),
    "enforcement:training_plan": Route(get="", post="SRH", special={(r, "-"): 405 for r in "SRH"}),
    "enforcement:course_list": Route(get=BUSINESS_READ, export=True),
    "enforcement:course_add": Route(get="SRH", post="SRH"),
    "enforcement:attendance_import": Route(get="SRH", post="SRH"),
    "enforcement:course_detail": Route(get=BUSINESS_READ, obj="course", post="SRH", out_of_scope=""),
    "enforcement:course_edit": Route(get="SRH", obj="course", post="SRH", out_of_scope="RH"),
    # cases
    "cases:case_list": Route(get=BUSINESS_READ, export=True),
    "cases:case_add": Route(get="SRH", post="SRH"),
    "cases:case_import": Route(get="SRH", post="SRH"),
    "cases:findings": Route(get=BUSINESS_READ),
    "cases:case_detail": Route(get=BUSINESS_READ, obj="case", post="SRH"),
    "cases:case_edit": Route(get="SRH", obj="case", post="SRH"),
    "inspections:enterprise_list": Route(get=BUSINESS_READ, export=True),
    "inspections:enterprise_add": Route(get="SRH", post="SRH"),
    "inspections:enterprise_import": Route(get="SRH", post="SRH"),
    "inspections:conflict_list": Route(get="SRH", export=True),
    "inspections:conflict_add": Route(get="SRH", post="SRH"),
    "inspections:inspection_list": Route(get=BUSINESS_READ, export=True),
    "inspections:inspection_add": Route(get="SRH", post="SRH"),
    "cases:leniency_list": Route(get=BUSINESS_READ, export=True),
    "cases:leniency_add": Route(get="SRH", post="SRH"),
    "inspections:draw_list": Route(get=BUSINESS_READ, export=True),
    "inspections:draw_add": Route(get="SRH", post="SRH"),
    # Draws are a unit's business, not an individual officer's: the list is empty for them.
    "inspections:draw_detail": Route(get="SRHLJ", obj="draw", post="SRH", special={("O", "a"): 404, ("O", "b"): 404}),
    # supervision: clues reach a unit only once transferred to it; officers (who may be the ones
    # complained of) and the special supervisors do not see them.
    "supervision:dashboard": Route(get="SL"),
    "supervision:clue_list": Route(get="SRHLJ", export=True),
    "supervision:clue_add": Route(get="S", post="S"),
    "supervision:clue_import": Route(get="S", post="S"),
    "supervision:clue_detail": Route(get="SRHLJ", obj="clue", post="SRH"),
    "supervision:clue_file": Route(get="SRHLJ", obj="clue_file"),
    # Matters are the bureau's files (leaders read them); units see the documents sent to them.
    "supervision:matter_list": Route(get="SL", export=True),
    "supervision:matter_add": Route(get="S", post="S"),
    "supervision:matter_detail": Route(get="SL", obj="matter", post="S", out_of_scope=""),
    "supervision:document_list": Route(get="SRHLJ", export=True),
    "supervision:document_add": Route(get="S", post="S"),
    "supervision:document_detail": Route(get="SRHLJ", obj="document", post="SRH"),
    "supervision:document_file": Route(get="SRHLJ", obj="document"),
    "supervision:special_supervisor_list": Route(get="SL", export=True),
    "supervision:special_supervisor_add": Route(get="S", post="S"),
    "supervision:special_supervisor_detail": Route(get="SL", obj="special_supervisor", post="S", out_of_scope=""),
    "supervision:special_supervisor_edit": Route(get="S", obj="special_supervisor", post="S", out_of_scope=""),
    "supervision:contact_point_list": Route(get="SL", export=True),
    "supervision:contact_point_add": Route(get="S", post="S"),
    # special rectification: every unit on the campaign reads its own problems; the 司法所's 街办 is
    # not on the demo campaign.
    "supervision:campaign_list": Route(get="SRHLJ", export=True),
    "supervision:campaign_add": Route(get="S", post="S"),
    "supervision:campaign_detail": Route(get="SRHLJ", obj="campaign", post="SRH", out_of_scope="", special={("J", "a"): 404}),
    "supervision:problem_detail": Route(get="SRHLJ", obj="problem", post="SRH"),
    "supervision:problem_type_list": Route(get="SL", export=True),
    "supervision:problem_type_add": Route(get="S", post="S"),
    "supervision:problem_type_edit": Route(get="S", obj="problem_type", post="S", out_of_scope=""),
    "supervision:contact_point_edit": Route(get="S", obj="contact_point", post="S", out_of_scope=""),
    # A special supervisor reports problems and follows their own clues.
    "supervision:supervisor_clues": Route(get="T", post="T"),
    # case-file review: the bureau runs rounds (leaders read them); a unit reads its own files, a
    # reviewer only the files assigned to them (the demo's officer reviews B's file, never A's; the
    # special supervisor reviews A's file, not this one of B's).
    "reviews:round_list": Route(get="SL", export=True),
    "reviews:round_add": Route(get="S", post="S"),
    "reviews:round_detail": Route(get="SL", obj="review_round", post="S", out_of_scope=""),
    "reviews:problems": Route(get="SL"),
    "reviews:scheme_list": Route(get="SL", export=True),
    "reviews:scheme_add": Route(get="S", post="S"),
    "reviews:scheme_detail": Route(get="SL", obj="review_scheme", post="S", out_of_scope=""),
    "reviews:file_list": Route(get="SRHLOTJ", export=True),
    "reviews:file_detail": Route(
        get="SRHLOTJ", obj="review_file", post="SRHOT", out_of_scope="RHJ",
        special={("O", "a"): 404, ("O", "b"): 200, ("T", "b"): 404},
    ),
    "reviews:file_content": Route(
        get="SRHLOTJ", obj="review_file", out_of_scope="RHJ",
        special={("O", "a"): 404, ("O", "b"): 200, ("T", "b"): 404},
    ),
    # the enforcement item catalogue: read by everyone in enforcement; units propose, the bureau reviews
    "catalogue:catalogue": Route(get=BUSINESS_READ, export=True),
    "catalogue:import": Route(get="SRH", post="SRH"),
    "catalogue:adjustment_list": Route(get="SRH", export=True),
    "catalogue:adjustment_add": Route(get="SRH", post="SRH"),
    "catalogue:adjustment_detail": Route(get="SRH", obj="adjustment", post="S"),
    # delegated items: the bureau manages; the delegating department (B) and the 街办 (and its
    # 司法所) fill the evaluation form; unit A is not concerned.
    "catalogue:delegation_list": Route(get="SRHLJ", export=True),
    "catalogue:delegation_add": Route(get="S", post="S"),
    "catalogue:delegation_review_list": Route(get="SRHLJ", export=True),
    "catalogue:delegation_review_add": Route(get="S", post="S"),
    "catalogue:delegation_review_detail": Route(get="SRHLJ", obj="delegation_review", out_of_scope="RH"),
    "catalogue:delegation_form": Route(get="SRHLJ", obj="delegation_form", post="SRH", out_of_scope="RH"),
    # public pages
    "portal:index": Route(get=ALL, public=True),
    "portal:subjects": Route(get=ALL, public=True),
    "portal:officers": Route(get=ALL, public=True),
    "portal:cleanup": Route(get=ALL, public=True, obj="published_cleanup", out_of_scope=""),
    "portal:draws": Route(get=ALL, public=True),
    "portal:draw": Route(get=ALL, public=True, obj="published_draw", out_of_scope=""),
    "portal:catalogue": Route(get=ALL, public=True),
    "portal:complaint": Route(get=ALL, public=True, post=ALL),
    "portal:complaint_done": Route(get=ALL, public=True),
    "portal:complaint_query": Route(get=ALL, public=True, post=ALL),
    # the REST API (token or session)
    "api-root": Route(get=ALL, special={("-", "-"): 401}),
    "unit-list": Route(get="SRHLXYJ", special={("-", "-"): 401}),
    "unit-detail": Route(get="SRHLXYJ", obj="unit", out_of_scope="RHJ", special={("-", "a"): 401, ("-", "b"): 401}),
    "case-list": Route(get=BUSINESS_READ, post="SRH", special={("-", "-"): 401}),
    "case-detail": Route(get=BUSINESS_READ, obj="case", post="", special={("-", "a"): 401, ("-", "b"): 401}),
    "inspection-list": Route(get=BUSINESS_READ, post="SRH", special={("-", "-"): 401}),
    "inspection-detail": Route(get=BUSINESS_READ, obj="inspection", post="", special={("-", "a"): 401, ("-", "b"): 401}),
    "clue-list": Route(get="SRHLJ", post="S", special={("-", "-"): 401}),
    "clue-detail": Route(get="SRHLJ", obj="clue", post="", special={("-", "a"): 401, ("-", "b"): 401}),
    "api_schema": Route(get=ALL, special={("-", "-"): 401}),
    "api_docs": Route(get=ALL),
}  # fmt: skip


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_route_has_a_row():
    names = _route_names()
    assert sorted(names - set(MATRIX)) == [], "新路由须在权限矩阵中登记预期结果"
    assert sorted(set(MATRIX) - names) == [], "矩阵中有已不存在的路由"


@pytest.fixture
def pinned():
    with time_machine.travel(PINNED, tick=False):
        yield


@pytest.fixture
def as_role(client, django_user_model):
    users = {}

    def login(role: str):
        client.logout()
        if role != "-":
            if role not in users:
                users[role] = django_user_model.objects.get(username=ACCOUNTS[role])
            client.force_login(users[role])
        return client

    return login


def _urls(name: str, route: Route, world) -> list[tuple[str, str]]:
    """(which, url): "-" for a route without an object, "a"/"b" for the two objects."""
    if route.obj is None:
        return [("-", reverse(name, kwargs=route.kwargs))]
    pair = world.objects[route.obj]
    queries = world.queries.get(name.split(":")[-1], {})
    urls = []
    for which, pk in (("a", pair.a), ("b", pair.b)):
        if pk is not None:
            url = reverse(name, kwargs={"pk": pk, **route.kwargs})
            urls.append((which, url + queries.get(which, "")))
    assert urls, f"演示数据中没有 {route.obj} 对象"
    return urls


def _expected_get(route: Route, role: str, which: str) -> int:
    if (role, which) in route.special:
        return route.special[(role, which)]
    if role == "-":
        return route.ok if route.public else 302
    if role not in route.get:
        return 405 if route.get == "" and route.post and role in route.post else 403
    if which == "b" and role in route.out_of_scope:
        return 404
    if which == "a" and role == "J" and "J" in route.out_of_scope:
        return 404
    return route.ok


# Inline scripts and handlers would be blocked by the Content-Security-Policy (script-src 'self').
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[\"']|hx-on", re.I)


def _markers_of_b(world) -> list[str]:
    return [p.marker_b for p in world.objects.values() if p.marker_b]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get(name, world, as_role, pinned):
    route = MATRIX[name]
    wrong = []
    markers = _markers_of_b(world)
    for which, url in _urls(name, route, world):
        for role in "-" + ROLES:
            response = as_role(role).get(url)
            expected = _expected_get(route, role, which)
            if response.status_code != expected:
                wrong.append(
                    f"{ROLE_NAMES[role]} {which} {url}: {response.status_code} ≠ {expected}"
                )
                continue
            if expected == 200 and response.get("Content-Type", "").startswith("text/html"):
                inline = _INLINE_SCRIPT.search(response.content.decode())
                if inline:
                    wrong.append(f"{ROLE_NAMES[role]} {url} 含内联脚本 {inline.group(0)!r}")
            if (
                role in UNIT_ROLES + "J"
                and not route.public
                and expected == 200
                and which != "b"
                and response.get("Content-Type", "").startswith("text/html")
            ):
                body = response.content.decode()
                leaked = [m for m in markers if m in body]
                if leaked:
                    wrong.append(f"{ROLE_NAMES[role]} {url} 显示了其他单位的 {leaked}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_post_is_refused_to_roles_without_the_right(name, world, as_role, pinned):
    from oversight.core.models import AuditEntry

    route = MATRIX[name]
    allowed = route.post or ""
    wrong = []
    for which, url in _urls(name, route, world):
        for role in "-" + ROLES:
            if role in allowed and not (which == "b" and role in route.out_of_scope):
                continue
            before = AuditEntry.objects.count()
            response = as_role(role).post(url, {})
            if role == "-":
                ok = response.status_code in {302, 401, 403, 405} and (
                    response.status_code != 302 or "/accounts/login/" in response.url
                )
                if route.public or name == "accounts:login":
                    ok = response.status_code in {200, 302, 403, 405}
            else:
                ok = response.status_code in {403, 404, 405}
            if not ok:
                wrong.append(f"{ROLE_NAMES[role]} {which} POST {url}: {response.status_code}")
            if AuditEntry.objects.count() != before:
                wrong.append(f"{ROLE_NAMES[role]} {which} POST {url} 写入了数据")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.post))
def test_post_by_roles_with_the_right_never_fails_on_the_server(name, world, as_role, pinned):
    route = MATRIX[name]
    for which, url in _urls(name, route, world):
        for role in route.post or "":
            if which == "b" and role in route.out_of_scope:
                continue
            response = as_role(role).post(url, {})
            assert response.status_code < 500, f"{ROLE_NAMES[role]} POST {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.export))
def test_every_list_exports_for_every_role_that_sees_it(name, world, as_role, pinned):
    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs)
    markers = _markers_of_b(world)
    for role in route.get:
        response = as_role(role).get(url, {"export": "xlsx"})
        assert response.status_code == 200, f"{ROLE_NAMES[role]} {url}"
        assert response["Content-Type"] == XLSX, f"{ROLE_NAMES[role]} {url}"
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        text = "\n".join(
            str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
        )  # fmt: skip
        assert text, f"{ROLE_NAMES[role]} {url}: 空工作簿"
        if role in UNIT_ROLES + "J":
            leaked = [m for m in markers if re.search(re.escape(m), text)]
            assert not leaked, f"{ROLE_NAMES[role]} 导出 {url} 含其他单位的 {leaked}"


_TABLE_LINK = re.compile(r'<td><a href="(/[^"?#]*)[^"]*">')
# What a role got when it followed a link: many pages link to the same task, unit or case, and the
# data does not change between these tests, so each (role, link) is followed once.
_FOLLOWED: dict[tuple[str, str], int] = {}


def _follow(client, role: str, href: str) -> int:
    if (role, href) not in _FOLLOWED:
        _FOLLOWED[(role, href)] = client.get(href).status_code
    return _FOLLOWED[(role, href)]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.export and not r.obj))
def test_links_in_a_list_lead_where_the_user_may_go(name, world, as_role, pinned):
    """A list never offers a link that answers 403 or 404 (a name the user cannot open is text)."""
    route = MATRIX[name]
    wrong = []
    for role in route.get:
        client = as_role(role)
        page = client.get(reverse(name, kwargs=route.kwargs))
        if page.status_code != 200:
            continue
        table = page.content.decode().partition('data-testid="object-table"')[2]
        for href in list(dict.fromkeys(_TABLE_LINK.findall(table)))[:3]:
            code = _follow(client, role, href)
            if code in {403, 404}:
                wrong.append(
                    f"{ROLE_NAMES[role]} {reverse(name, kwargs=route.kwargs)} → {href}: {code}"
                )
    assert not wrong, "\n".join(wrong)


_MAIN_LINK = re.compile(r'<a [^>]*href="(/[^"?#]*)"')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted(n for n, r in MATRIX.items() if r.obj and r.ok == 200 and not r.public)
)
def test_links_on_a_page_lead_where_the_user_may_go(name, world, as_role, pinned):
    """An object's page offers no link (to a unit, a subject, a task…) that answers 403 or 404."""
    route = MATRIX[name]
    wrong = []
    for which, url in _urls(name, route, world):
        for role in route.get:
            if _expected_get(route, role, which) != 200:
                continue
            client = as_role(role)
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue  # a file, not a page
            main = response.content.decode().partition("<main")[2].partition("</main>")[0]
            hrefs = [h for h in dict.fromkeys(_MAIN_LINK.findall(main)) if h != url]
            for href in hrefs[:6]:
                code = _follow(client, role, href)
                if code in {403, 404}:
                    wrong.append(f"{ROLE_NAMES[role]} {url} → {href}: {code}")
    assert not wrong, "\n".join(wrong)
