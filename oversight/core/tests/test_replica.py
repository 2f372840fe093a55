"""Heavy reads on a read replica: only where marked, never inside a write transaction, never
just after the same browser wrote; writes always on the primary."""

import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from oversight.core import replica
from oversight.core.replica import PIN_COOKIE, PrimaryAfterWriteMiddleware, ReplicaRouter
from oversight.organisations.models import Unit


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_heavy_reads(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Unit) is None
    with replica.heavy_reads():
        assert router.db_for_read(Unit) == "replica"
        assert router.db_for_write(Unit) == "default"
    assert router.db_for_read(Unit) is None


def test_without_a_replica_nothing_changes():
    with replica.heavy_reads():
        assert ReplicaRouter().db_for_read(Unit) is None


@pytest.mark.django_db
def test_inside_a_transaction_reads_stay_on_the_primary(with_replica):
    with replica.heavy_reads(), transaction.atomic():
        assert ReplicaRouter().db_for_read(Unit) is None


def test_after_a_write_the_browser_reads_the_primary_for_a_while(with_replica, settings):
    settings.REPLICA_PIN_SECONDS = 10
    seen = []

    def view(request):
        with replica.heavy_reads():
            seen.append(ReplicaRouter().db_for_read(Unit))
        return HttpResponse(status=302 if request.method == "POST" else 200)

    middleware = PrimaryAfterWriteMiddleware(view)
    factory = RequestFactory()
    answer = middleware(factory.post("/plans/1/issue/"))
    until = float(answer.cookies[PIN_COOKIE].value)
    assert time.time() + 8 < until <= time.time() + 11  # whole seconds
    assert answer.cookies[PIN_COOKIE]["httponly"]
    pinned = factory.get("/plans/ledger/")
    pinned.COOKIES[PIN_COOKIE] = f"{until:.0f}"
    middleware(pinned)
    expired = factory.get("/plans/ledger/")
    expired.COOKIES[PIN_COOKIE] = f"{time.time() - 1:.0f}"
    middleware(expired)
    forged = factory.get("/plans/ledger/")
    forged.COOKIES[PIN_COOKIE] = "不是时间"
    middleware(forged)
    assert seen == ["replica", None, "replica", "replica"]
    # A refused write pins nothing.
    refused = PrimaryAfterWriteMiddleware(lambda request: HttpResponse(status=403))
    assert PIN_COOKIE not in refused(factory.post("/plans/1/issue/")).cookies


def test_a_configured_replica_carries_the_marked_pages(tmp_path):
    """Through the settings, the router and a real second connection: the ledger's and the home
    page's reads run on `replica`, sign-in and a POST's writes on `default`."""
    db = tmp_path / "primary.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        OVERSIGHT_MODE="test",
        DJANGO_SETTINGS_MODULE="oversight.settings",
        DATABASE_URL=f"sqlite:///{db}",
        DATABASE_REPLICA_URL=f"sqlite:///{db}",  # the same file stands for a replica
    )
    script = textwrap.dedent(
        """
        import django, json
        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from oversight.accounts.models import User, UserRole
        from oversight.core.context import acting_as_system
        call_command("migrate", verbosity=0)
        settings.ALLOWED_HOSTS = ["testserver"]
        user = User.objects.create_user("jiandu", password="x")
        UserRole.objects.create(user=user, role="supervisor")
        client = Client()
        client.force_login(user)
        counts = {}
        for url in ["/plans/ledger/", "/"]:
            with CaptureQueriesContext(connections["default"]) as primary, \\
                    CaptureQueriesContext(connections["replica"]) as second:
                assert client.get(url).status_code == 200
            counts[url] = [len(primary), len(second)]
        print(json.dumps(counts))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    counts = __import__("json").loads(result.stdout.strip().splitlines()[-1])
    for url, (primary, second) in counts.items():
        assert second > 0, url  # the page's own reads
        assert primary >= 1, url  # the session and the user, read before the page
