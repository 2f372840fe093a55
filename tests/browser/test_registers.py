"""The three registers of tasks 7–9 as their users meet them: the catalogue as of a date and on the
portal, an adjustment reviewed, the 街办's delegation form, a rectification problem closed."""

import pytest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.no_seed_plan]


def switch(page, base: str, username: str, password: str) -> None:
    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, base, username, password)


def test_catalogue_delegation_and_rectification(demo_site, page, screenshot):
    base, password = demo_site
    login(page, base, "jiandu", password)
    page.goto(f"{base}/catalogue/")
    table = page.inner_text("[data-testid=object-table]")
    assert "对销售超过保质期食品的行政处罚" in table
    screenshot("catalogue")
    # The pending abolition of an item: the bureau reviews and approves it.
    page.goto(f"{base}/catalogue/adjustments/?status=pending")
    page.locator("[data-testid=object-table] tbody a").first.click()
    assert "取消" in page.inner_text("[data-testid=adjustment-diff]")
    screenshot("adjustment")
    page.locator("[data-testid=adjustment-review] button[type=submit]").click()
    assert "已通过" in page.content()

    page.goto(f"{base}/supervision/campaigns/")
    page.locator("[data-testid=object-table] tbody a").first.click()
    assert "自查" in page.inner_text("[data-testid=campaign-phases]")
    screenshot("campaign")

    switch(page, base, "tcs_tianbao", password)  # the 街办 fills its delegation form
    page.goto(f"{base}/catalogue/delegations/reviews/")
    page.locator("[data-testid=object-table] tbody a").first.click()
    page.locator("[data-testid=delegation-forms] tbody a").first.click()
    form = page.locator("[data-testid=delegation-submit]")
    for name, text in [("need", "辖区占道经营多,需要就近执法"), ("use", "全年办理案件若干"), ("capacity", "持证执法人员两名"),
                       ("safety", "无明显执法风险"), ("problems", "专业人员不足")]:  # fmt: skip
        form.locator(f"input[name={name}], textarea[name={name}]").fill(text)
    form.locator("button[type=submit]").click()
    assert "评估表已提交" in page.content()
    screenshot("delegation")

    switch(
        page, base, "scj_tianbao", password
    )  # the market bureau reports a problem's rectification
    page.goto(f"{base}/supervision/campaigns/")
    page.locator("[data-testid=object-table] tbody a").first.click()
    page.locator("[data-testid=campaign-problems] a", has_text="同一企业一月内检查三次").click()
    report = page.locator("[data-testid=problem-report]")
    report.locator("input[name=measures], textarea[name=measures]").fill(
        "建立检查计划统筹台账,同一企业每年检查不超过两次"
    )
    report.locator("input[name=responsible]").fill("赵科长")
    report.locator("input[name=evidence], textarea[name=evidence]").fill("检查计划统筹台账截图")
    report.locator("button[type=submit]").click()
    assert "等待区司法局审核销号" in page.content()

    page.context.clear_cookies()
    page.goto(f"{base}/public/catalogue/")
    assert "对销售超过保质期食品的行政处罚" in page.inner_text("[data-testid=public-catalogue]")
    screenshot("portal-catalogue")
