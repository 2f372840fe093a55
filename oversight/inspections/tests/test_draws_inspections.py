"""Double-random draws (reproducible, conflict-free, publicised) and enterprise inspections."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.core.identifiers import credit_code_complete
from oversight.inspections import services
from oversight.inspections.imports import EnterpriseImporter, enterprise_import
from oversight.inspections.jobs import draws_to_chase
from oversight.inspections.models import Draw, DrawChange, Enterprise, OfficerConflict

D = datetime.date
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprises(db):
    rows = []
    for n in range(12):
        risk = ("high", "medium", "low")[n % 3]
        rows.append(
            Enterprise.objects.create(
                name=f"测试企业{n:02d}",
                credit_code=credit_code_complete(f"9142020000000{n:04d}"),
                risk=risk,
            )
        )
    return rows


def draw(unit, user, **kwargs):
    kwargs.setdefault("quotas", {"high": {"ratio": 0.5}, "medium": {"count": 2}})
    kwargs.setdefault("day", D(2026, 6, 1))
    return services.draw_perform(unit=unit, title="测试抽查", user=user, **kwargs)


def result_of(d: Draw):
    return sorted((t.enterprise_id, sorted(t.officer_ids)) for t in d.targets.all())


class TestDraws:
    def test_quota_by_tier_and_at_least_two_officers(self, actors, enterprises, certified):
        certified(actors.unit_a, 5)
        d = draw(actors.unit_a, actors.reporter_a)
        targets = list(d.targets.select_related("enterprise"))
        tiers = [t.enterprise.risk for t in targets]
        assert tiers.count("high") == 2 and tiers.count("medium") == 2 and "low" not in tiers
        assert all(len(set(t.officer_ids)) == 2 for t in targets)
        assert len(d.seed) == 32 and d.algorithm == services.ALGORITHM

    def test_same_seed_and_pools_give_the_same_result(self, actors, enterprises, certified):
        certified(actors.unit_a, 5)
        d = draw(actors.unit_a, actors.reporter_a)
        again = services.compute_draw(
            seed=d.seed, target_pool=d.target_pool, officer_pool=d.officer_pool, quotas=d.quotas,
            per_target=d.officers_per_target, exclusions=d.exclusions,
        )  # fmt: skip
        assert sorted(again) == result_of(d)
        ok, message = services.draw_verify(d)
        assert ok, message
        # A different seed gives (for this pool) a different draw: the seed matters.
        other = services.compute_draw(
            seed="f" * 32, target_pool=d.target_pool, officer_pool=d.officer_pool, quotas=d.quotas,
            per_target=d.officers_per_target, exclusions=d.exclusions,
        )  # fmt: skip
        assert sorted(other) != result_of(d)

    def test_a_changed_pool_fails_verification(self, actors, enterprises, certified):
        certified(actors.unit_a, 5)
        d = draw(actors.unit_a, actors.reporter_a)
        d.target_pool = [row for row in d.target_pool if row[1] != "low"]
        d.save()
        ok, message = services.draw_verify(Draw.objects.get(pk=d.pk))
        assert not ok and "检查对象库" in message
        d = draw(actors.unit_a, actors.reporter_a, day=D(2026, 7, 1))
        d.officer_pool = d.officer_pool[:-1]
        d.save()
        ok, message = services.draw_verify(Draw.objects.get(pk=d.pk))
        assert not ok and "执法人员库" in message

    def test_a_tampered_result_fails_verification(self, actors, enterprises, certified):
        certified(actors.unit_a, 5)
        d = draw(actors.unit_a, actors.reporter_a)
        target = d.targets.first()
        unused = next(o for o in d.officer_pool if o not in target.officer_ids)
        target.officer_ids = [target.officer_ids[0], unused]
        target.save()  # behind the platform's back: no logged change
        assert services.draw_verify(d)[0] is False

    def test_conflicts_and_last_draws_officers_are_avoided(self, actors, enterprises, certified):
        officers = certified(actors.unit_a, 4)
        high = [e for e in enterprises if e.risk == "high"]
        # Officers 0 and 1 declared links with every high-risk enterprise.
        for e in high:
            for o in officers[:2]:
                OfficerConflict.objects.create(officer=o, enterprise=e, reason="亲属在该企业任职")
        quotas = {"high": {"ratio": 1}}
        first = draw(actors.unit_a, actors.reporter_a, quotas=quotas)
        banned = {officers[0].pk, officers[1].pk}
        assert all(not banned & set(t.officer_ids) for t in first.targets.all())
        # The next draw cannot send the same two officers to the same enterprises again, and
        # with only two others left it cannot staff them at all: it says so instead.
        with pytest.raises(ValidationError, match="不足 2 人"):
            draw(actors.unit_a, actors.reporter_a, quotas=quotas, day=D(2026, 7, 1))
        assert Draw.objects.count() == 1

    def test_changes_need_a_reason_are_logged_and_keep_verification(
        self, actors, enterprises, certified
    ):
        officers = certified(actors.unit_a, 5)
        d = draw(actors.unit_a, actors.reporter_a)
        target = d.targets.first()
        replacement = [o.pk for o in officers if o.pk not in target.officer_ids][:2]
        with pytest.raises(ValidationError):
            services.draw_change(
                target=target, officer_ids=replacement, reason="", user=actors.reporter_a
            )
        outsiders = [o.pk for o in certified(actors.unit_b, 2)]
        with pytest.raises(ValidationError, match="本单位"):
            services.draw_change(
                target=target, officer_ids=outsiders, reason="临时调配人员", user=actors.reporter_a
            )
        services.draw_change(
            target=target,
            officer_ids=replacement,
            reason="原检查人员因病住院",
            user=actors.reporter_a,
        )
        change = DrawChange.objects.get()
        assert change.reason == "原检查人员因病住院" and change.actor == actors.reporter_a
        assert services.draw_verify(d)[0] is True

    def test_results_then_public_page_and_chasing(
        self, actors, enterprises, certified, calendar_2025, client
    ):
        certified(actors.unit_a, 5)
        d = draw(actors.unit_a, actors.reporter_a, day=D(2026, 6, 1))
        assert client.get(reverse("portal:draw", args=[d.pk])).status_code == 404
        # No result yet: the publication limit has not started.
        assert services.draw_publication_due(d) is None
        assert draws_to_chase(D(2026, 12, 31)) == []
        with pytest.raises(ValidationError, match="未录入抽查结果"):
            services.draw_publish(draw=d, user=actors.reporter_a)
        # The first result formed Friday 2026-09-25: 20 working days across the National Day
        # holiday (10-01 to 10-07; Saturday 10-10 is a make-up working day) end on 10-29.
        targets = list(d.targets.all())
        services.draw_result(
            target=targets[0], result="未发现问题", result_on=D(2026, 9, 25), user=actors.reporter_a
        )
        due = services.draw_publication_due(d)
        assert due == D(2026, 10, 29)
        assert draws_to_chase(D(2026, 10, 26)) == []
        assert [x for x, _ in draws_to_chase(D(2026, 10, 27))] == [d]  # 2 working days before
        for t in targets[1:]:
            services.draw_result(target=t, result="未发现问题", user=actors.reporter_a)
        services.draw_publish(draw=d, user=actors.reporter_a)
        page = client.get(reverse("portal:draw", args=[d.pk])).content.decode()
        first = d.targets.select_related("enterprise").first().enterprise
        assert first.credit_code in page and "未发现问题" in page and d.seed in page
        assert draws_to_chase(due) == []

    def test_another_unit_cannot_draw_or_touch_the_draw(
        self, actors, enterprises, certified, client_as
    ):
        certified(actors.unit_a, 5)
        with pytest.raises(Exception, match="本单位"):
            draw(actors.unit_a, actors.reporter_b)
        d = draw(actors.unit_a, actors.reporter_a)
        url = reverse("inspections:draw_detail", args=[d.pk])
        assert client_as(actors.reporter_b).get(url).status_code == 404
        response = client_as(actors.reporter_b).post(url, {"op": "publish"})
        assert response.status_code == 404
        assert client_as(actors.supervisor).get(url).status_code == 200


class TestInspections:
    def test_an_item_not_on_the_units_published_list_is_a_breach(
        self, actors, enterprises, certified
    ):
        from oversight.inspections.models import InspectionItem

        mine = InspectionItem.objects.create(
            unit=actors.unit_a, name="食品经营检查", legal_basis="《食品安全法》第一百一十条"
        )
        theirs = InspectionItem.objects.create(
            unit=actors.unit_b, name="占道经营检查", legal_basis="《城市道路管理条例》"
        )
        data = {
            "enterprise": enterprises[0],
            "unit": actors.unit_a,
            "kind": "routine",
            "date": D(2026, 3, 2),
            "result": "合格",
        }
        officers = certified(actors.unit_a, 2)
        ok = services.inspection_record(data=data, officers=officers, items=[mine])
        assert ok.warnings == []
        bad = services.inspection_record(
            data=data | {"date": D(2026, 6, 2)}, officers=officers, items=[mine, theirs]
        )
        assert any("占道经营检查" in w and "未公布的事项不得实施检查" in w for w in bad.warnings)

    def test_third_routine_inspection_in_a_year_warns(self, actors, enterprises, certified):
        officers = certified(actors.unit_a, 2)
        e = enterprises[0]
        data = {"enterprise": e, "unit": actors.unit_a, "kind": "routine", "result": "合格"}
        for month in (3, 6):
            inspection = services.inspection_record(
                data={**data, "date": D(2026, month, 2)}, officers=officers
            )
            assert inspection.warnings == []
        third = services.inspection_record(data={**data, "date": D(2026, 9, 1)}, officers=officers)
        assert "本年度第 3 次检查" in third.warnings[0] and "区市场监管局" in third.warnings[0]
        next_year = services.inspection_record(
            data={**data, "date": D(2027, 1, 4)}, officers=officers
        )
        assert next_year.warnings == []

    def test_the_cap_is_per_department_and_counts_draws_but_not_complaints(
        self, actors, enterprises, certified
    ):
        a, b = certified(actors.unit_a, 2), certified(actors.unit_b, 2)
        e = enterprises[2]

        def record(unit, officers, kind, day):
            return services.inspection_record(
                data={"enterprise": e, "unit": unit, "kind": kind, "date": day}, officers=officers
            )

        record(actors.unit_a, a, "routine", D(2026, 2, 2))
        record(actors.unit_a, a, "random", D(2026, 4, 1))  # 双随机 counts
        record(actors.unit_b, b, "routine", D(2026, 6, 1))  # another department: its own cap
        complaint = record(actors.unit_a, a, "complaint", D(2026, 7, 1))
        assert not any("上限" in w for w in complaint.warnings)  # counted apart
        record(actors.unit_a, a, "follow_up", D(2026, 7, 10))
        third = record(actors.unit_a, a, "special", D(2026, 9, 1))
        cap = next(w for w in third.warnings if "上限" in w)
        assert "第 3 次" in cap and "投诉举报核查、整改复查 2 次不计入" in cap
        assert not any(
            "上限" in w for w in record(actors.unit_b, b, "routine", D(2026, 9, 1)).warnings
        )

    def test_the_same_department_again_within_thirty_days_is_a_repeat(
        self, actors, enterprises, certified
    ):
        a = certified(actors.unit_a, 2)
        e = enterprises[3]

        def record(day, kind="special"):
            return services.inspection_record(
                data={"enterprise": e, "unit": actors.unit_a, "kind": kind, "date": day},
                officers=a,
            )

        record(D(2026, 3, 2))
        assert not any("重复检查" in w for w in record(D(2026, 4, 2)).warnings)  # 31 days later
        assert any("重复检查" in w for w in record(D(2026, 5, 2)).warnings)  # 30 days later
        assert not any("重复检查" in w for w in record(D(2026, 5, 3), "complaint").warnings)

    def test_inspectors_certificates_as_they_stood_on_the_day(
        self, actors, enterprises, certified, client
    ):
        import time_machine

        from oversight.enforcement.services import certificate_change

        first, second = certified(actors.unit_a, 2)
        certificate = second.certificates.get()
        with time_machine.travel(datetime.datetime(2026, 5, 10, 10, tzinfo=BEIJING)):
            certificate_change(
                certificate=certificate,
                action="suspend",
                reason="涉嫌违纪暂扣",
                until=D(2026, 8, 1),
                user=actors.supervisor,
            )
        data = {"enterprise": enterprises[4], "unit": actors.unit_a, "kind": "special"}
        # Before the suspension the certificate was valid; on and after it, it was not.
        services.inspection_record(data={**data, "date": D(2026, 5, 9)}, officers=[first, second])
        with pytest.raises(ValidationError, match="未持有效执法证"):
            services.inspection_record(
                data={**data, "date": D(2026, 5, 10)}, officers=[first, second]
            )

    def test_several_departments_in_a_short_window_suggest_a_joint_inspection(
        self, actors, enterprises, certified
    ):
        a = certified(actors.unit_a, 2)
        b = certified(actors.unit_b, 2)
        e = enterprises[1]
        services.inspection_record(
            data={"enterprise": e, "unit": actors.unit_a, "kind": "special", "date": D(2026, 5, 1)},
            officers=a,
        )
        near = services.inspection_record(
            data={
                "enterprise": e,
                "unit": actors.unit_b,
                "kind": "special",
                "date": D(2026, 5, 31),
            },
            officers=b,
        )
        assert "综合查一次" in near.warnings[0] and "区市场监管局" in near.warnings[0]
        far = services.inspection_record(
            data={"enterprise": e, "unit": actors.unit_b, "kind": "special", "date": D(2026, 7, 1)},
            officers=b,
        )
        assert far.warnings == []

    def test_inspectors_need_valid_certificates(self, actors, enterprises, officer_factory):
        officers = [officer_factory(unit=actors.unit_a), officer_factory(unit=actors.unit_a)]
        with pytest.raises(ValidationError, match="未持有效执法证"):
            services.inspection_record(
                data={
                    "enterprise": enterprises[0],
                    "unit": actors.unit_a,
                    "kind": "routine",
                    "date": D(2026, 5, 1),
                },
                officers=officers,
            )


def workbook(rows):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(EnterpriseImporter.headers_of()))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("名录.xlsx", buffer.getvalue())


class TestTargetListAndConflicts:
    def test_enterprise_import_is_all_or_nothing_and_updates_known_codes(self, actors, enterprises):
        from oversight.core.excel import ImportFailed

        new_code = credit_code_complete("91420200MA0000009")
        bad = workbook([
            ["新企业", new_code, "高", "", ""],
            ["坏代码企业", new_code[:-1] + ("1" if new_code[-1] != "1" else "2"), "中", "", ""],
            ["无等级企业", credit_code_complete("91420200MA0000008"), "很高", "", ""],
            [enterprises[0].name, enterprises[0].credit_code, "低", "", ""],
        ])  # fmt: skip
        with pytest.raises(ImportFailed) as exc:
            enterprise_import(upload=bad, user=actors.reporter_a)
        errors = {e.row: (e.column, e.message) for e in exc.value.row_errors}
        assert set(errors) == {3, 4}
        assert errors[3][0] == "统一社会信用代码" and "校验位" in errors[3][1]
        assert errors[4] == ("风险等级", "“很高”无效,应为:低风险、中风险、高风险、高、中、低")
        assert not Enterprise.objects.filter(credit_code=new_code).exists()
        good = workbook(
            [
                ["新企业", new_code, "高", "餐饮", ""],
                [enterprises[0].name, enterprises[0].credit_code, "低", "", ""],
            ]
        )
        assert enterprise_import(upload=good, user=actors.reporter_a) == (1, 1)
        enterprises[0].refresh_from_db()
        assert enterprises[0].risk == "low"

    def test_conflicts_are_declared_for_own_officers_only(
        self, actors, enterprises, certified, client_as
    ):
        own = certified(actors.unit_a, 1)[0]
        other = certified(actors.unit_b, 1)[0]
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            services.conflict_declare(
                officer=other, enterprise=enterprises[0], reason="亲属", user=actors.reporter_a
            )
        response = client_as(actors.reporter_a).post(
            reverse("inspections:conflict_add"),
            {"officer": own.pk, "enterprise": enterprises[0].pk, "reason": "配偶任职"},
        )
        assert response.status_code == 302
        assert OfficerConflict.objects.get().officer == own
        page = (
            client_as(actors.reporter_b).get(reverse("inspections:conflict_list")).content.decode()
        )
        assert own.name not in page
