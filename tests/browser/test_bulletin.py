"""The supervisor drafts a quarterly bulletin, edits the highlights, publishes; a unit sees its ranking."""

import pytest

from .conftest import login

pytestmark = pytest.mark.browser


def test_draft_edit_publish_and_unit_sees_ranking(demo_site, page, screenshot):
    base, password = demo_site
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        # The first time the supervisor thinks better of it: nothing is published.
        dialog.dismiss() if len(asked) == 1 else dialog.accept()

    page.on("dialog", answer)
    login(page, base, "jiandu", password)
    page.click("text=定期通报")
    page.click("text=起草通报")
    page.click("button:has-text('起草')")
    page.wait_for_selector("[data-testid=bulletin-body]")
    assert page.inner_text("[data-testid=bulletin-status]") == "草稿"
    assert "各单位落实情况" in page.inner_text("[data-testid=bulletin-body]")
    page.fill(
        "[data-testid=bulletin-edit] textarea[name=highlights]",
        "区市场监管局建立涉企检查备案台账,做法值得推广。",
    )
    page.click("[data-testid=bulletin-edit] button")
    page.wait_for_selector("text=草稿已保存")
    assert "做法值得推广" in page.inner_text("[data-testid=bulletin-body]")
    screenshot("draft")
    page.click("[data-testid=publish]")  # dismissed
    assert asked == ["发布后数据冻结、自动编号并通知各单位,确定发布?"]
    assert page.inner_text("[data-testid=bulletin-status]") == "草稿"
    page.click("[data-testid=publish]")  # accepted
    page.wait_for_selector("text=通报已发布")
    assert page.inner_text("[data-testid=bulletin-status]") == "已发布"
    url = page.url
    page.click("header form button")

    login(page, base, "cgj_tianbao", password)
    page.goto(url)
    own = page.inner_text("[data-testid=own-rank]")
    assert own.startswith("区城管执法局:第 ") and "名(共" in own
    assert page.locator("[data-testid=ranking] tr.table-info").count() == 1
    screenshot("unit-view")
