"""Browser flows in Debian's Chromium (Playwright): a branch officer's day with the member roll,
and the phone-size layout.

The live server needs real transactions (``live_db``: ``transactional_db`` whose flush may
empty the append-only audit log), so the personas are built inside each test. Playwright's sync API runs an event loop in this thread; the ORM is only used
before the browser starts, and DJANGO_ALLOW_ASYNC_UNSAFE covers the live server's teardown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dangjian.core.testing.personas import PASSWORD, build_personas

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
MASKED_ID = re.compile(r"^\d{4}\*{10}[\dX]{4}$")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium): "
                                                     "apt-get install -y chromium"),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # staff land on the workbench, a member without staff roles on the member portal
    page.wait_for_url(re.compile(re.escape(base) + r"/(m/)?$"))


def test_branch_officer_finds_edits_and_exports_a_member(
    live_server: Any, live_db: None, browser: Any, tmp_path: Path
) -> None:
    personas = build_personas()
    member = personas.members["m_b1"]  # 张三 of branch B1
    full_id = member.id_number
    base = live_server.url

    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
    log_in(page, base, "officer_b1")

    # the member roll: typing pinyin initials narrows the table (htmx, no reload)
    menu = page.locator("#sidebar-menu")
    menu.get_by_role("link", name="党员名册", exact=True).click()
    page.wait_for_url(f"{base}/members/")
    search = page.get_by_placeholder("姓名、拼音首字母或警号")
    search.press_sequentially("zs", delay=80)
    expect(page).to_have_url(re.compile(r"[?&]q=zs"))  # hx-push-url: the filter is in the address
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(1)
    assert "张三" in rows.first.inner_text()
    assert "李四" not in page.locator("#object-table").inner_text()

    # open the member: the ID number is masked
    page.get_by_role("link", name="张三").click()
    page.wait_for_url(f"{base}/members/{member.pk}/")
    masked = page.locator("#id-number .masked").inner_text().strip()
    assert MASKED_ID.match(masked), masked
    assert full_id not in page.content()

    # edit the post (职务) and save
    page.get_by_role("link", name="编辑").click()
    page.wait_for_url(f"{base}/members/{member.pk}/edit/")
    page.get_by_label("职务").fill("副大队长（测试）")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{base}/members/{member.pk}/")
    assert "已保存" in page.locator(".alert-success").inner_text()
    assert "副大队长（测试）" in page.locator(".detail-grid").inner_text()

    # back to the list, export to Excel and read the workbook
    menu.get_by_role("link", name="党员名册", exact=True).click()
    page.wait_for_url(f"{base}/members/")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel").click()
    download = info.value
    target = tmp_path / (download.suggested_filename or "members.xlsx")
    download.save_as(target)
    assert target.suffix == ".xlsx"

    from openpyxl import load_workbook

    sheet = load_workbook(target, read_only=True).active
    table = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    header, body = table[1], table[2:]  # a title row, then the header
    assert {"姓名", "身份证号", "职务"} <= set(header), header
    row = next(r for r in body if r[header.index("姓名")] == "张三")
    assert row[header.index("职务")] == "副大队长（测试）"
    assert MASKED_ID.match(row[header.index("身份证号")]), row
    assert all(full_id not in cell for r in table for cell in r), "a full ID number left the system"

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "e2e-member-list.png"), full_page=True)
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.parametrize("path", ["/accounts/login/", "/members/"])
def test_phone_layout_has_no_horizontal_overflow(
    live_server: Any, live_db: None, browser: Any, path: str
) -> None:
    build_personas()
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    if path != "/accounts/login/":
        log_in(page, base, "officer_b1")
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"e2e-phone{path.replace('/', '-').rstrip('-')}.png"), full_page=True)
    assert width <= viewport, f"{path} is {width}px wide in a {viewport}px viewport"
    # the sidebar is a top bar with a menu button on phones
    if path == "/members/":
        assert page.locator(".navbar-toggler").is_visible()
        menu_entry = page.locator("#sidebar-menu").get_by_role("link", name="党员名册", exact=True)
        assert not menu_entry.is_visible()
        page.locator(".navbar-toggler").click()
        menu_entry.wait_for(state="visible")
    context.close()

