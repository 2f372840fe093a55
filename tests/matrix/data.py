"""The demo district as the permission matrix sees it: one account per role, and for every kind of
object behind a URL an object inside the reporter's unit (区市场监管局, "A") and one outside it
(区城管执法局, "B").

Loaded once per test module inside a transaction that is rolled back at the end, as of a pinned
date so the demo's lights, deadlines and warnings are the same on any day the suite runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

UNIT_A = "区市场监管局"
UNIT_B = "区城管执法局"
# The pinned "today" of the matrix: a working day in the middle of the seed plan's life.
PINNED = datetime.datetime(
    2026, 6, 17, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)

# Demo account per role letter (see ROLE_NAMES), and the anonymous visitor "-".
ACCOUNTS = {
    "S": "jiandu",
    "R": "scj_tianbao",
    "H": "scj_fuzeren",
    "O": "zhifa",
    "L": "lingdao",
    "T": "tejian",
    "J": "tcs_sifasuo",
    "X": "xitong",
    "Y": "anquan",
    "A": "shenji",
}
ROLE_NAMES = {
    "S": "监督机构",
    "R": "单位填报员",
    "H": "单位负责人",
    "O": "执法人员",
    "L": "区领导",
    "T": "特邀监督员",
    "J": "司法所",
    "X": "系统管理员",
    "Y": "安全管理员",
    "A": "审计员",
    "-": "未登录",
}


@dataclass
class Pair:
    """An object of unit A (in the unit roles' scope) and one of unit B (outside it)."""

    a: int | None
    b: int | None
    marker_b: str = ""  # text that identifies B's object and must not show to A's unit roles


@dataclass
class World:
    units: dict[str, int] = field(default_factory=dict)
    objects: dict[str, Pair] = field(default_factory=dict)
    queries: dict[str, dict[str, str]] = field(default_factory=dict)  # route → which → "?…"


def _pair(model, path: str, marker=None, extra: Q | None = None) -> Pair:
    from oversight.organisations.models import Unit

    qs = model.objects.all()
    if extra is not None:
        qs = qs.filter(extra)
    a_unit = Unit.objects.get(short_name=UNIT_A)
    b_unit = Unit.objects.get(short_name=UNIT_B)
    a = qs.filter(**{path: a_unit}).order_by("pk").first()
    b = qs.filter(**{path: b_unit}).order_by("pk").first()
    return Pair(
        a.pk if a else None,
        b.pk if b else None,
        marker(b) if (marker and b) else "",
    )


def _add_what_the_demo_lacks() -> None:
    """Objects the demo has none of but a route needs: a group robot per unit, a clean-up
    campaign, and a piece of evidence on a report of each unit (through the services, as the
    pages would make them)."""
    import hashlib

    from django.core.files.base import ContentFile

    from oversight.accounts.models import User
    from oversight.enforcement.services import cleanup_start
    from oversight.organisations.models import Unit
    from oversight.organisations.services import webhook_save
    from oversight.workplans.models import Evidence, Report

    supervisor = User.objects.get(username=ACCOUNTS["S"])
    for short_name in (UNIT_A, UNIT_B):
        unit = Unit.objects.get(short_name=short_name)
        webhook_save(
            target=None,
            data={
                "name": f"{short_name}工作群(测试)",
                "kind": "wecom",
                "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test",
                "unit": unit,
            },
        )
        report = Report.objects.filter(assignment__unit=unit).order_by("pk").first()
        if report is not None:
            data = b"%PDF-1.4 matrix"
            evidence = Evidence(
                report=report,
                original_name="材料.pdf",
                content_type="application/pdf",
                size=len(data),
                sha256=hashlib.sha256(data + short_name.encode()).hexdigest(),
            )
            evidence.file.save(evidence.sha256, ContentFile(data), save=False)
            evidence.save()
    from oversight.enforcement.services import cleanup_apply, cleanup_decide, cleanup_publish

    today = datetime.date(PINNED.year, PINNED.month, PINNED.day)
    done = cleanup_start(
        title="已完成的资格清理(测试)",
        as_of=today,
        response_due=today + datetime.timedelta(days=30),
        user=supervisor,
    )
    for item in done.items.all():
        cleanup_decide(item=item, decision="keep", user=supervisor)
    cleanup_apply(campaign=done, user=supervisor)
    cleanup_publish(campaign=done, user=supervisor)
    cleanup_start(
        title="进行中的资格清理(测试)",
        as_of=today,
        response_due=today + datetime.timedelta(days=30),
        user=supervisor,
    )


def report_form_query(assignment_id: int) -> str:
    """The query string of the report form for the first obligation of an assignment."""
    from oversight.workplans.lights import obligations
    from oversight.workplans.models import Assignment

    assignment = Assignment.objects.get(pk=assignment_id)
    today = datetime.date(PINNED.year, PINNED.month, PINNED.day)
    for ob in obligations(assignment, today):
        return f"?kind={ob.kind}&due={ob.due.isoformat()}"
    return ""


def build_world() -> World:
    """Every pk-route's pair of objects, from the loaded demo data (all created by its loaders)."""
    from oversight.accounts.models import User
    from oversight.bulletins.models import Bulletin, EvaluationScheme
    from oversight.cases.models import Case
    from oversight.core.models import Notification
    from oversight.enforcement.models import (
        Certificate,
        CleanupCampaign,
        Course,
        EnforcementSubject,
        Officer,
    )
    from oversight.inspections.models import Draw
    from oversight.notices.models import NoticeDraft
    from oversight.organisations.models import Unit, UnitGroup, WebhookTarget
    from oversight.workplans.models import (
        Assignment,
        Evidence,
        NotificationRule,
        Plan,
        Report,
        SupervisionLetter,
        Task,
    )

    _add_what_the_demo_lacks()
    world = World()
    a_unit = Unit.objects.get(short_name=UNIT_A)
    b_unit = Unit.objects.get(short_name=UNIT_B)
    world.units = {"A": a_unit.pk, "B": b_unit.pk}
    o = world.objects
    o["unit"] = Pair(a_unit.pk, b_unit.pk)
    o["case"] = _pair(Case, "unit", lambda c: c.number)
    o["draw"] = _pair(Draw, "unit")
    from oversight.supervision.models import Clue
    from oversight.supervision.scoping import UNIT_STAGES

    o["clue"] = _pair(Clue, "unit", lambda c: c.number, extra=Q(status__in=UNIT_STAGES))
    from oversight.supervision.models import ClueAttachment

    o["clue_file"] = _pair(
        ClueAttachment, "clue__unit", extra=Q(shared=True, clue__status__in=UNIT_STAGES)
    )
    from oversight.supervision.models import Document, Matter

    o["document"] = _pair(Document, "unit", lambda d: d.number)
    matter = Matter.objects.order_by("pk").first()
    o["matter"] = Pair(matter.pk if matter else None, None)
    from oversight.supervision.models import ContactPoint, SpecialSupervisor

    person = SpecialSupervisor.objects.order_by("pk").first()
    o["special_supervisor"] = Pair(person.pk if person else None, None)
    from oversight.catalogue.models import Adjustment

    o["adjustment"] = _pair(Adjustment, "unit")
    from oversight.catalogue.models import DelegationForm, DelegationReview

    # The demo delegation is B's (区城管执法局) to 团城山街办: only a "b" object.
    form = DelegationForm.objects.order_by("pk").first()
    o["delegation_form"] = Pair(None, form.pk if form else None)
    review = DelegationReview.objects.order_by("pk").first()
    o["delegation_review"] = Pair(None, review.pk if review else None)
    from oversight.reviews.models import ReviewFile, ReviewRound, ReviewScheme

    # A's file (reviewed by the bureau and the special supervisor), and a file of B reviewed by the
    # demo officer of A and not by the special supervisor.
    o["review_file"] = _pair(
        ReviewFile, "unit",
        extra=(Q(unit__short_name=UNIT_A) | (Q(sheets__reviewer__user__username="zhifa") & ~Q(sheets__reviewer__user__username="tejian"))),
    )  # fmt: skip
    first_round = ReviewRound.objects.order_by("pk").first()
    o["review_round"] = Pair(first_round.pk if first_round else None, None)
    scheme = ReviewScheme.objects.order_by("pk").first()
    o["review_scheme"] = Pair(scheme.pk if scheme else None, None)
    from oversight.supervision.models import Campaign, Problem, ProblemType

    campaign = Campaign.objects.order_by("pk").first()
    o["campaign"] = Pair(campaign.pk if campaign else None, None)
    o["problem"] = _pair(Problem, "unit")

    kind = ProblemType.objects.order_by("pk").first()
    o["problem_type"] = Pair(kind.pk if kind else None, None)
    point = ContactPoint.objects.order_by("pk").first()
    o["contact_point"] = Pair(point.pk if point else None, None)
    # A name is a marker only when no one else has it (demo names could repeat across units).
    o["officer"] = _pair(
        Officer,
        "unit",
        lambda x: x.name if Officer.objects.filter(name=x.name).count() == 1 else "",
    )
    o["certificate"] = _pair(Certificate, "officer__unit", lambda c: c.number)
    o["subject"] = _pair(EnforcementSubject, "unit", lambda s: s.name)
    o["course"] = _pair(Course, "unit")  # courses are open to every unit (the bureau's serve all)
    o["assignment"] = _pair(Assignment, "unit")
    o["report"] = _pair(Report, "assignment__unit")
    o["evidence"] = _pair(Evidence, "report__assignment__unit")
    o["letter"] = _pair(SupervisionLetter, "assignment__unit")
    o["webhook"] = _pair(WebhookTarget, "unit")
    world.queries["report_form"] = {
        "a": report_form_query(o["assignment"].a),
        "b": report_form_query(o["assignment"].b),
    }
    # Tasks: one the unit A is assigned to, one it is not.
    task_a = Task.objects.filter(assignments__unit=a_unit).order_by("pk").first()
    task_b = (
        Task.objects.exclude(assignments__unit=a_unit)
        .filter(assignments__unit=b_unit)
        .order_by("pk")
        .first()
    )
    o["task"] = Pair(task_a.pk if task_a else None, task_b.pk if task_b else None)
    plan = Plan.objects.order_by("pk").first()
    o["plan"] = Pair(plan.pk if plan else None, None)
    bulletin = Bulletin.objects.order_by("pk").first()
    o["bulletin"] = Pair(bulletin.pk if bulletin else None, None)
    scheme = EvaluationScheme.objects.order_by("pk").first()
    o["evaluation"] = Pair(scheme.pk if scheme else None, None)
    rule = NotificationRule.objects.order_by("pk").first()
    o["rule"] = Pair(rule.pk if rule else None, None)
    draft = NoticeDraft.objects.order_by("pk").first()
    o["draft"] = Pair(draft.pk if draft else None, None)
    group = UnitGroup.objects.order_by("pk").first()
    o["group"] = Pair(group.pk if group else None, None)
    cleanup = CleanupCampaign.objects.filter(status="open").order_by("pk").first()
    o["cleanup"] = Pair(cleanup.pk if cleanup else None, None)
    closed = CleanupCampaign.objects.exclude(status="open").order_by("pk").first()
    o["published_cleanup"] = Pair(closed.pk if closed else None, None)
    from oversight.accounts.models import ApiToken
    from oversight.accounts.services import token_create
    from oversight.inspections.models import Inspection

    o["inspection"] = _pair(Inspection, "unit")
    published = Draw.objects.filter(status=Draw.Status.PUBLISHED).order_by("pk").first()
    o["published_draw"] = Pair(published.pk if published else None, None)
    reporter = User.objects.get(username=ACCOUNTS["R"])
    if not ApiToken.objects.filter(user=reporter).exists():
        token_create(actor=reporter, name="矩阵测试")
    other_unit_user = User.objects.get(username="cgj_tianbao")
    if not ApiToken.objects.filter(user=other_unit_user).exists():
        token_create(actor=other_unit_user, name="矩阵测试")
    o["token"] = Pair(
        ApiToken.objects.filter(user=reporter).first().pk,
        ApiToken.objects.filter(user=other_unit_user).first().pk,
    )
    other = User.objects.get(username="cgj_tianbao")
    o["user"] = Pair(reporter.pk, other.pk)
    mine = Notification.objects.filter(user=reporter).order_by("pk").first()
    theirs = Notification.objects.filter(user=other).order_by("pk").first()
    o["notification"] = Pair(mine.pk if mine else None, theirs.pk if theirs else None)
    from oversight.core.models import Job

    jobs = [
        Job.objects.get_or_create(
            kind="matrix",
            created_by=user,
            defaults={"title": "矩阵测试的导入", "status": "succeeded"},
        )[0]
        for user in (reporter, other)
    ]
    o["job"] = Pair(jobs[0].pk, jobs[1].pk)  # only the one who started a job follows it
    return world
