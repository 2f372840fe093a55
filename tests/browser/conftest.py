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


@pytest.fixture
def demo_site(transactional_db, live_server, request):
    """The live server holding the seed units, the demo accounts and (unless marked) the seed plan.

    `@pytest.mark.no_seed_plan` leaves the plan out, for tests that import the notice themselves;
    `@pytest.mark.plan_not_issued` keeps the seed plan confirmed but not issued (no demo activity).
    """
    from oversight.core.calendar import calendar_seed_from_package
    from oversight.core.setup_hooks import run_all
    from oversight.demo import DEMO_PASSWORD, load_demo

    calendar_seed_from_package()
    run_all()
    load_demo(
        with_plan=request.node.get_closest_marker("no_seed_plan") is None,
        play=request.node.get_closest_marker("plan_not_issued") is None,
    )
    return live_server.url, DEMO_PASSWORD


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
