"""What people read on the generic screens: 请选择 for an empty choice, 全部 in a filter, no
box asking for a database id, dates read as 2026年12月1日 and money with two decimals and 元."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.core.templatetags.ui import cn_date, display, money
from dangjian.core.testing.personas import Personas

pytestmark = pytest.mark.django_db


def test_an_empty_choice_reads_please_choose(personas: Personas, client_for: object) -> None:
    client = client_for("officer_b1")  # type: ignore[operator]
    form = client.get("/meetings/add/").content.decode()
    assert "---------" not in form
    assert re.search(r'<option value=""[^>]*>请选择</option>', form)


def test_list_filters_offer_all_and_no_id_box(personas: Personas, client_for: object) -> None:
    client = client_for("c1_staff")  # type: ignore[operator]
    page = client.get("/orgs/").content.decode()
    assert "---------" not in page and "组织类别：全部</option>" in page
    assert not re.search(r'<input[^>]*type="number"[^>]*name="parent"', page)
    assert not re.search(r'<input[^>]*name="parent"[^>]*type="number"', page)
    children = client.get(f"/orgs/?parent={personas.c1.pk}").content.decode()
    assert "刑侦一大队党支部" in children and "交警一大队党支部" not in children  # the link still filters


def test_dates_and_money_as_they_are_read() -> None:
    assert cn_date(dt.date(2026, 12, 1)) == "2026年12月1日"
    moment = timezone.make_aware(dt.datetime(2026, 12, 1, 9, 5))  # noqa: DTZ001
    assert cn_date(moment) == "2026年12月1日 09:05" and display(dt.date(2026, 3, 9)) == "2026年3月9日"
    assert money(Decimal("1234.5")) == "1,234.50 元" and money(Decimal("0")) == "0.00 元"
    assert money(None) == "—"


def test_a_single_branch_secretary_finds_the_branch_chosen(personas: Personas, client_for: object) -> None:
    client = client_for("officer_b1")  # type: ignore[operator]
    form = client.get("/meetings/add/").content.decode()
    select = re.search(r'<select[^>]*name="org".*?</select>', form, re.S)
    assert select and re.search(rf'<option value="{personas.b1.pk}"[^>]*selected', select.group(0))
    wide = client_for("c1_staff").get("/meetings/add/").content.decode()  # type: ignore[operator]
    many = re.search(r'<select[^>]*name="org".*?</select>', wide, re.S)
    assert many and " selected" not in many.group(0).replace('value="" selected', "")


def test_a_printed_page_has_a_running_header_and_no_menu() -> None:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static" / "core" / "app.css").read_text()
    printed = css[css.index("@media print"):]
    assert "size: A4" in printed and ".app-sidebar" in printed and ".filter-form" in printed
    assert ".print-header { display: block" in printed
