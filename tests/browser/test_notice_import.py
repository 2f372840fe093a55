"""The supervisor imports the seed notice through the page, maps an unknown unit, confirms."""

from pathlib import Path

import pytest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.no_seed_plan]

SEED = (
    Path(__file__).resolve().parents[2]
    / "oversight"
    / "notices"
    / "fixtures"
    / "xialu-notice-2024.txt"
)


def test_import_seed_map_unit_confirm(demo_site, page, screenshot, tmp_path):
    base, password = demo_site
    # The notice names one unit the registry does not know yet.
    notice = tmp_path / "下陆区通知.txt"
    notice.write_text(
        SEED.read_text(encoding="utf-8").replace(
            "区人社局、区司法局", "区人社局、区退役军人局、区司法局"
        ),
        encoding="utf-8",
    )
    login(page, base, "jiandu", password)
    page.click("text=通知导入")
    page.click("text=导入通知")
    page.set_input_files("input[name=file]", str(notice))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=source]")
    assert page.inner_text("[data-testid=task-count]") == "共 24 项"
    assert page.is_disabled("[data-testid=confirm]")
    # Trace a field to its source line.
    page.click("a.srcref[data-line='48']")
    assert "hl" in page.get_attribute("#L48", "class")
    screenshot("review")

    form = page.locator("[data-testid=unknown-unit]")
    assert "区退役军人局" in form.inner_text()
    form.locator("input[value=create]").check()
    form.locator("input[name$=new_name]").fill("下陆区退役军人事务局")
    form.locator("button").click()
    page.wait_for_selector("text=已处理单位“区退役军人局”")
    assert page.locator("[data-testid=unknown-unit]").count() == 0

    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=plan-tasks]")
    assert page.inner_text("[data-testid=task-count]") == "共 24 项"
    assert page.locator("[data-testid=plan-tasks] tbody tr td a").count() == 24
    assert "区退役军人局" in page.inner_text("[data-testid=plan-tasks]")
    screenshot("plan")


CORPUS = Path(__file__).resolve().parents[2] / "oversight" / "notices" / "tests" / "corpus"


def test_a_notice_in_another_layout_shows_what_to_check(demo_site, page, screenshot):
    """A Ningxia-style notice: units in words ("X牵头,Y配合"), deadlines as the last sentence."""
    base, password = demo_site
    login(page, base, "jiandu", password)
    page.goto(f"{base}/notices/new/")
    page.set_input_files(
        "input[name=file]", str(CORPUS / "06-ningxia-xingqing-2018-leads-in-words.txt")
    )
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=source]")
    assert page.inner_text("[data-testid=task-count]") == "共 7 项"
    assert "其中 7 项" in page.inner_text("[data-testid=doubt-count]")
    first = page.locator("[data-testid=parsed-task]").first
    assert "需核对" in first.inner_text()
    assert "完成时限取自任务内容末尾" in first.inner_text()
    assert "区发改局" in first.inner_text()
    screenshot("doubts")
