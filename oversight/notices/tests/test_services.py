"""Reading a notice into a plan: draft, correct, map units, confirm; duplicates and revisions."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from oversight.notices.models import NoticeDraft
from oversight.notices.services import (
    DuplicateNotice,
    draft_confirm,
    draft_create,
    draft_discard,
    draft_map_unit,
    draft_update_task,
    notice_import,
    unresolved_names,
)
from oversight.organisations.initial import load_initial_units
from oversight.organisations.models import Unit, UnitGroup
from oversight.workplans.models import Milestone, Notice, Plan, Task, TaskUnit

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "xialu-notice-2024.txt"


@pytest.fixture
def registry(db):
    load_initial_units()


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


@pytest.mark.django_db
class TestDraftCreate:
    def test_draft_creates_nothing_else(self, registry, seed_bytes):
        draft = draft_create(data=seed_bytes, filename="seed.txt")
        assert draft.status == "draft"
        assert len(draft.parsed["tasks"]) == 24
        assert Plan.objects.count() == Task.objects.count() == 0

    def test_seed_units_all_resolve(self, registry, seed_bytes):
        draft = draft_create(data=seed_bytes)
        assert draft.parsed["unknown_units"] == []

    def test_bad_file_creates_nothing(self, registry):
        with pytest.raises(ValidationError, match="不像是一份通知"):
            draft_create(data="随便写的一段话。".encode())
        assert NoticeDraft.objects.count() == 0


@pytest.mark.django_db
class TestDraftConfirm:
    def test_confirm_creates_plan_tasks_units_and_milestones(self, registry, seed_bytes):
        plan = draft_confirm(draft=draft_create(data=seed_bytes))
        assert plan.tasks.filter(kind="table").count() == 24
        assert plan.tasks.filter(kind="body").count() == 3
        task2 = plan.tasks.get(kind="table", number="2")
        assert [(u.unit or u.group).__str__() for u in task2.units.all()] == [
            "区司法局",
            "各街办(园区)",
            "区直各行政执法部门",
        ]
        assert [u.is_lead for u in task2.units.all()] == [True, False, False]
        assert task2.due_date.isoformat() == "2024-11-15"
        assert Milestone.objects.filter(task=task2, recurrence="yearly").count() == 1
        eleven = plan.tasks.get(number="11")
        assert eleven.units.get(name="区城管局").unit.short_name == "区城管执法局"  # by alias
        notice = plan.notice
        assert notice.version == 1 and notice.issuer == "下陆区人民政府办公室"

    def test_importing_the_same_notice_again_duplicates_nothing(self, registry, seed_bytes):
        draft_confirm(draft=draft_create(data=seed_bytes))
        with pytest.raises(DuplicateNotice):
            draft_create(data=seed_bytes.replace(b"\n", b"\r\n"))  # a re-save with other line ends
        assert Plan.objects.count() == 1 and Task.objects.count() == 27

    def test_unknown_unit_blocks_confirmation_until_mapped(self, registry, seed_bytes):
        data = seed_bytes.replace(
            "区人社局、区司法局".encode(), "区人社局、区退役军人局、区司法局".encode()
        )
        draft = draft_create(data=data)
        assert draft.parsed["unknown_units"] == ["区退役军人局"]
        with pytest.raises(ValidationError, match="区退役军人局"):
            draft_confirm(draft=draft)
        assert Plan.objects.count() == 0
        draft_map_unit(
            draft=draft,
            name="区退役军人局",
            create={"name": "下陆区退役军人事务局", "kind": "department"},
        )
        plan = draft_confirm(draft=draft)
        unit = Unit.objects.get(short_name="区退役军人局")
        assert TaskUnit.objects.filter(task__plan=plan, unit=unit).count() == 1

    def test_unknown_unit_mapped_to_an_existing_unit(self, registry, seed_bytes):
        data = seed_bytes.replace("区工商联,".encode(), "区工商业联合会,".encode())
        draft = draft_create(data=data)
        assert unresolved_names(draft) == []  # the full name resolves already
        data = seed_bytes.replace("区工商联,".encode(), "工商联,".encode())
        draft = draft_create(data=data)
        draft_map_unit(draft=draft, name="工商联", unit=Unit.objects.get(short_name="区工商联"))
        plan = draft_confirm(draft=draft)
        assert plan.tasks.get(number="16").units.filter(unit__short_name="区工商联").exists()

    def test_a_failure_halfway_leaves_nothing(self, registry, seed_bytes, monkeypatch):
        from oversight.notices import services

        draft = draft_create(data=seed_bytes)
        calls = {"n": 0}
        original = services._write_children

        def failing(task, data, resolve):
            calls["n"] += 1
            if calls["n"] == 10:
                raise RuntimeError("disk full")
            original(task, data, resolve)

        monkeypatch.setattr(services, "_write_children", failing)
        with pytest.raises(RuntimeError):
            draft_confirm(draft=draft)
        assert Plan.objects.count() == Task.objects.count() == Notice.objects.count() == 0
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_confirmed_draft_cannot_be_changed(self, registry, seed_bytes):
        draft = draft_create(data=seed_bytes)
        draft_confirm(draft=draft)
        with pytest.raises(ValidationError, match="不能再修改"):
            draft_discard(draft=draft)


@pytest.mark.django_db
class TestCorrections:
    def test_correcting_units_and_deadline_rereads_them(self, registry, seed_bytes):
        draft = draft_create(data=seed_bytes)
        task = draft_update_task(
            draft=draft,
            kind="table",
            index=0,
            title="强化政治能力建设",
            text="强化政治能力建设。",
            units_text="区司法局,各街办",
            deadline_text="2024年12月31日",
        )
        assert task["lead_units"] == ["区司法局"]
        assert task["deadlines"] == [{"date": "2024-12-31", "text": "2024年12月31日"}]

    def test_unreadable_deadline_is_refused(self, registry, seed_bytes):
        draft = draft_create(data=seed_bytes)
        with pytest.raises(ValidationError) as caught:
            draft_update_task(
                draft=draft,
                kind="table",
                index=0,
                title="x",
                text="x",
                units_text="区司法局",
                deadline_text="尽快",
            )
        assert "无法识别完成时限" in str(caught.value)

    def test_correction_introducing_an_unknown_unit_flags_it(self, registry, seed_bytes):
        draft = draft_create(data=seed_bytes)
        draft_update_task(
            draft=draft,
            kind="table",
            index=0,
            title="x",
            text="x",
            units_text="区文旅局",
            deadline_text="长期坚持",
        )
        draft.refresh_from_db()
        assert draft.parsed["unknown_units"] == ["区文旅局"]


@pytest.mark.django_db
class TestRevision:
    def test_revised_notice_shows_changes_then_applies_them(self, registry, seed_bytes):
        from oversight.notices.services import plan_diff

        plan = draft_confirm(draft=draft_create(data=seed_bytes))
        text = SEED.read_text(encoding="utf-8")
        text = text.replace(
            "2024年11月15日\n\n3.强化执法资格管理", "2024年12月15日\n\n3.强化执法资格管理"
        )
        start = text.index("(十二)营造良好氛围")
        text = text[:start]  # (十二) removed
        draft = draft_create(data=text.encode("utf-8"))
        assert draft.target_plan == plan
        diff = plan_diff(plan, draft.parsed)
        assert [t.number for t in diff["removed"]] == ["(十二)"]
        assert diff["added"] == []
        assert [(c["number"], c["fields"]) for c in diff["changed"]] == [("2", ["完成时限"])]
        assert Task.objects.filter(plan=plan, number="(十二)").exists()  # nothing applied yet
        draft_confirm(draft=draft)
        plan.refresh_from_db()
        assert plan.tasks.filter(kind="table").count() == 23
        assert plan.tasks.get(number="2").due_date.isoformat() == "2024-12-15"
        assert list(plan.notices.values_list("version", flat=True)) == [2, 1]


@pytest.mark.django_db
class TestImportWithoutReview:
    def test_refuses_unknown_units(self, registry, seed_bytes):
        data = seed_bytes.replace("区审计局".encode(), "区统计局".encode())
        with pytest.raises(ValidationError, match="区统计局"):
            notice_import(data=data)
        assert Plan.objects.count() == 0 and NoticeDraft.objects.count() == 0

    def test_creates_units_when_asked(self, registry, seed_bytes):
        data = seed_bytes.replace("区审计局".encode(), "区统计局".encode())
        plan, created = notice_import(data=data, create_units=True)
        assert created == ["区统计局"]
        assert Unit.objects.get(short_name="区统计局").kind == "department"
        assert plan.tasks.filter(kind="table").count() == 24

    def test_groups_stay_groups(self, registry, seed_bytes):
        plan, _ = notice_import(data=seed_bytes)
        links = TaskUnit.objects.filter(task__plan=plan, name="各街办(园区)")
        assert links.count() > 0 and all(isinstance(link.group, UnitGroup) for link in links)


@pytest.mark.django_db
def test_a_notice_whose_numbering_restarts_per_section_becomes_a_plan(registry):
    text = (
        "关于印发2024年重点任务的通知\n一、甲\n(一)乙\n"
        "1.任务一。责任单位:区司法局。完成时限:2024年6月底前。\n"
        "(二)丙\n1.任务二。责任单位:区财政局。完成时限:2024年7月底前。\n"
        "二、丁\n(一)戊\n1.任务三。责任单位:区审计局。完成时限:2024年9月底前。\n"
    )
    draft = draft_create(data=text.encode("utf-8"), filename="a.txt")
    assert draft.parsed["unknown_units"] == []
    plan = draft_confirm(draft=draft)
    assert list(plan.tasks.order_by("order").values_list("number", "title")) == [
        ("(一)1", "任务一"),
        ("(二)1", "任务二"),
        ("二(一)1", "任务三"),
    ]
