"""The supervisor finds a red case, reads the breach and its legal source and puts it on the work
plan; the unit verifies its draw, enters the results and publishes them on the public page."""

import pytest

from .conftest import login

pytestmark = pytest.mark.browser


def test_breach_to_supervision_and_draw_to_public_page(demo_site, page, screenshot):
    base, password = demo_site
    login(page, base, "jiandu", password)
    page.goto(f"{base}/cases/findings/")
    assert int(page.inner_text("[data-testid=red-findings]")) > 0
    screenshot("findings")
    page.goto(f"{base}/cases/?light=red")
    page.locator("table a[href^='/cases/']").first.click()
    findings = page.inner_text("[data-testid=findings]")
    assert "违规" in findings and "依据" in findings
    screenshot("case")
    page.locator("details summary", has_text="列入督办").first.click()
    page.locator("form:has(input[value=escalate]) button").first.click()
    assert "已列入督办" in page.inner_text("[data-testid=findings]")

    page.context.clear_cookies()
    login(page, base, "scj_tianbao", password)
    from oversight.inspections.models import Draw

    # The demo's draw awaiting results (its name carries the month it was drawn in).
    title = Draw.objects.get(status=Draw.Status.DRAWN).title
    page.goto(f"{base}/cases/draws/")
    page.get_by_role("link", name=title, exact=True).click()
    page.click("[data-testid=verify]")
    assert "验证通过" in page.content()
    rows = page.locator("form:has(input[value=result])")
    while rows.count():
        rows.first.locator("input[name=result]").fill("未发现问题")
        rows.first.locator("button").click()
    screenshot("draw")
    page.get_by_role("button", name="公示结果").click()
    assert "抽查结果已公示" in page.content()

    page.context.clear_cookies()
    page.goto(f"{base}/public/draws/")
    page.get_by_role("link", name=title, exact=True).click()
    table = page.inner_text("[data-testid=public-draw]")
    assert "未发现问题" in table
    screenshot("public-draw")
