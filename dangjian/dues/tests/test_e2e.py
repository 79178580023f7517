"""Browser flow in Debian's Chromium (Playwright): a branch treasurer records a month of
payments for the whole branch on the bulk screen, then downloads the disclosure workbook and
its totals are checked with openpyxl.

The live server needs real transactions, so the data is built inside the test; Playwright's sync
API runs an event loop in this thread (DJANGO_ALLOW_ASYNC_UNSAFE covers the ORM calls after it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dangjian.core.testing.personas import PASSWORD, build_personas
from dangjian.dues.models import DuesPayment
from dangjian.dues.tests.conftest import assess, bill_months

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)"),
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


def test_bulk_month_then_disclosure_workbook(live_server: Any, flushable_audit_log: Any, browser: Any,
                                             tmp_path: Path) -> None:
    from openpyxl import load_workbook

    personas = build_personas()
    officer = personas.user("officer_b1")
    assess(officer, personas.members["m_b1"], 2026, "4000.00")      # 40.00 a month
    assess(officer, personas.members["m_b1_2"], 2026, "3000.01")    # 30.00 a month (the cliff)
    bill_months(officer, personas.b1, 2026, range(3, 4))
    base = live_server.url

    page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                               locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "officer_b1")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    # the bulk screen: pick the branch and the month, tick everyone, save once
    page.goto(f"{base}/dues/payments/bulk/")
    page.select_option("#id_org", str(personas.b1.pk))
    page.fill("#id_month", "2026-03")
    page.click("#submit")
    page.wait_for_selector("#bulk-table")
    rows = page.locator("#bulk-table tbody tr")
    assert rows.count() == 2
    assert page.input_value("#id_r-0-amount") in {"40.00", "30.00"}
    page.fill("#id_paid_on", "2026-03-15")
    for i in range(2):
        page.check(f"#id_r-{i}-paid")
    page.click("#save-bulk")
    page.wait_for_url(f"{base}/dues/bills/?*")
    assert "2026年3月" in page.content()
    assert DuesPayment.objects.filter(org=personas.b1, paid_on=dt.date(2026, 3, 15)).count() == 2

    # the disclosure of the year, downloaded as Excel
    page.goto(f"{base}/dues/disclosure/")
    page.select_option("#id_org", str(personas.b1.pk))
    page.fill("#id_first", "2026-01")
    page.fill("#id_last", "2026-12")
    page.click("#show")
    page.wait_for_selector("#download-xlsx")
    assert page.inner_text("#collected").strip() == "70.00 元"
    with page.expect_download() as info:
        page.click("#download-xlsx")
    path = tmp_path / "disclosure.xlsx"
    info.value.save_as(str(path))
    wb = load_workbook(path)
    summary = {row[0]: row[1] for row in wb["收支汇总"].iter_rows(min_row=3, values_only=True)}
    assert Decimal(str(summary["党员交纳党费"])) == Decimal("70.00")
    assert Decimal(str(summary["应缴党费"])) == Decimal("70.00")
    members = list(wb["党员交纳明细"].iter_rows(min_row=3, values_only=True))
    total = members[-1]
    assert total[0] == "合计"
    assert Decimal(str(total[3])).quantize(Decimal("0.01")) == Decimal("70.00")
    assert sorted(Decimal(str(r[3])) for r in members[:-1]) == [Decimal("30.00"), Decimal("40.00")]
    monthly = {r[0]: r[1] for r in wb["按月收缴"].iter_rows(min_row=3, values_only=True)}
    assert Decimal(str(monthly["2026年3月"])) == Decimal("70.00")
    assert errors == []
