"""A complaint from the portal to its conclusion, and a supervision notice the unit ignored,
escalated to an opinion, answered and closed: as the public, the bureau and the unit would."""

import re

import pytest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.no_seed_plan]


def _op(page, testid: str) -> None:
    page.locator(f"[data-testid={testid}] button[type=submit]").click()


def test_portal_complaint_to_conclusion(demo_site, page, screenshot):
    base, password = demo_site
    # The public files complaints from their phones.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/public/complaints/")
    form = page.locator("[data-testid=complaint-form]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    form.locator("input[name=complainant_name]").fill("吴女士")
    form.locator("input[name=contact]").fill("13607149999")
    form.locator("select[name=unit]").select_option(label="区市场监管局")
    form.locator("textarea[name=matter]").fill(
        "9月在某超市检查时,执法人员未出示执法证件就要求停业整顿。"
    )
    screenshot("portal-form")
    form.locator("button[type=submit]").click()
    code = page.inner_text("[data-testid=query-code]").strip()
    assert re.fullmatch(r"[0-9A-F]{8}", code)
    screenshot("portal-code")
    page.set_viewport_size({"width": 1366, "height": 900})

    login(page, base, "jiandu", password)
    page.goto(f"{base}/supervision/clues/?source=portal&status=registered")
    page.locator("[data-testid=object-table] a", has_text="陆司线").first.click()
    assert "吴女士" in page.inner_text("[data-testid=clue-facts]")
    page.locator("[data-testid=clue-accept] select[name=unit]").select_option(label="区市场监管局")
    _op(page, "clue-accept")
    assert "已受理" in page.content()
    _op(page, "clue-transfer")
    assert "已转办 区市场监管局" in page.content()
    clue_url = page.url
    screenshot("bureau-transfer")

    page.context.clear_cookies()
    login(page, base, "scj_tianbao", password)
    page.goto(clue_url)
    facts = page.inner_text("[data-testid=clue-facts]")
    assert "吴女士" not in facts and "1360714" not in facts  # the unit never sees who complained
    page.fill(
        "[data-testid=clue-answer] textarea",
        "经核查,当日两名执法人员均佩戴并出示了执法证件,已调取执法记录仪。",
    )
    _op(page, "clue-answer")
    assert "核查情况已反馈" in page.content()

    page.context.clear_cookies()
    login(page, base, "jiandu", password)
    page.goto(clue_url)
    page.locator("[data-testid=clue-review] select[name=outcome]").select_option("back")
    page.fill("[data-testid=clue-review] input[name=comment]", "请附执法记录仪视频截图。")
    _op(page, "clue-review")
    assert "已退回单位重新核查" in page.content()

    page.context.clear_cookies()
    login(page, base, "scj_tianbao", password)
    page.goto(clue_url)
    page.fill(
        "[data-testid=clue-answer] textarea",
        "已补充执法记录仪视频截图三张,显示出示证件的过程;停业整顿系口头建议,已向当事人说明。",
    )
    _op(page, "clue-answer")

    page.context.clear_cookies()
    login(page, base, "jiandu", password)
    page.goto(clue_url)
    page.locator("[data-testid=clue-review] select[name=outcome]").select_option("partly")
    _op(page, "clue-review")
    page.fill("[data-testid=clue-close] textarea", "电话回访吴女士,对核查结果表示认可。")
    _op(page, "clue-close")
    assert "线索已办结" in page.content()
    timeline = page.inner_text("[data-testid=clue-timeline]")
    for step in ("登记", "受理", "转办", "单位反馈", "退回重查", "审核", "办结"):
        assert step in timeline
    screenshot("bureau-closed")

    page.context.clear_cookies()
    page.goto(f"{base}/public/complaints/query/")
    page.fill("input[name=code]", code)
    page.locator("main button[type=submit]").click()
    progress = page.inner_text("[data-testid=complaint-progress]")
    assert "已办结" in progress and "部分属实" in progress
    screenshot("portal-query")


def test_notice_unanswered_escalates_to_opinion_then_reply_and_close(demo_site, page, screenshot):
    base, password = demo_site
    login(page, base, "jiandu", password)
    page.goto(f"{base}/supervision/")
    page.wait_for_selector("[data-chart] canvas")
    assert int(page.inner_text("[data-testid=supervision-figures] .figure-value >> nth=0")) > 0
    screenshot("dashboard")
    page.goto(f"{base}/supervision/clues/")
    screenshot("clues")
    page.goto(f"{base}/supervision/documents/?to_escalate=on")
    page.locator("[data-testid=object-table] a", has_text="陆司监通").first.click()
    proposal = page.locator("[data-testid=escalation-proposal]")
    assert "逾期未回复" in proposal.inner_text()
    screenshot("proposal")
    proposal.get_by_role("link", name="发出行政执法监督意见书").click()
    page.fill(
        "textarea[name=requirement]",
        "一、撤销重复作出的罚款决定;二、对承办人员批评教育;三、排查同类案件。",
    )
    page.locator("main button[type=submit]").click()
    assert "已签发行政执法监督意见书" in page.content()
    number = page.locator("h1").inner_text()
    assert "陆司监意" in number
    opinion_url = page.url
    with page.expect_download() as download:
        page.click("[data-testid=document-docx]")
    assert download.value.suggested_filename.endswith(".docx")

    page.context.clear_cookies()
    login(page, base, "cgj_tianbao", password)
    page.goto(opinion_url)
    page.fill(
        "[data-testid=document-reply-form] textarea",
        "已撤销第二次罚款决定并退还罚款,对承办人员进行了批评教育,排查同类案件 0 件。",
    )
    page.set_input_files(
        "[data-testid=document-reply-form] input[type=file]",
        files=[
            {"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 report"}
        ],
    )
    page.locator("[data-testid=document-reply-form] button[type=submit]").click()
    assert "回复已报送" in page.content()
    screenshot("unit-replied")

    page.context.clear_cookies()
    login(page, base, "jiandu", password)
    page.goto(opinion_url)
    _op(page, "document-verdict")  # the first choice: 整改到位,办结
    assert "已审核通过" in page.content()
    page.locator("nav a").filter(has_text="陆司监项").first.click()
    page.fill(
        "[data-testid=matter-close] textarea", "通知书逾期未回复,升级发出意见书后已整改到位。"
    )
    _op(page, "matter-close")
    assert "监督事项已办结" in page.content()
    screenshot("matter-closed")
