"""The demo district, loaded once per module in a transaction rolled back at its end."""

import pytest
import time_machine
from django.db import transaction

from .data import PINNED, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from oversight.core import calendar, rules
    from oversight.core.calendar import calendar_seed_from_package
    from oversight.core.context import acting_as_system
    from oversight.core.setup_hooks import run_all
    from oversight.demo.loader import load_demo

    with time_machine.travel(PINNED, tick=False), django_db_blocker.unblock():
        calendar.clear_cache()
        rules.clear_cache()
        with transaction.atomic():
            with acting_as_system("演示数据"):
                calendar_seed_from_package()
                run_all()
                load_demo()
                world = build_world()
            yield world
            transaction.set_rollback(True)
        calendar.clear_cache()
        rules.clear_cache()
