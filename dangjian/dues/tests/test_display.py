"""Dues lists as a treasurer reads them: money right-aligned with two decimals and 元, dates in Chinese."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from dangjian.core.testing.personas import Personas
from dangjian.dues.tests.conftest import assess, pay

pytestmark = pytest.mark.django_db


def test_the_payment_list_shows_money_and_dates_as_read(personas: Personas, officer: Any, client_for: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "6000")
    pay(officer, member, "123.4", dt.date(2026, 3, 2))
    page = client_for("officer_b1").get("/dues/payments/").content.decode()
    cell = re.search(r'<td class="money">(.*?)</td>', page, re.S)
    assert cell and "123.40 元" in cell.group(1)
    assert re.search(r'<th class="[^"]*money', page)
    assert "2026年3月2日" in page and "2026-03-02" not in page
