"""Playwright driving Debian's Chromium against the live test server.

Without chromium on the PATH the browser tests are skipped, unless OVERSIGHT_REQUIRE_BROWSER=1
(set by .ci/run), where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("OVERSIGHT_ARTIFACTS", "test-artifacts")) / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("OVERSIGHT_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "找不到 chromium:请安装 Debian 的 chromium 与 fonts-noto-cjk(.ci/run 会自动安装)。"
            )
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _flush() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def module_server(django_db_setup, django_db_blocker):
    """A live server for one module. Not pytest-django's `live_server`: a test using that one is
    made transactional, which empties the database after every test, and the demo data is loaded
    once per module."""
    from django.db import connections
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    with django_db_blocker.unblock():
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        thread = LiveServerThread("localhost", _StaticFilesHandler, shared, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.fixture(scope="module")
def demo_site(request, django_db_blocker, module_server):
    """The live server holding the seed units, the demo accounts and (unless marked) the seed plan,
    loaded once for the tests of a module (they walk one journey on it) and removed after them.

    `pytestmark = pytest.mark.no_seed_plan` leaves the plan out, for a module that imports the
    notice itself; `plan_not_issued` keeps the seed plan confirmed but not issued.
    """
    from oversight.core.calendar import calendar_seed_from_package
    from oversight.core.context import acting_as_system
    from oversight.core.setup_hooks import run_all
    from oversight.demo.loader import DEMO_PASSWORD, load_demo

    with django_db_blocker.unblock(), acting_as_system("演示数据"):
        _flush()
        calendar_seed_from_package()
        run_all()
        load_demo(
            with_plan=request.node.get_closest_marker("no_seed_plan") is None,
            play=request.node.get_closest_marker("plan_not_issued") is None,
        )
        yield module_server, DEMO_PASSWORD
        _flush()


@pytest.fixture(autouse=True)
def db(django_db_blocker):
    """Browser tests read the database to check what the pages did. This replaces pytest-django's
    `db` here (whose name also makes it create the test database): no transaction per test, so
    the module's demo data and what each step of its journey wrote stay for the next step."""
    with django_db_blocker.unblock():
        yield


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # Until the page after the login has loaded, its deferred scripts included: a click on a
    # control Bootstrap has not yet wired up does nothing (a slow CI run once clicked the phone
    # menu's button too early).
    with page.expect_navigation(wait_until="load"):
        page.click("button[type=submit]")
