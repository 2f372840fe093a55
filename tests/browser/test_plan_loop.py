"""The loop in the browser: issue, sign, break down, report with a file, return, resubmit, accept."""

import re

import pytest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.plan_not_issued]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def logout(page):
    page.click("header form button")
    page.wait_for_selector("input[name=username]")


def count(page, testid):
    return int(page.inner_text(f"[data-testid={testid}]"))


def test_issue_report_return_resubmit_accept(demo_site, page, screenshot, tmp_path):
    base, password = demo_site
    page.on("dialog", lambda dialog: dialog.accept())

    # The supervisor issues the seed plan.
    login(page, base, "jiandu", password)
    page.click("text=工作计划 >> nth=1")
    page.click("[data-testid=object-table] tbody a")
    page.click("[data-testid=issue]")
    page.wait_for_selector("[data-testid=dashboard]")
    yellow_before = count(page, "yellow-count")
    red_before = count(page, "red-count")
    plan_url = page.url
    screenshot("issued")
    logout(page)

    # 区市场监管局 signs its share of task 6, which it leads, and breaks it down.
    login(page, base, "scj_tianbao", password)
    page.click("text=我的任务")
    page.click("[data-testid=assignments] >> text=6 不断优化涉企行政执法方式")
    # Freshly issued: three working days to sign, which warns only on the last one.
    assert page.inner_text("[data-testid=light]") == "绿灯"
    page.click("[data-testid=sign]")
    page.wait_for_selector("text=已签收。")
    assert page.inner_text("[data-testid=light]") == "绿灯"
    form = page.locator("[data-testid=breakdown]")
    form.locator("textarea[name='m-0-content']").fill("建立涉企检查备案台账")
    form.locator("input[name='m-0-responsible_person']").fill("李填报")
    form.locator("input[name='m-0-planned_date']").fill(
        "2026-12-31" if "2026" in page.content() else "2030-12-31"
    )
    form.locator("button").click()
    page.wait_for_selector("text=已保存量化分解")
    assignment_url = page.url

    # It reports on the current period with a PDF.
    page.click("[data-testid=write-report]")
    page.fill("textarea[name=done_text]", "已建立涉企检查备案台账,完成首批备案 12 件。")
    page.select_option("select[name=self_status]", "on_track")
    evidence = tmp_path / "备案台账.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("input[name=files]", str(evidence))
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=report-status]")
    assert page.inner_text("[data-testid=report-status]") == "待监督机构审核"
    assert "备案台账.pdf" in page.inner_text("[data-testid=evidence]")
    report_url = page.url
    screenshot("submitted")
    logout(page)

    # The supervisor sees it waiting and returns it.
    login(page, base, "jiandu", password)
    page.goto(plan_url)
    # Signed and reported: still green, and nothing turned yellow or red meanwhile.
    assert (count(page, "yellow-count"), count(page, "red-count")) == (yellow_before, red_before)
    assert "6 定期报告" in page.inner_text("[data-testid=waiting]")
    page.click("[data-testid=waiting] >> text=6 定期报告")
    page.fill("textarea[name=comment]", "请补充备案台账的具体清单。")
    page.click("[data-testid=return]")
    page.wait_for_selector("text=报告已退回修改")
    assert page.inner_text("[data-testid=report-status]") == "已退回修改"
    logout(page)

    # The unit revises and resubmits.
    login(page, base, "scj_tianbao", password)
    assert int(page.inner_text("[data-testid=unread]")) >= 1  # told of the return
    page.goto(report_url)
    assert "请补充备案台账的具体清单" in page.inner_text("[data-testid=return-comment]")
    page.click("[data-testid=edit-report]")
    page.fill("textarea[name=done_text]", "已建立涉企检查备案台账,完成首批备案 12 件,清单见附件。")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=report-status]")
    assert page.inner_text("[data-testid=report-status]") == "待监督机构审核"
    logout(page)

    # The supervisor accepts; nothing waits any more.
    login(page, base, "jiandu", password)
    page.goto(report_url)
    page.click("[data-testid=accept]")
    page.wait_for_selector("text=报告已通过")
    assert page.inner_text("[data-testid=report-status]") == "已通过"
    assert "第 2 版" in page.content()
    page.goto(plan_url)
    assert "没有待审核事项" in page.inner_text("[data-testid=waiting]")
    screenshot("dashboard")
    page.goto(assignment_url)
    timeline = page.inner_text("[data-testid=timeline]")
    assert re.search(
        r"签收.*量化分解.*报送报告.*报告退回.*报送报告.*报告通过", timeline.replace("\n", " ")
    )
