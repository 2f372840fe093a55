import pytest
from django.core.management import call_command

from oversight.cases.models import Case
from oversight.inspections.models import Draw, Inspection
from oversight.inspections.services import draw_verify

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_demo_data_shows_every_light_and_verifiable_draws():
    from oversight.demo.loader import load_demo

    call_command("setup", verbosity=0)
    load_demo(with_plan=False)
    lights = set(Case.objects.filter(is_demo=True).values_list("light", flat=True))
    assert lights == {"red", "yellow", "green"}
    assert all("演示" in number for number in Case.objects.values_list("number", flat=True))
    assert Inspection.objects.exclude(warnings=[]).count() >= 2
    assert {d.status for d in Draw.objects.all()} == {"drawn", "published"}
    assert all(draw_verify(d)[0] for d in Draw.objects.all())
    # Loading again adds nothing.
    count = Case.objects.count()
    load_demo(with_plan=False)
    assert Case.objects.count() == count
