"""The per-unit counts of lit cases and findings stay equal to a fresh count through every change."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.bulletins.cockpit import cockpit
from oversight.cases import services, tallies
from oversight.cases.models import Case, CaseTally, Finding, FindingTally
from oversight.cases.selectors import finding_figures

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2025, 11, 3, 10, tzinfo=datetime.UTC)


def kept() -> tuple[set, set]:
    return (
        set(CaseTally.objects.filter(n__gt=0).values_list("unit_id", "light", "n")),
        set(FindingTally.objects.filter(n__gt=0).values_list("unit_id", "rule", "level", "n")),
    )


def counted() -> tuple[set, set]:
    lit = Case.objects.filter(light__in=["red", "yellow"]).order_by()
    found = Finding.objects.order_by()
    return (
        set(lit.values_list("unit_id", "light").annotate(n=Count("pk"))),
        set(found.values_list("case__unit_id", "rule", "level").annotate(n=Count("pk"))),
    )


@pytest.fixture
def lit_cases(calendar_2025, case_data, certified, actors, subjects):
    """Three cases of unit A and one of unit B on 2025-11-03: late, waiting and settled."""
    with time_machine.travel(TODAY, tick=False):
        officers_a, officers_b = certified(actors.unit_a, 2), certified(actors.unit_b, 2)
        late = services.case_save(
            case=None,
            data=case_data(number="A1", notified_on=D(2025, 9, 18), decided_on=D(2025, 9, 26)),
            officers=officers_a,
            user=actors.reporter_a,
        )
        waiting = services.case_save(
            case=None,
            data=case_data(number="A2", filed_on=D(2025, 8, 20)),
            officers=officers_a,
            user=actors.reporter_a,
        )
        settled = services.case_save(
            case=None,
            data=case_data(number="A3", filed_on=D(2025, 10, 30)),
            officers=officers_a,
            user=actors.reporter_a,
        )
        other = services.case_save(
            case=None,
            data=case_data(
                unit=actors.unit_b,
                number="B1",
                notified_on=D(2025, 9, 18),
                decided_on=D(2025, 9, 26),
            ),
            officers=officers_b,
            user=actors.reporter_b,
        )
    return {"late": late, "waiting": waiting, "settled": settled, "other": other}


class TestKeptCounts:
    def test_every_kind_of_change_keeps_the_counts_equal_to_a_fresh_count(
        self, lit_cases, actors, subjects
    ):
        assert kept() == counted()
        cases, findings = kept()
        assert {(unit, light) for unit, light, _ in cases} == {
            (actors.unit_a.pk, "red"),
            (actors.unit_b.pk, "red"),
        }
        assert any(rule == "publicity" for _, rule, _, _ in findings)

        with time_machine.travel(TODAY, tick=False):
            # Published and served: the publicity and service breaches go, the counts fall.
            services.case_save(
                case=lit_cases["late"],
                data={"published_on": D(2025, 9, 30), "served_on": D(2025, 9, 29)},
                user=actors.reporter_a,
            )
            assert kept() == counted()
            # The case moves to unit B (with B's subject): its light and findings go with it.
            services.case_save(
                case=lit_cases["late"],
                data={"unit": actors.unit_b, "subject": subjects[actors.unit_b.pk]},
                user=actors.supervisor,
            )
            assert kept() == counted()
        # Time passes: the 90-day limit of the waiting case turns it yellow, then red.
        waiting = Case.objects.get(pk=lit_cases["waiting"].pk)
        for day in (waiting.next_check_on, D(2025, 11, 20), D(2025, 12, 1)):
            services.check_due(today=day)
            assert kept() == counted()
        waiting.refresh_from_db()
        assert waiting.light == "red"
        services.check_all(today=D(2026, 6, 1))
        assert kept() == counted()

    def test_rebuild_counts_from_the_cases_when_the_tables_are_new(self, lit_cases):
        before = kept()
        CaseTally.objects.all().delete()
        FindingTally.objects.all().delete()
        tallies.rebuild_if_missing()
        assert kept() == before == counted()
        FindingTally.objects.update(n=99)  # someone doubts them: count again
        tallies.rebuild()
        assert kept() == before

    def test_concurrent_increments_add_up(self, actors):
        for _ in range(3):
            tally = tallies.Tally()
            tally.light(actors.unit_a.pk, "green", "red")
            tally.finding(actors.unit_a.pk, "publicity", None, "yellow")
            tally.finding(actors.unit_a.pk, "service", "yellow", "red")
            tally.save()
        tally = tallies.Tally()
        tally.light(actors.unit_a.pk, "red", "yellow")
        tally.save()
        assert kept() == (
            {(actors.unit_a.pk, "red", 2), (actors.unit_a.pk, "yellow", 1)},
            {(actors.unit_a.pk, "publicity", "yellow", 3), (actors.unit_a.pk, "service", "red", 3)},
        )


class TestFiguresFromCounts:
    def test_each_role_sees_the_counts_of_its_own_units(self, lit_cases, actors):
        district = finding_figures(user=actors.supervisor, by_rule=True)
        own = finding_figures(user=actors.reporter_b)
        assert district["red"] == Finding.objects.filter(level="red").count()
        assert own["red"] == Finding.objects.filter(level="red", case__unit=actors.unit_b).count()
        assert 0 < own["red"] < district["red"]
        assert [row["unit_id"] for row in own["by_unit"]] == [actors.unit_b.pk]
        assert sum(row["n"] for row in district["by_rule"]) == Finding.objects.count()

    def test_the_cockpit_counts_red_cases_by_unit(self, lit_cases, actors):
        with time_machine.travel(TODAY, tick=False):
            view = cockpit(user=actors.supervisor)
        assert view.cases_red == Case.objects.filter(light="red").count() == 2
        assert {row[0] for row in view.cases} == {actors.unit_a.pk, actors.unit_b.pk}

    def test_the_findings_page_lists_units_with_links_to_their_cases(
        self, lit_cases, actors, client_as
    ):
        page = client_as(actors.supervisor).get(reverse("cases:findings")).content.decode()
        assert f"?unit={actors.unit_b.pk}" in page
        assert actors.unit_b.short_name in page

    def test_the_case_list_by_light_alone_takes_its_total_from_the_kept_counts(
        self, lit_cases, actors, client_as
    ):
        url = reverse("cases:case_list")
        for user in (actors.supervisor, actors.reporter_a, actors.reporter_b):
            client = client_as(user)
            for light in ("red", "yellow", "green"):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, {"light": light})
                page = response.context["page"]
                rows = Case.objects.restrict(user, "view").filter(light=light)
                assert page.paginator.count == rows.count()
                assert sorted(c.pk for c in page.object_list) == sorted(
                    rows.values_list("pk", flat=True)
                )
                cases_counted = any(
                    'COUNT(*) AS "__count" FROM "cases_case"' in q["sql"]
                    for q in queries.captured_queries
                )
                assert cases_counted is (light == "green"), (user, light)
        assert Case.objects.filter(light="red").count() == 2  # the counts above were not all zero
        # Another filter beside the light: the rows are counted.
        response = client_as(actors.supervisor).get(url, {"light": "red", "unit": actors.unit_b.pk})
        assert response.context["page"].paginator.count == 1

    def test_an_officer_reads_no_units_counts_as_no_findings(self, lit_cases, actors):
        from oversight.core.testing.fixtures import make_user

        user = make_user("zhifa", "officer", actors.unit_a)
        officer = lit_cases["late"].officers.first()
        officer.user = user
        officer.save(update_fields=["user"])
        assert not Finding.objects.restrict(user, "view").exists()
        assert finding_figures(user=user, by_rule=True) == {
            "red": 0,
            "yellow": 0,
            "by_unit": [],
            "by_rule": [],
        }
        assert finding_figures(user=actors.reporter_a)["red"] > 0
        assert tallies.lit_total(user, "red") is None  # the case list counts their acts
        assert tallies.lit_total(actors.reporter_a, "red") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="row locks: PostgreSQL, as production runs",
)
def test_two_checks_of_one_case_at_once_count_once(lit_cases, actors):
    """The scheduler re-checks a case while a user's change to it is being written: the second
    check waits for the first and counts from what it wrote, so nothing is counted twice."""
    import threading

    from django.db import connection, transaction

    case = lit_cases["late"]
    locked, release = threading.Event(), threading.Event()

    def user_change():
        try:
            with time_machine.travel(TODAY, tick=False), transaction.atomic():
                held = Case.objects.select_for_update().get(pk=case.pk)
                locked.set()
                release.wait(10)
                held.published_on, held.served_on = D(2025, 9, 30), D(2025, 9, 29)
                held.save(update_fields=["published_on", "served_on"])
                services._sync(services._with_check_data([held])[0], TODAY.date())
        finally:
            connection.close()

    def scheduler_check():
        try:
            with time_machine.travel(TODAY, tick=False):
                services.case_check(case=case)
        finally:
            connection.close()

    first = threading.Thread(target=user_change)
    first.start()
    assert locked.wait(10)
    second = threading.Thread(target=scheduler_check)
    second.start()
    second.join(1)
    assert second.is_alive()  # waits for the user's change
    release.set()
    first.join(10)
    second.join(10)
    assert kept() == counted()


def _results() -> tuple[set, set]:
    return (
        set(Finding.objects.values_list("case_id", "rule", "level", "message", "due")),
        set(Case.objects.values_list("pk", "light", "next_check_on")),
    )


@pytest.mark.parametrize("day", [D(2025, 11, 3), D(2025, 12, 1), D(2026, 6, 1)])
def test_a_whole_recheck_of_plain_rows_finds_what_each_case_check_finds(lit_cases, day):
    """check_all reads cases as rows (services.CaseRow), case_check as model instances: the
    same rules must come to the same findings, lights and next dates, and keep the same counts."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(10)), tick=False):
        services.check_all(today=day)
        by_rows = _results()
        for case in Case.objects.all():
            services.case_check(case=case, today=day)
        assert _results() == by_rows
        assert kept() == counted()
        assert by_rows[0], "the cases have findings on this day"


def test_one_case_check_names_its_officers_as_a_whole_recheck_does(
    calendar_2025, case_data, officer_factory, certificate_factory, actors
):
    """case_check reads one case's officers, their units, certificates and status changes by
    the case's id; a whole re-check reads the batch's officers together. Both must find the
    same officers without a valid certificate, named in the registry's order (unit, then
    name), not in the order they were registered."""
    from oversight.enforcement.models import Certificate, CertificateEvent, Officer

    actors.unit_a.sort_order, actors.unit_b.sort_order = 1, 2
    for unit in (actors.unit_a, actors.unit_b):
        unit.save(update_fields=["sort_order"])
    yi, jia, bing, ding = (officer_factory(unit=actors.unit_a, name=n) for n in "乙甲丙丁")
    for officer in (yi, jia, bing, ding):
        certificate_factory(officer, issue_date=D(2020, 1, 1), expiry_date=D(2030, 12, 31))
    with time_machine.travel(TODAY, tick=False):
        case = services.case_save(
            case=None,
            data=case_data(number="A9", notified_on=D(2025, 9, 18), decided_on=D(2025, 9, 26)),
            officers=[yi, jia, bing, ding],
            user=actors.reporter_a,
        )
    # After the case was recorded: 乙 moved to unit B; 甲's certificate had expired by the
    # decision; 乙's and 丁's were suspended before it (a status change), 丙's only after it.
    Officer.objects.filter(pk=yi.pk).update(unit=actors.unit_b)
    Certificate.objects.filter(officer=jia).update(expiry_date=D(2025, 9, 1))
    for officer, day in ((yi, 10), (ding, 10), (bing, 28)):
        event = CertificateEvent.objects.create(
            certificate=Certificate.objects.get(officer=officer),
            action="suspend",
            from_status="valid",
            to_status="suspended",
            reason="测试",
        )
        CertificateEvent.objects.filter(pk=event.pk).update(
            time=datetime.datetime(2025, 9, day, 10, tzinfo=datetime.UTC)
        )
    with time_machine.travel(TODAY, tick=False):
        services.case_check(case=case, today=TODAY.date())
        one = _results()
        services.check_all(today=TODAY.date())
        assert _results() == one
    message = Finding.objects.get(case=case, rule="certificates").message
    # Unit A's (sorted by name: 丁 before 甲), then unit B's; not 乙、甲、丁 as registered.
    assert message.startswith("丁、甲、乙 在 2025-09-26 未持有效执法证"), message


def test_a_case_edit_audits_what_changed_and_the_officers_only_when_they_change(
    lit_cases, certified, actors
):
    """An edit's audit entry holds the fields it changed; the officers appear when the edit
    names other officers, not when it leaves them as they were (read once, not twice)."""
    from oversight.core.models import AuditEntry

    case = lit_cases["late"]
    officers = sorted(case.officers.values_list("pk", flat=True))

    def last_entry():
        return AuditEntry.objects.filter(object_id=str(case.pk)).order_by("pk").last()

    with time_machine.travel(TODAY, tick=False):
        services.case_save(case=case, data={"published_on": D(2025, 9, 30)}, user=actors.reporter_a)
        entry = last_entry()
        assert (entry.data_before, entry.data_after) == (
            {"published_on": None},
            {"published_on": "2025-09-30"},
        )
        others = certified(actors.unit_a, 1)
        services.case_save(case=case, data={}, officers=others, user=actors.reporter_a)
        entry = last_entry()
        assert entry.data_before == {"officers": officers}
        assert entry.data_after == {"officers": [others[0].pk]}


def test_checks_read_only_the_declared_columns():
    """A whole re-check reads only `checks.CASE_COLUMNS` (services.CaseRow): every attribute the
    rules read off a case must be one it loads, or the re-check would fail on it."""
    import ast
    import inspect

    from oversight.cases import checks

    loaded = set(services.CaseRow.__slots__) | {"act_date", "pk"}
    read = {
        node.attr
        for node in ast.walk(ast.parse(inspect.getsource(checks)))
        if isinstance(node, ast.Attribute)
        and (
            (isinstance(node.value, ast.Name) and node.value.id in {"c", "case"})
            or (isinstance(node.value, ast.Attribute) and node.value.attr == "case")
        )
    }
    assert {"decided_on", "published_on", "fine_amount"} <= read, "the walk finds the rules' reads"
    assert read - loaded == set()
    # act_date is the model's own property: what it reads is loaded too.
    assert {"decided_on", "filed_on"} <= loaded
    row = services.CaseRow(*range(len(services.CaseRow.COLUMNS)))
    with pytest.raises(AttributeError):
        row.facts  # noqa: B018  (a column no rule reads is not there to read by mistake)


def test_a_recheck_forgets_whom_it_found_certified_when_it_reads_the_officers_again(lit_cases):
    """The re-check remembers each officer's validity on a day (`OfficerCache.valid`) only as
    long as the certificates it came from: once the cache reads the officers again, a certificate
    withdrawn meanwhile is seen."""
    from oversight.enforcement.models import Certificate

    late = lit_cases["late"]
    day = TODAY.date()
    cache = services.OfficerCache()

    def recheck() -> set[str]:
        cases = services._with_check_data(
            Case.objects.filter(pk=late.pk), officers=cache, rows=True
        )
        services._sync_many(cases, day, cache)
        return set(Finding.objects.filter(case=late).values_list("rule", flat=True))

    with time_machine.travel(TODAY, tick=False):
        assert "certificates" not in recheck()
        assert cache.valid, "validity is remembered across batches"
        Certificate.objects.filter(officer__cases=late).update(expiry_date=D(2025, 1, 1))
        assert "certificates" not in recheck(), "within a minute the cache's officers stand"
        cache.loaded_at -= cache.MAX_AGE + 1
        assert "certificates" in recheck()
