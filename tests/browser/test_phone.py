"""A unit reporter on a 390 px phone (inside 钉钉/企业微信): the menu, signing, a report with a photo
taken on the phone, and the light — with the screenshots the user guide shows."""

import pytest

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.plan_not_issued]

# A photo as a phone camera writes it (JPEG); the platform checks the content, not the name.
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
DINGTALK_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 AliApp(DingTalk/7.5.0) com.laiwang.DingTalk/1"
)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        user_agent=DINGTALK_UA,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"phone-{name}.png"
    page.screenshot(path=str(path))  # docs/images/phone-*.png are these, copied by hand


def fits(page) -> bool:
    """Nothing runs off the side of the phone's screen."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reporter_signs_reports_with_a_photo_and_sees_the_light(demo_site, page, phone, tmp_path):
    base, password = demo_site
    page.on("dialog", lambda dialog: dialog.accept())
    # The supervisor issues the seed plan (at a desk).
    login(page, base, "jiandu", password)
    page.click("text=工作计划 >> nth=1")
    page.click("[data-testid=object-table] tbody a")
    page.click("[data-testid=issue]")
    page.wait_for_selector("[data-testid=dashboard]")

    # The reporter of 区市场监管局, on the phone.
    login(phone, base, "scj_tianbao", password)
    assert phone.is_visible("[data-testid=menu-toggle]")
    assert not phone.is_visible("[data-testid=nav] >> text=我的任务")  # the menu is folded away
    assert fits(phone)
    phone.click("[data-testid=menu-toggle]")
    phone.wait_for_selector("#sidebar.show:not(.showing)")  # slid in
    phone.wait_for_selector("[data-testid=nav] >> text=我的任务", state="visible")
    shot(phone, "menu")
    phone.click("[data-testid=nav] >> text=我的任务")
    phone.wait_for_selector("[data-testid=to-sign]")
    to_sign = int(phone.inner_text("[data-testid=to-sign-count]"))
    assert to_sign > 1 and fits(phone)
    shot(phone, "to-sign")
    phone.click("[data-testid=sign-all]")
    phone.wait_for_selector(f"text=已签收 {to_sign} 项任务")
    assert phone.inner_text("[data-testid=to-sign-count]") == "0"

    # A standing task's report, with a photo from the camera.
    phone.click("[data-testid=assignments] >> text=6 不断优化涉企行政执法方式")
    assert phone.inner_text("[data-testid=light]") == "绿灯"
    assert fits(phone)
    phone.click("[data-testid=write-report]")
    phone.fill("textarea[name=done_text]", "已建立涉企检查备案台账,现场照片见附件。")
    phone.select_option("select[name=self_status]", "on_track")
    assert "image/*" in phone.get_attribute("input[name=files]", "accept")
    photo = tmp_path / "IMG_20261130_101500.jpg"
    photo.write_bytes(PHOTO)
    phone.set_input_files("input[name=files]", str(photo))
    shot(phone, "report")
    phone.click("[data-testid=submit-report]")
    phone.wait_for_selector("[data-testid=report-status]")
    assert phone.inner_text("[data-testid=report-status]") == "待监督机构审核"
    assert "IMG_20261130_101500.jpg" in phone.inner_text("[data-testid=evidence]")
    assert fits(phone)
    shot(phone, "submitted")

    # The ledger as cards: each assignment's light at a glance.
    phone.goto(f"{base}/plans/ledger/")
    card = phone.locator("[data-testid=assignments] tbody tr").first
    assert card.locator("td").first.get_attribute("data-label") == "亮灯"  # shown before the value
    assert card.evaluate("row => getComputedStyle(row).display") == "block" and fits(phone)
    shot(phone, "ledger")
