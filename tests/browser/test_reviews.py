"""One case file from sampling to a locked result: the bureau draws and assigns, the unit uploads
the file, two reviewers score it blind (one confirming the platform's suggestions), the bureau
publishes, the unit objects and the bureau answers."""

import datetime

import pytest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.no_seed_plan]


def switch(page, base: str, username: str, password: str) -> None:
    """Sign in as someone else. The file page embeds the PDF, whose response renews the session
    cookie: leave the page first, so nothing in flight restores the previous user's session."""
    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, base, username, password)


def _score(page, decide: str, points: str = "", reason: str = "") -> None:
    form = page.locator("[data-testid=score-form]")
    for radio in form.locator(f"input[type=radio][value='{decide}']").all():
        radio.check()
    if points:
        form.locator("input[name^=points_]").last.fill(points)
        form.locator("input[name^=reason_]").nth(
            form.locator("input[name^=points_]").count() - 1
        ).fill(reason)
    form.locator("button[type=submit]").click()


def test_one_file_from_sampling_to_a_locked_result(demo_site, page, screenshot):
    base, password = demo_site
    today = datetime.date.today()
    login(page, base, "jiandu", password)
    page.goto(f"{base}/reviews/schemes/")
    page.locator("[data-testid=object-table] tbody a").first.click()
    assert "一票否决" in page.inner_text("[data-testid=scheme-items]")
    screenshot("scheme")
    page.goto(f"{base}/reviews/problems/")
    page.wait_for_selector("[data-chart] canvas")
    screenshot("problems")
    page.goto(f"{base}/reviews/add/")
    page.fill("input[name=title]", "市场监管专项案卷评查")
    page.fill("input[name=year]", str(today.year))
    page.select_option("select[name=units]", label="区市场监管局")
    page.check("input[name=act_types][value=penalty]")
    page.fill("input[name=closed_from]", f"{today.year - 1}-01-01")
    page.fill("input[name=closed_to]", today.isoformat())
    page.fill("input[name=per_unit]", "1")
    page.locator("main button[type=submit]").click()
    page.click("[data-testid=round-draw]")
    assert "已抽取 1 份案卷" in page.content()
    page.click("[data-testid=round-verify]")
    assert "验证通过" in page.content()
    people = page.locator("[data-testid=round-assign] select[name=people]")
    values = [
        people.locator("option", has_text=name).first.get_attribute("value")
        for name in ("王监督", "刘监督员")
    ]
    people.select_option(values)
    page.locator("[data-testid=round-assign] button[type=submit]").click()
    assert "已分配评分表 2 份" in page.content()
    screenshot("round")
    file_url = page.locator("[data-testid=round-files] a").first.get_attribute("href")
    round_url = page.url

    switch(page, base, "scj_tianbao", password)
    page.goto(base + file_url)
    page.set_input_files(
        "[data-testid=file-upload] input[name=file]",
        files=[
            {
                "name": "案卷.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n% scan\n%%EOF\n",
            }
        ],
    )
    page.locator("[data-testid=file-upload] button[type=submit]").click()
    assert "案卷已上传" in page.content()

    switch(page, base, "jiandu", password)
    page.goto(base + file_url)
    _score(page, "1", "2", "卷内目录不全")
    assert "评分已提交" in page.content()
    screenshot("scored")

    switch(page, base, "tejian", password)
    page.goto(base + file_url)
    assert "卷内目录不全" not in page.content()  # blind until both are in
    _score(page, "1")
    assert "评分已提交" in page.content()

    switch(page, base, "jiandu", password)
    page.goto(round_url)
    page.once(
        "dialog", lambda dialog: dialog.accept()
    )  # 公布后各单位可在异议期内提出异议,确定公布?
    page.click("[data-testid=round-publish]")
    assert "评查结果已公布" in page.content()

    switch(page, base, "scj_tianbao", password)
    page.goto(base + file_url)
    grade = page.inner_text("[data-testid=file-grade]")
    page.fill("[data-testid=file-object] textarea", "卷内目录已在案卷首页,评查人员未看到,请复核。")
    page.locator("[data-testid=file-object] button[type=submit]").click()
    assert "异议已提交" in page.content()

    switch(page, base, "jiandu", password)
    page.goto(base + file_url)
    page.fill(
        "[data-testid=file-answer] textarea[name=answer], [data-testid=file-answer] input[name=answer]",
        "经复核,目录确实在卷,维持原评分。",
    )
    page.locator("[data-testid=file-answer] button[type=submit]").click()
    assert "评查结果已确定" in page.content()
    assert "已确定" in page.inner_text("[data-testid=file-status]")
    assert grade.split(" ")[0] in page.inner_text("[data-testid=file-grade]")
    screenshot("locked")
