"""The import flow in Chromium: a branch secretary uploads a workbook with one bad row, reads the
report, fixes the file, uploads it again, confirms, and finds the members in the list."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dangjian.core.models import ImportBatch
from dangjian.core.testing.imports import XLSX
from dangjian.core.testing.personas import PASSWORD, build_personas
from dangjian.members.models import Member
from tests.imports.conftest import member_cells, member_file

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def server_url(live_server: Any, live_db: None) -> str:
    return str(live_server.url)


@pytest.fixture
def page(server_url: str, tmp_path: Path) -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test thread runs Playwright's loop
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path / "media"), playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield context.new_page()
        browser.close()


def upload(page: Any, content: bytes) -> None:
    page.set_input_files("#import-file", files=[{"name": "党员名单.xlsx", "mimeType": XLSX, "buffer": content}])
    page.click("#import-upload button[type=submit]")
    page.wait_for_load_state()


def test_upload_fix_and_confirm_in_the_browser(server_url: str, page: Any, tmp_path: Path) -> None:
    build_personas()
    shot: Callable[[str], None] = lambda name: page.screenshot(path=str(SHOTS / f"import-{name}.png"), full_page=True)  # noqa: E731
    SHOTS.mkdir(parents=True, exist_ok=True)
    good, bad = member_cells(姓名="浏览器甲"), member_cells(姓名="浏览器乙", 所在支部="B2")

    page.goto(server_url + "/accounts/login/")
    page.fill("input[name=username]", "officer_b1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(server_url + "/members/")
    page.click("#import-link")
    page.wait_for_load_state()
    assert page.url.endswith("/members/import/")
    assert page.locator("#template-link").is_visible()
    shot("upload")

    upload(page, member_file([good, bad]))
    problems = page.locator("#import-problems")
    assert "组织“B2”不存在或不在您的管理范围内。" in problems.inner_text()
    assert page.locator("#count-errors").inner_text() == "1"
    assert page.locator("#import-all").count() == 0 and page.locator("#import-valid").is_visible()
    shot("report")
    assert not Member.objects.filter(name__startswith="浏览器").exists()

    page.click("button[value=discard]")
    page.wait_for_load_state()
    fixed = member_cells(姓名="浏览器乙", 所在支部="B1", 身份证号=bad[4], 警号=bad[5])
    upload(page, member_file([good, fixed]))
    assert page.locator("#import-problems").count() == 0
    assert page.locator("#count-valid").inner_text() == "2"
    page.click("#import-all")
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/members")
    text = page.locator("body").inner_text()
    assert "浏览器甲" in text and "浏览器乙" in text and "已从“党员名单.xlsx”导入 2 行。" in text
    shot("done")
    assert set(Member.objects.filter(name__startswith="浏览器").values_list("name", flat=True)) == {"浏览器甲", "浏览器乙"}
    assert list(ImportBatch.objects.values_list("status", flat=True).order_by("id")) == ["discarded", "imported"]
    assert not [p for p in (tmp_path / "media" / "imports").rglob("*") if p.is_file()]
