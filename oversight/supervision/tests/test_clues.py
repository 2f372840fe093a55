"""Clues from registration to conclusion: stages, limits, who may act, what units never see."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.calendar import calendar_seed_from_package
from oversight.core.context import acting_as_system
from oversight.core.identifiers import credit_code_complete
from oversight.core.models import AuditEntry
from oversight.supervision import services
from oversight.supervision.models import Clue, ProblemType
from oversight.supervision.setup_data import PROBLEM_TYPES, ensure_problem_types

# Monday 2026-09-21: the Mid-Autumn holiday (Friday 09-25), the National Day holiday (10-01 to
# 10-07) and a make-up working Saturday (10-10) fall inside the limits.
TODAY = datetime.date(2026, 9, 21)
CODE = credit_code_complete("91420200MA4K3C8P0")


@pytest.fixture(autouse=True)
def pinned(db):
    with acting_as_system("test"):
        calendar_seed_from_package()
    ensure_problem_types()
    with time_machine.travel(
        datetime.datetime(2026, 9, 21, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def register(actors, **extra):
    data = {
        "source": "hotline",
        "external_ref": "GD20260921001",
        "received_on": TODAY,
        "complainant_name": "张先生",
        "contact": "13907141234",
        "party_name": "黄石某某商贸有限公司",
        "party_credit_code": CODE,
        "matter": "执法人员检查时未出示执法证件,当场罚款未开具票据。",
    } | extra
    return services.clue_register(data=data, user=actors.supervisor)


@pytest.mark.django_db
class TestFlow:
    def test_register_accept_transfer_answer_review_close(self, actors):
        clue = register(actors)
        assert clue.number == "陆司线〔2026〕1号" and clue.status == "registered"
        # Five working days: 22, 23, 24, 28, 29 September (25th: Mid-Autumn).
        assert clue.accept_due == datetime.date(2026, 9, 29)
        assert clue.contact_masked == "139****1234" and "13907141234" not in clue.contact_cipher
        kinds = list(ProblemType.objects.filter(code__in=["arbitrary_fine", "procedure"]))
        clue = services.clue_accept(
            clue=clue, unit=actors.unit_a, problem_types=kinds, user=actors.supervisor
        )
        assert clue.conclude_due == TODAY + datetime.timedelta(days=30)
        clue = services.clue_transfer(clue=clue, user=actors.supervisor)
        # Fifteen working days: past the National Day holiday, counting Saturday 10-10: 10-19.
        assert clue.reply_due == datetime.date(2026, 10, 19)
        with pytest.raises(ValidationError, match="核查经过"):
            services.clue_answer(clue=clue, reply="已处理", user=actors.reporter_a)
        clue = services.clue_answer(
            clue=clue,
            reply="经核查,执法人员已出示证件,罚款已开具专用票据,附票据照片。",
            user=actors.reporter_a,
        )
        clue = services.clue_review(
            clue=clue, outcome="back", comment="请补充现场执法记录仪视频。", user=actors.supervisor
        )
        assert clue.status == "transferred"
        clue = services.clue_answer(
            clue=clue,
            reply="已调取执法记录仪视频,证实出示了证件;票据已补开。",
            user=actors.reporter_a,
        )
        clue = services.clue_review(clue=clue, outcome="partly", user=actors.supervisor)
        with pytest.raises(ValidationError, match="回访情况"):
            services.clue_close(clue=clue, user=actors.supervisor)
        clue = services.clue_close(
            clue=clue, visit_note="电话回访,投诉人表示满意。", user=actors.supervisor
        )
        assert clue.status == "closed" and clue.outcome == "partly" and clue.closed_on == TODAY
        assert [e.action for e in clue.events.all()] == [
            "登记", "受理", "转办", "单位反馈", "退回重查", "单位反馈", "审核", "办结",
        ]  # fmt: skip

    def test_refuse_needs_a_reason_and_merge_needs_an_open_clue(self, actors):
        first = register(actors)
        services.clue_accept(clue=first, unit=actors.unit_a, user=actors.supervisor)
        second = register(actors, external_ref="GD20260921002", source="letter")
        assert services.possible_duplicates(second) == [first]
        merged = services.clue_merge(clue=second, into=first, user=actors.supervisor)
        assert merged.status == "merged" and merged.merged_into == first
        third = register(actors, external_ref="GD20260921003")
        with pytest.raises(ValidationError, match="写明理由"):
            services.clue_refuse(clue=third, reason="", user=actors.supervisor)
        with pytest.raises(ValidationError, match="办理中的线索"):
            services.clue_merge(clue=third, into=merged, user=actors.supervisor)
        third = services.clue_refuse(
            clue=third, reason="已申请行政复议,不予受理。", user=actors.supervisor
        )
        assert third.status == "refused"
        with pytest.raises(ValidationError, match="不能办理此环节"):
            services.clue_accept(clue=third, unit=actors.unit_a, user=actors.supervisor)

    def test_the_same_hotline_ticket_is_registered_once(self, actors):
        register(actors)
        with pytest.raises(ValidationError, match="已登记"):
            register(actors)
        with pytest.raises(ValidationError, match="收到日期"):
            register(actors, external_ref="X2", received_on=TODAY + datetime.timedelta(days=1))

    def test_one_extension_within_the_rule(self, actors):
        clue = services.clue_accept(
            clue=register(actors), unit=actors.unit_a, user=actors.supervisor
        )
        with pytest.raises(ValidationError, match="1 到 30"):
            services.clue_extend(clue=clue, days=31, reason="案情复杂", user=actors.supervisor)
        clue = services.clue_extend(
            clue=clue, days=20, reason="需调取外地证据", user=actors.supervisor
        )
        assert clue.conclude_due == TODAY + datetime.timedelta(days=50)
        with pytest.raises(ValidationError, match="只能延长一次"):
            services.clue_extend(clue=clue, days=5, reason="再次延期", user=actors.supervisor)


@pytest.mark.django_db
class TestWhoSeesWhat:
    def test_units_see_only_clues_transferred_to_them_and_never_the_complainant(self, actors):
        clue = register(actors)
        for user in (actors.reporter_a, actors.reporter_b, actors.head_a):
            assert not Clue.objects.restrict(user, "view").exists()  # still being judged
        clue = services.clue_accept(clue=clue, unit=actors.unit_a, user=actors.supervisor)
        assert not Clue.objects.restrict(actors.reporter_a, "view").exists()
        services.clue_transfer(clue=clue, user=actors.supervisor)
        assert list(Clue.objects.restrict(actors.reporter_a, "view")) == [clue]
        assert not Clue.objects.restrict(actors.reporter_b, "view").exists()
        assert Clue.objects.restrict(actors.leader, "view").count() == 1
        assert not Clue.objects.restrict(actors.leader, "change").exists()
        for admin in (actors.sysadmin, actors.secadmin, actors.auditor):
            assert not Clue.objects.restrict(admin, "view").exists()
        with pytest.raises(PermissionDenied):
            services.clue_answer(
                clue=clue, reply="这件不是我们单位的事情,请核实。", user=actors.reporter_b
            )
        with pytest.raises(PermissionDenied):
            services.clue_contact(clue=clue, user=actors.reporter_a)
        assert services.clue_contact(clue=clue, user=actors.supervisor) == "13907141234"

    def test_only_the_bureau_judges_and_the_audit_log_keeps_no_contact(self, actors):
        clue = register(actors)
        with pytest.raises(PermissionDenied):
            services.clue_accept(clue=clue, unit=actors.unit_a, user=actors.reporter_a)
        with pytest.raises(PermissionDenied):
            services.clue_register(
                data={"source": "letter", "matter": "反映问题若干"}, user=actors.leader
            )
        entries = AuditEntry.objects.filter(object_type__model="clue")
        assert entries.exists()
        assert not any(
            "13907141234" in str(e.data_after) or "张先生" in str(e.data_after) for e in entries
        )

    def test_anonymous_clues_keep_no_name_or_contact_and_close_without_a_call(self, actors):
        clue = register(actors, anonymous=True)
        assert clue.complainant_name == "" and clue.contact_cipher == ""
        clue = services.clue_accept(clue=clue, unit=actors.unit_a, user=actors.supervisor)
        clue = services.clue_transfer(clue=clue, user=actors.supervisor)
        clue = services.clue_answer(
            clue=clue, reply="经核查不属实,执法全过程均有记录。", user=actors.reporter_a
        )
        clue = services.clue_review(clue=clue, outcome="unsubstantiated", user=actors.supervisor)
        assert services.clue_close(clue=clue, user=actors.supervisor).status == "closed"


@pytest.mark.django_db
def test_problem_types_are_data_loaded_once():
    assert ProblemType.objects.count() == len(PROBLEM_TYPES)
    assert ensure_problem_types() == 0
    assert ProblemType.objects.filter(name="趋利性执法", is_active=True).exists()


def hotline_workbook(rows):
    import io

    from openpyxl import Workbook

    from oversight.supervision.imports import HotlineImporter

    wb = Workbook()
    ws = wb.active
    headers = HotlineImporter.headers_of()
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def ticket(n, **extra):
    return {
        "工单编号": f"GD2026092100{n}", "来电日期": "2026/9/18", "诉求人": "李女士", "联系电话": "13800001111",
        "被反映单位": "区市场监管局", "诉求内容": "检查时要求企业购买指定的检测服务。",
    } | extra  # fmt: skip


@pytest.mark.django_db
class TestHotlineImport:
    def test_tickets_become_clues_awaiting_judgement(self, actors):
        from oversight.supervision.imports import hotline_import

        assert (
            hotline_import(
                upload=hotline_workbook([ticket(1), ticket(2, 被反映单位="")]),
                user=actors.supervisor,
            )
            == 2
        )
        clues = list(Clue.objects.order_by("pk"))
        assert [c.source for c in clues] == ["hotline", "hotline"]
        assert clues[0].unit == actors.unit_a and clues[1].unit is None
        assert (
            clues[0].received_on == datetime.date(2026, 9, 18) and clues[0].status == "registered"
        )
        assert clues[0].contact_masked == "138****1111"

    def test_errors_by_row_and_column_and_nothing_written(self, actors):
        from oversight.core.excel import ImportFailed
        from oversight.supervision.imports import hotline_import

        register(actors, external_ref="GD20260921009")
        rows = [
            ticket(1),
            ticket(1),
            ticket(9),
            ticket(3, 被反映单位="区不存在局", 来电日期="2026-13-01"),
        ]
        with pytest.raises(ImportFailed) as caught:
            hotline_import(upload=hotline_workbook(rows), user=actors.supervisor)
        errors = {(e.row, e.column) for e in caught.value.row_errors}
        assert errors == {(3, "工单编号"), (4, "工单编号"), (5, "被反映单位"), (5, "来电日期")}
        assert Clue.objects.count() == 1

    def test_only_the_bureau_imports(self, actors):
        from oversight.core.excel import ImportFailed
        from oversight.supervision.imports import hotline_import

        with pytest.raises(ImportFailed, match="只有监督机构"):
            hotline_import(upload=hotline_workbook([ticket(1)]), user=actors.reporter_a)
        assert not Clue.objects.exists()
