"""Each demo role logs in and sees its own navigation; a wrong password shows the Chinese error."""

import pytest

from .conftest import login

pytestmark = pytest.mark.browser

NAVIGATION = {
    "jiandu": (["单位管理", "单位组"], ["账号管理", "审计日志"]),
    "scj_tianbao": (["单位管理"], ["账号管理", "审计日志", "工作日历"]),
    "lingdao": (["单位管理", "单位组"], ["账号管理", "安全策略"]),
    "xitong": (["账号管理", "工作日历", "定时任务", "单位管理"], ["审计日志", "安全策略"]),
    "anquan": (["安全策略", "账号授权与锁定", "API 令牌管理"], ["账号管理", "审计日志"]),
    "shenji": (["审计日志", "登录日志"], ["单位管理", "账号管理", "安全策略"]),
}


@pytest.mark.parametrize("username", list(NAVIGATION))
def test_role_sees_its_navigation(demo_site, page, screenshot, username):
    base, password = demo_site
    login(page, base, username, password)
    page.wait_for_selector("[data-testid=nav]")
    nav = page.inner_text("[data-testid=nav]")
    shown, hidden = NAVIGATION[username]
    for label in shown:
        assert label in nav
    for label in hidden:
        assert label not in nav
    assert "演示" in page.inner_text("[data-testid=current-user]")
    screenshot("home")


def test_wrong_password_shows_chinese_error(demo_site, page, screenshot):
    base, _ = demo_site
    login(page, base, "jiandu", "wrong-password")
    error = page.inner_text("[data-testid=login-error]")
    assert "账号或密码错误" in error
    assert "连续失败 5 次账号将锁定" in error  # the same answer whether or not the account exists
    screenshot("login-error")


def test_reporter_edits_own_unit_contact(demo_site, page, screenshot):
    base, password = demo_site
    login(page, base, "scj_tianbao", password)
    page.click("text=单位管理")
    page.click("[data-testid=object-table] >> text=区市场监管局")
    page.click("text=编辑")
    page.fill("input[name=contact_person]", "李填报")
    page.fill("input[name=contact_phone]", "0714-6666666")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已保存")
    assert "0714-6666666" in page.content()
    screenshot("unit-contact")
