"""Browser flow of member development: a branch secretary records an application, is refused a
step with its reason, and the committee above approves full membership; the member's status,
full-membership date and 党龄 change, and dues are assessed from the branch meeting's month.

The middle of the path (contacts to the oath, about fifteen forms of the same kind) is
recorded through the same service the forms call, to keep the test short; the forms that
decide something a person notices (application, a refused step, the 转正 vote and approval)
are filled in the browser.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dangjian.core.testing.personas import build_personas, valid_id_number
from dangjian.development.choices import StepKind as K
from tests.e2e.test_member_flow import CHROMIUM, SCREENSHOTS, browser, log_in  # noqa: F401

STEP_PAGE = re.compile(r"/development/steps/\d+/$")

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")]


def _step(page: Any, base: str, case_pk: int, kind: str, on: str, **fields: str) -> None:
    page.goto(f"{base}/development/steps/add/?case={case_pk}")
    page.select_option("#id_kind", kind)
    page.fill("#id_on", on)
    page.fill("#id_decided_by", "党支部委员会")
    for name, value in fields.items():
        selector = f"#id_{name}"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        elif value == "check":
            page.check(selector)
        else:
            page.fill(selector, value)
    page.locator("form button[type=submit]").last.click()


def test_from_application_to_full_membership(live_server: Any, live_db: None, browser: Any,  # noqa: F811
                                              tmp_path: Path) -> None:
    from dangjian.core.context import acting_as
    from dangjian.development.models import Case
    from dangjian.development.tests.conftest import PATH, entry

    p = build_personas()
    base = live_server.url
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, base, "officer_b1")

    # the application, in the browser
    page.goto(f"{base}/development/add/")
    page.select_option("#id_org", str(p.b1.pk))
    birth = dt.date(1998, 4, 2)
    for name, value in {"name": "发展甲", "ethnicity": "汉族", "birth_date": birth.isoformat(),
                        "id_number": valid_id_number(birth, "M"), "applied_on": "2024-01-10"}.items():
        page.fill(f"#id_{name}", value)
    page.select_option("#id_gender", "M")
    page.select_option("#id_personnel_type", "auxiliary")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/development/\d+/$"))
    case = Case.objects.get(name="发展甲")
    _step(page, base, case.pk, K.TALK, "2024-01-20")
    page.wait_for_url(STEP_PAGE)
    _step(page, base, case.pk, K.ACTIVIST, "2024-03-01")
    page.wait_for_url(STEP_PAGE)

    # a refused step, and its reason beside the field
    _step(page, base, case.pk, K.ACTIVIST_FILING, "2024-03-05")
    expect(page.locator("form.card")).to_contain_text("须由支部的上一级党委作出")

    # the middle of the path through the service the forms call
    from dangjian.development import services

    for kind, on, extra in PATH[2:17]:
        actor = p.user("c1_staff") if kind in {K.ACTIVIST_FILING, K.CANDIDATE_CONSENT, K.PRE_REVIEW, K.HIGHER_TALK,
                                                K.APPROVAL} else p.user("officer_b1")
        with acting_as(actor):
            services.record_step(actor=actor, case=case, data=entry(p, kind, on, extra))
    case.refresh_from_db()
    assert case.member is not None and case.member.status == "probationary"

    # the 转正 application and vote, in the browser: a day early is refused with the date
    _step(page, base, case.pk, K.CONVERSION_APPLICATION, "2026-04-20")
    page.wait_for_url(STEP_PAGE)
    vote = {"should_attend": "2", "present": "2", "yes_votes": "2", "secret_ballot": "check", "outcome": "convert"}
    _step(page, base, case.pk, K.CONVERSION_MEETING, "2026-05-09", **vote)
    expect(page.locator("form.card")).to_contain_text("2026年5月10日期满")
    _step(page, base, case.pk, K.CONVERSION_MEETING, "2026-05-10", **vote)
    page.wait_for_url(STEP_PAGE)

    # the committee above approves
    context.close()
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, base, "c1_staff")
    _step(page, base, case.pk, K.CONVERSION_APPROVAL, "2026-06-01", passed="true")
    page.wait_for_url(STEP_PAGE)
    page.goto(f"{base}/members/{case.member.pk}/")
    grid = page.locator(".detail-grid")
    expect(grid).to_contain_text("正式党员")
    expect(grid).to_contain_text("2026年5月10日")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "e2e-development-member.png"), full_page=True)
    context.close()

    member = case.member
    member.refresh_from_db()
    assert member.status == "full" and member.full_member_on == dt.date(2026, 5, 10)  # 党龄 counts from here
    assert member.joined_party_on == dt.date(2025, 5, 10)
    from decimal import Decimal

    from dangjian.dues import services as dues
    from dangjian.dues.models import PayItem

    with acting_as(p.user("officer_b1")):
        assessment = dues.assess_member(actor=p.user("officer_b1"), member=member, year=2025, kind="employed",
                                        components=[dues.ComponentInput(PayItem.objects.get(code="post_salary"),
                                                                        Decimal("4000.00"))])
    assert assessment.effective_month == dt.date(2025, 5, 1)  # dues from the branch meeting's month
