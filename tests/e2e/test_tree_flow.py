"""A committee clerk finds a party group in the organization tree by its pinyin initials (1440 px
and a phone at 390 px), reads the member counts, and prints the term list without the menu."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import build_personas
from tests.e2e.test_member_flow import CHROMIUM, SCREENSHOTS, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")]


def shots() -> Path:
    folder = Path(os.environ["DANGJIAN_VAR_DIR"]) / "screenshots" if os.environ.get("DANGJIAN_VAR_DIR") else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_clerk_finds_a_group_in_the_tree_and_prints_a_list(live_server: Any, live_db: None,
                                                             browser: Any) -> None:  # noqa: F811
    from dangjian.orgs.models import OrganizationTerm

    personas = build_personas()
    with acting_as(None, reason="test"):
        OrganizationTerm.objects.create(org=personas.b1, number=2, started_on=dt.date(2023, 12, 1),
                                        ends_on=dt.date(2026, 11, 30))
    base, folder = live_server.url, shots()
    errors: list[str] = []
    for width, height in ((1440, 1000), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
        log_in(page, base, "root_staff")
        page.goto(f"{base}/orgs/tree/")
        page.fill("#tree-q", "dy")
        page.press("#tree-q", "Enter")
        hit = page.locator(f"#tree-node-{personas.g1.pk}")
        expect(hit.locator("mark")).to_have_text("第一党小组")
        expect(hit).to_be_in_viewport()
        expect(page.locator(f"#tree-node-{personas.b1.pk} > .tree-row .tree-count")).to_contain_text("2 名党员")
        page.screenshot(path=str(folder / f"tree-search-{width}.png"), full_page=True)
        page.locator(f"#tree-node-{personas.c1.pk} > .tree-row .tree-toggle").click()  # fold, then unfold
        expect(page.locator(f"#tree-children-{personas.c1.pk}")).to_be_hidden()
        page.locator(f"#tree-node-{personas.c1.pk} > .tree-row .tree-toggle").click()
        expect(hit).to_be_visible()
        page.goto(f"{base}/orgs/terms/")
        expect(page.locator("table")).to_contain_text("2026年11月30日")
        page.screenshot(path=str(folder / f"term-list-{width}.png"), full_page=True)
        context.close()
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    log_in(page, base, "root_staff")
    page.goto(f"{base}/orgs/terms/expiring/")
    page.emulate_media(media="print")
    expect(page.locator(".app-sidebar, .app-topbar").first).to_be_hidden()
    expect(page.locator(".page-title")).to_be_visible()
    page.screenshot(path=str(folder / "term-expiry-print.png"), full_page=True)
    page.pdf(path=str(folder / "term-expiry-print.pdf"), format="A4")
    context.close()
    assert not errors, errors
