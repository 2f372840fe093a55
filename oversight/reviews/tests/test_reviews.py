"""Case-file review: the sample, the reviewers, the pre-check, blind scoring, arbitration,
objection and the locked result."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as Docx

from oversight.cases import services as cases
from oversight.cases.models import Case
from oversight.core.roles import Role
from oversight.core.testing.fixtures import make_user
from oversight.reviews import services
from oversight.reviews.models import ReviewFile, ScoreSheet

D = dt.date


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


POOL = [
    [i, 1 if i <= 12 else 2, "penalty" if i % 3 else "permit", "red" if i in {5, 17} else "green"]
    for i in range(1, 25)
]


class TestSample:
    def test_the_same_seed_draws_the_same_files_and_every_unit_gets_its_share(self):
        seed = "ab" * 16
        first = services.compute_sample(
            seed=seed, pool=POOL, per_unit=3, share=None, min_per_unit=1
        )
        assert first == services.compute_sample(
            seed=seed, pool=POOL, per_unit=3, share=None, min_per_unit=1
        )
        assert first != services.compute_sample(
            seed="cd" * 16, pool=POOL, per_unit=3, share=None, min_per_unit=1
        )
        unit_1 = [c for c in first if c <= 12]
        assert len(unit_1) == 3 and len(first) == 6
        # The red case of each unit is always in the sample; both act types are represented.
        assert 5 in first and 17 in first
        types = {row[2] for row in POOL if row[0] in unit_1}
        assert types == {"penalty", "permit"}

    def test_a_share_rounds_up_and_the_minimum_holds(self):
        sample = services.compute_sample(
            seed="ab" * 16, pool=POOL, per_unit=None, share=0.1, min_per_unit=2
        )
        assert len([c for c in sample if c <= 12]) == 2  # ceil(1.2) = 2
        sample = services.compute_sample(
            seed="ab" * 16, pool=POOL, per_unit=None, share=0.01, min_per_unit=2
        )
        assert len(sample) == 4


class TestAssignment:
    FILES = [[1, 10, "A"], [2, 10, ""], [3, 20, ""], [4, 20, "B"], [5, 30, ""], [6, 30, ""]]
    PEOPLE = [[101, 10, []], [102, 20, ["B"]], [103, 30, []], [104, None, []], [105, None, ["A"]]]

    def test_never_own_unit_never_a_conflict_and_spread_evenly(self):
        plan = services.compute_assignment(
            seed="ab" * 16, files=self.FILES, reviewers=self.PEOPLE, per_file=2
        )
        units = {p[0]: p[1] for p in self.PEOPLE}
        for file_id, unit_id, _code in self.FILES:
            assert len(plan[file_id]) == 2
            assert all(units[r] != unit_id for r in plan[file_id])
        assert 105 not in plan[1] and 102 not in plan[4]
        loads = [sum(r in v for v in plan.values()) for r in units]
        assert max(loads) - min(loads) <= 1
        assert plan == services.compute_assignment(
            seed="ab" * 16, files=self.FILES, reviewers=self.PEOPLE, per_file=2
        )

    def test_too_few_eligible_reviewers_is_refused(self):
        with pytest.raises(ValidationError, match="可选的评查人员不足"):
            services.compute_assignment(
                seed="ab" * 16,
                files=[[1, 10, ""]],
                reviewers=[[101, 10, []], [104, None, []]],
                per_file=2,
            )


def _decision_docx(complete: bool) -> bytes:
    doc = Docx()
    lines = [
        "行政处罚决定书",
        "当事人:黄石某商贸有限公司,地址:下陆区团城山路1号",
        "经查,当事人销售过期食品。违法事实有现场检查笔录、询问笔录等证据证明。",
        "依据《中华人民共和国食品安全法》第一百二十四条,决定罚款5000元。",
    ]
    if complete:
        lines += [
            "请于收到本决定书之日起15日内缴纳罚款。",
            "如不服本决定,可在60日内申请行政复议,或者6个月内提起行政诉讼。",
            "下陆区市场监督管理局 2025年10月20日",
        ]
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_the_decision_check_names_the_items_article_59_requires():
    complete = services.extract_text("决定书.docx", _decision_docx(True))
    assert services.decision_gaps(complete) == []
    partial = services.extract_text("决定书.docx", _decision_docx(False))
    assert services.decision_gaps(partial) == [
        "行政处罚的履行方式和期限",
        "申请行政复议、提起行政诉讼的途径和期限",
        "作出决定的行政机关名称和作出决定的日期",
    ]


@pytest.fixture
def world(db, calendar_2025, case_data, certified, actors):
    """Two units with closed penalty cases in 2025 (one of A's with breaches), a 2025 scheme, a
    drawn round, and a reviewer pool: a bureau colleague and an officer of each unit."""
    officers_a, officers_b = certified(actors.unit_a, 3), certified(actors.unit_b, 3)
    with at(D(2025, 12, 1)):
        for n in range(1, 4):
            dates = {
                "filed_on": D(2025, 9, n), "notified_on": D(2025, 9, 10), "decided_on": D(2025, 9, 20),
                "served_on": D(2025, 9, 22), "published_on": D(2025, 9, 23), "executed_on": D(2025, 10, 1),
                "closed_on": D(2025, 10, 10),
            }  # fmt: skip
            # The first case was decided without telling the party: a red finding.
            told = dates | ({"notified_on": None} if n == 1 else {})
            made = [
                cases.case_save(
                    case=None, data=case_data(number=f"测市监罚〔2025〕{n}号", **told),
                    officers=officers_a[:2], user=actors.reporter_a,
                )
            ]  # fmt: skip
            cases.case_save(
                case=None,
                data=case_data(unit=actors.unit_b, number=f"测城管罚〔2025〕{n}号", **dates),
                officers=officers_b[:2], user=actors.reporter_b,
            )  # fmt: skip
            made.append(Case.objects.get(number=f"测城管罚〔2025〕{n}号"))
            for case in made:  # a written record for every case: only the first lacks something
                cases.record_add(
                    case=case,
                    kind="document",
                    title="询问笔录",
                    reference=f"档案{case.pk}",
                    user=actors.supervisor,
                )
        services.scheme_create(year=2025, act_type="penalty", user=actors.supervisor)
        review = services.round_create(
            data={"title": "2025年度行政处罚案卷评查", "act_types": ["penalty"], "closed_from": D(2025, 1, 1),
                  "closed_to": D(2025, 11, 30), "per_unit": 1, "min_per_unit": 1},
            units=[actors.unit_a, actors.unit_b], user=actors.supervisor,
        )  # fmt: skip
        services.round_draw(review=review, user=actors.supervisor)
    colleague = make_user("colleague", Role.SUPERVISOR, actors.bureau)
    officer_a = make_user("officer_a", Role.OFFICER, actors.unit_a)
    officer_b = make_user("officer_b", Role.OFFICER, actors.unit_b)
    people = [
        {"user": colleague, "kind": "bureau"},
        {"user": officer_a, "kind": "officer", "unit": actors.unit_a},
        {"user": officer_b, "kind": "officer", "unit": actors.unit_b},
    ]
    return review, people


def test_a_round_draws_verifiably_and_freezes_its_scheme(world, actors):
    review, _people = world
    review.refresh_from_db()
    assert review.files.count() == 2
    ok, message = services.round_verify(review)
    assert ok, message
    first = review.files.get(unit=actors.unit_a)
    assert first.case.number == "测市监罚〔2025〕1号"  # the red case goes in first
    assert first.scheme.frozen
    with pytest.raises(ValidationError, match="不能再修改"):
        services.scheme_item_save(
            scheme=first.scheme,
            item=None,
            data={"section": "程序", "text": "新项目", "points": 2},
            user=actors.supervisor,
        )
    review.pool = review.pool[:-1]
    assert services.round_verify(review)[0] is False


def test_from_upload_to_a_locked_result(world, actors):
    review, people = world
    with at(D(2025, 12, 2)):
        services.round_assign(review=review, people=people, user=actors.supervisor)
        file_a = review.files.get(unit=actors.unit_a)
        reviewers = {
            s.reviewer.user.username for s in file_a.sheets.select_related("reviewer__user")
        }
        assert "officer_a" not in reviewers and len(reviewers) == 2  # never the file's own unit
        with pytest.raises(PermissionDenied):
            services.file_upload(
                review_file=file_a, name="案卷.pdf", data=b"%PDF-1.4 x", user=actors.reporter_b
            )
        services.file_upload(
            review_file=file_a, name="案卷.pdf", data=b"%PDF-1.4 scan",
            decision_name="决定书.docx", decision_data=_decision_docx(False), user=actors.reporter_a,
        )  # fmt: skip
        file_a.refresh_from_db()
        assert file_a.status == "scoring"
        sheet = file_a.sheets.first()
        suggestions = {d.item.text: d for d in sheet.deductions.filter(suggested=True)}
        assert "告知陈述、申辩和听证权利,依法举行听证" in suggestions  # the red "notice" finding
        assert "执法决定书载明法定事项" in suggestions  # three items of article 59 missing
        assert suggestions["执法决定书载明法定事项"].points == Decimal(3)

        first, second = list(file_a.sheets.select_related("reviewer__user"))
        with pytest.raises(ValidationError, match="逐条确认"):
            services.sheet_submit(
                review_file=file_a,
                deductions=[],
                decisions={},
                signed_name="评查甲",
                user=first.reviewer.user,
            )
        accept_all = {d.pk: True for d in first.deductions.filter(suggested=True)}
        services.sheet_submit(
            review_file=file_a,
            deductions=[],
            decisions=accept_all,
            signed_name="评查甲",
            user=first.reviewer.user,
        )
        first.refresh_from_db()
        assert first.total == Decimal(90)  # 100 - 7 (notice) - 3 (decision)
        reject_all = {d.pk: False for d in second.deductions.filter(suggested=True)}
        services.sheet_submit(
            review_file=file_a,
            deductions=[],
            decisions=reject_all,
            signed_name="评查乙",
            user=second.reviewer.user,
        )
        file_a.refresh_from_db()
        assert file_a.final_score == Decimal(95)
        # 90 against 100: a 10-point difference is within the rule; the mean stands.
        assert file_a.status == "scored" and file_a.grade == "优秀"

        file_b = review.files.get(unit=actors.unit_b)
        services.file_upload(
            review_file=file_b, link="https://case.example.gov.cn/2025/1", user=actors.reporter_b
        )
        b1, b2 = list(file_b.sheets.select_related("reviewer__user"))
        veto = file_b.scheme.items.get(text="违法事实不清、证据不足")
        services.sheet_submit(review_file=file_b, deductions=[{"item": veto.pk, "reason": "无现场检查笔录"}],
                              decisions={}, signed_name="评查丙", user=b1.reviewer.user)  # fmt: skip
        services.sheet_submit(
            review_file=file_b,
            deductions=[],
            decisions={},
            signed_name="评查丁",
            user=b2.reviewer.user,
        )
        file_b.refresh_from_db()
        assert file_b.status == "arbitration"  # they disagree on the veto
        with pytest.raises(ValidationError, match="复核人应为"):
            services.file_arbitrate(
                review_file=file_b, third=people[2]["user"], user=actors.supervisor
            )
        services.file_arbitrate(
            review_file=file_b,
            score=Decimal(55),
            vetoed=True,
            reason="经评查组集体研究,证据不足",
            user=actors.supervisor,
        )
        file_b.refresh_from_db()
        assert file_b.grade == "不合格" and file_b.sheets.count() == 2

    # Published on Wednesday 2025-09-24… here: Friday 2025-12-05; ten working days end 12-19.
    with at(D(2025, 12, 5)):
        services.round_publish(review=review, user=actors.supervisor)
    file_b.refresh_from_db()
    assert file_b.objection_due == D(2025, 12, 19)
    with at(D(2025, 12, 22)), pytest.raises(ValidationError, match="异议期限已于 2025-12-19 届满"):
        services.file_object(
            review_file=file_b,
            reason="现场检查笔录在案卷第12页,评查人员漏看。",
            user=actors.reporter_b,
        )
    with at(D(2025, 12, 18)):
        services.file_object(
            review_file=file_b,
            reason="现场检查笔录在案卷第12页,评查人员漏看。",
            user=actors.reporter_b,
        )
        # Ten working days to answer: past the New Year holiday (1–3 January) to the make-up working
        # Sunday 4 January 2026; the bureau is reminded.
        from oversight.core.models import Notification
        from oversight.reviews.jobs import remind

        file_b.refresh_from_db()
        assert file_b.answer_due == D(2026, 1, 4)
        remind(D(2026, 1, 2))
        assert Notification.objects.filter(
            user=actors.supervisor, title__contains="的异议临近答复期限 2026-01-04"
        ).exists()
        services.file_answer(
            review_file=file_b,
            answer="经复核,笔录在卷,撤销否决。",
            score=Decimal(82),
            vetoed=False,
            user=actors.supervisor,
        )
    file_b.refresh_from_db()
    assert (file_b.status, file_b.grade, file_b.final_score) == ("locked", "良好", Decimal("82.0"))
    assert services.lock_expired(D(2025, 12, 22)) == 1
    assert ReviewFile.objects.filter(status="locked").count() == 2
    # The results feed the problem analysis and the evaluations.
    from oversight.bulletins.evaluations import _review_deduction
    from oversight.bulletins.models import EvaluationScheme
    from oversight.reviews.documents import unit_review_scores
    from oversight.reviews.selectors import problem_figures

    problems = dict(problem_figures()["items"])
    assert problems["告知陈述、申辩和听证权利,依法举行听证"] == {2025: 1}
    scores = unit_review_scores(2025)
    assert scores[actors.unit_a.pk] == (Decimal("95.0"), 0)
    assert scores[actors.unit_b.pk] == (Decimal("82.0"), 0)  # the objection changed the result
    points, notes = _review_deduction(
        (Decimal("50.0"), 2), EvaluationScheme(points_per_failed_review_file=3)
    )
    assert points == 6 and notes == ["案卷评查平均 50.0 分,不合格 2 份:-6.00"]


def test_objection_limit_counts_working_days_across_new_year(world, actors):
    review, people = world
    with at(D(2025, 12, 2)):
        services.round_assign(review=review, people=people, user=actors.supervisor)
        for f in review.files.all():
            services.file_upload(
                review_file=f, link="https://case.example.gov.cn/x", user=actors.supervisor
            )
            for s in f.sheets.select_related("reviewer__user"):
                decisions = {d.pk: True for d in s.deductions.filter(suggested=True)}
                services.sheet_submit(
                    review_file=f,
                    deductions=[],
                    decisions=decisions,
                    signed_name="评查员",
                    user=s.reviewer.user,
                )
    with at(D(2025, 12, 26)):  # Friday; 1 January is a holiday
        services.round_publish(review=review, user=actors.supervisor)
    assert set(review.files.values_list("objection_due", flat=True)) == {D(2026, 1, 12)}


def test_a_reviewer_reads_only_the_files_assigned_and_not_the_others_sheet_first(
    client, world, actors
):
    review, people = world
    with at(D(2025, 12, 2)):
        services.round_assign(review=review, people=people, user=actors.supervisor)
    officer_b = people[2]["user"]
    mine = ReviewFile.objects.restrict(officer_b, "view")
    assert set(mine.values_list("unit", flat=True)) == {actors.unit_a.pk}
    assert not ScoreSheet.objects.filter(
        file__unit=actors.unit_b, reviewer__user=officer_b
    ).exists()


def test_the_pages_keep_scoring_blind_and_results_unpublished(client, world, actors):

    review, people = world
    with at(D(2025, 12, 2)):
        services.round_assign(review=review, people=people, user=actors.supervisor)
        file_a = review.files.get(unit=actors.unit_a)
        services.file_upload(
            review_file=file_a, name="案卷.pdf", data=b"%PDF-1.4 scan", user=actors.reporter_a
        )
        first, second = list(file_a.sheets.select_related("reviewer__user"))
        # The scan is read inline on the file page: framed by the platform's own pages only.
        client.force_login(first.reviewer.user)
        scan = client.get(reverse("reviews:file_content", args=[file_a.pk]))
        assert (
            scan["X-Frame-Options"] == "SAMEORIGIN"
            and "frame-ancestors 'self'" in scan["Content-Security-Policy"]
        )
        client.force_login(first.reviewer.user)
        url = file_a.get_absolute_url()
        page = client.get(url).content.decode()
        assert 'data-testid="score-form"' in page
        decisions = {f"decision_{d.pk}": "1" for d in first.deductions.filter(suggested=True)}
        archive = file_a.scheme.items.get(text="案卷材料齐全,装订规范,按时归档")
        response = client.post(
            url,
            {
                "op": "score",
                "signed_name": "评查甲",
                f"points_{archive.pk}": "2",
                f"reason_{archive.pk}": "目录不全",
            }
            | decisions,
            follow=True,
        )
        assert "评分已提交" in response.content.decode()
        # The second reviewer cannot see the first one's deductions before submitting.
        client.force_login(second.reviewer.user)
        assert "目录不全" not in client.get(url).content.decode()
        # Nor can the unit, before the results are published.
        client.force_login(actors.reporter_a)
        page = client.get(url).content.decode()
        assert "目录不全" not in page and 'data-testid="file-grade"' not in page
        # A reporter of another unit does not reach the file at all.
        client.force_login(actors.reporter_b)
        assert client.get(url).status_code == 404
        # A missing reason is refused with a message, and nothing is saved.
        client.force_login(second.reviewer.user)
        decisions = {f"decision_{d.pk}": "0" for d in second.deductions.filter(suggested=True)}
        response = client.post(
            url,
            {"op": "score", "signed_name": "评查乙", f"points_{archive.pk}": "3"} | decisions,
            follow=True,
        )
        assert "须写明扣分或否决的理由" in response.content.decode()
        second.refresh_from_db()
        assert second.submitted_at is None


def test_units_are_reminded_to_upload_and_reviewers_to_score(world, actors):
    from oversight.core.models import Notification
    from oversight.reviews.jobs import remind

    review, people = world
    with at(D(2025, 12, 2)):
        services.round_assign(review=review, people=people, user=actors.supervisor)
    review.refresh_from_db()
    review.upload_due = D(2025, 12, 5)
    review.save(update_fields=["upload_due"])
    assert remind(D(2025, 12, 3)) >= 2  # each unit's reporter: due within three days
    assert Notification.objects.filter(
        user=actors.reporter_a, title__startswith="请上传评查案卷"
    ).exists()
    assert remind(D(2025, 12, 3)) == 0  # once per state
    file_a = review.files.get(unit=actors.unit_a)
    with at(D(2025, 12, 3)):
        services.file_upload(
            review_file=file_a, link="https://case.example.gov.cn/1", user=actors.reporter_a
        )
    remind(D(2025, 12, 4))
    reviewer = file_a.sheets.first().reviewer.user
    assert Notification.objects.filter(user=reviewer, title__startswith="待评查案卷").exists()


def test_more_than_ten_points_apart_goes_to_a_third_reviewer_whose_score_stands(world, actors):
    review, people = world
    extra = make_user("colleague2", Role.SUPERVISOR, actors.bureau)
    with at(D(2025, 12, 2)):
        services.round_assign(
            review=review,
            people=[*people, {"user": extra, "kind": "bureau"}],
            user=actors.supervisor,
        )
        file_b = review.files.get(unit=actors.unit_b)
        services.file_upload(
            review_file=file_b, link="https://case.example.gov.cn/b", user=actors.reporter_b
        )
        items = {i.text: i for i in file_b.scheme.items.all()}
        evidence = items["证据确凿、充分,取证程序合法"]
        first, second = list(file_b.sheets.select_related("reviewer__user"))
        services.sheet_submit(review_file=file_b, deductions=[{"item": evidence.pk, "points": Decimal(11), "reason": "缺少询问笔录"}],
                              decisions={d.pk: False for d in first.deductions.all()}, signed_name="评查甲", user=first.reviewer.user)  # fmt: skip
        services.sheet_submit(review_file=file_b, deductions=[], decisions={d.pk: False for d in second.deductions.all()},
                              signed_name="评查乙", user=second.reviewer.user)  # fmt: skip
        file_b.refresh_from_db()
        assert file_b.status == "arbitration"  # 89 against 100: eleven points apart
        assigned = {s.reviewer.user_id for s in file_b.sheets.all()}
        third = next(
            p["user"]
            for p in [*people, {"user": extra}]
            if p["user"].pk not in assigned and p["user"] != people[2]["user"]
        )
        services.file_arbitrate(review_file=file_b, third=third, user=actors.supervisor)
        sheet = file_b.sheets.get(role="third")
        services.sheet_submit(review_file=file_b, deductions=[{"item": evidence.pk, "points": Decimal(6), "reason": "笔录不全"}],
                              decisions={d.pk: False for d in sheet.deductions.all()}, signed_name="复核丙", user=third)  # fmt: skip
        file_b.refresh_from_db()
        assert (file_b.status, file_b.final_score, file_b.decided_by) == (
            "scored",
            Decimal("94.0"),
            "复核人评定",
        )
        assert file_b.sheets.count() == 3  # all three sheets are kept
