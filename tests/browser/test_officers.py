"""A unit imports officers with one bad row, fixes it, imports; the supervisor suspends a
certificate and the officer leaves the public list."""

import pytest
from openpyxl import Workbook

from oversight.enforcement.imports import OfficerImporter
from oversight.enforcement.tests.conftest import make_id

from .conftest import login

pytestmark = pytest.mark.browser
IMPORT_HEADERS = OfficerImporter.headers_of()


def write(path, bad: bool) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(list(IMPORT_HEADERS))
    people = [
        ("试导甲", make_id("19880101", 501), "BRW00001"),
        ("试导乙", make_id("19900505", 502), "BRW00002"),
    ]
    for i, (name, id_number, number) in enumerate(people):
        if bad and i == 1:
            id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")  # wrong check digit
        values = {"姓名": name, "身份证号": id_number, "所在单位": "区市场监管局", "编制类型": "在编", "状态": "在岗", "证号": number,
                  "证件种类": "行政执法证", "执法领域": "市场监管", "发证机关": "黄石市人民政府", "发证日期": "2025-01-01", "有效期至": "2030-12-31"}  # fmt: skip
        ws.append([values.get(h, "") for h in IMPORT_HEADERS])
    wb.save(path)


def test_import_fix_import_then_suspend(demo_site, page, screenshot, tmp_path):
    base, password = demo_site
    bad, good = tmp_path / "人员-有误.xlsx", tmp_path / "人员.xlsx"
    write(bad, bad=True)
    write(good, bad=False)

    login(page, base, "scj_tianbao", password)
    page.goto(f"{base}/enforcement/officers/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("[data-testid=import]")
    errors = page.inner_text("[data-testid=row-errors]")
    assert "第 3 行" in errors and "校验位不正确" in errors and "第 2 行" not in errors
    screenshot("row-error")
    page.goto(f"{base}/public/officers/?q=试导")
    assert "试导甲" not in page.content()  # nothing was written

    page.goto(f"{base}/enforcement/officers/import/")
    page.set_input_files("input[name=file]", str(good))
    page.click("[data-testid=import]")
    preview = page.inner_text("[data-testid=import-preview]")
    assert "全部 2 行校验通过" in preview and "试导甲" in preview
    screenshot("import-preview")
    page.goto(f"{base}/public/officers/?q=试导")
    assert "试导甲" not in page.content()  # a preview writes nothing
    page.go_back()
    page.click("[data-testid=import-commit]")
    page.wait_for_selector("text=导入完成")
    page.goto(f"{base}/public/officers/?q=试导")
    table = page.inner_text("[data-testid=public-officers]")
    assert "试导甲" in table and "试导乙" in table and "BRW00002" in table
    assert "19900505" not in page.content()  # no ID numbers in public
    page.goto(f"{base}/")
    page.click("header form button")

    login(page, base, "jiandu", password)
    page.goto(f"{base}/enforcement/certificates/?q=BRW00002")
    page.click("[data-testid=object-table] >> text=BRW00002")
    form = page.locator("[data-testid=cert-change]")
    form.locator("select[name=action]").select_option("suspend")
    form.locator("textarea[name=reason]").fill("未按规定着装和出示证件")
    form.locator("input[name=until]").fill("2099-12-31")
    form.locator("button").click()
    page.wait_for_selector("text=证件状态已变更")
    assert page.inner_text("[data-testid=cert-status]") == "暂扣"
    screenshot("suspended")
    page.goto(f"{base}/public/officers/?q=试导")
    table = page.inner_text("[data-testid=public-officers]")
    assert "试导甲" in table and "试导乙" not in table
