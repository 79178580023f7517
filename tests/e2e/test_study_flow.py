"""A member takes a theory test on a phone (390 px, Chromium): open it from the inbox, answer,
lose the connection (answers stay queued on the phone), come back, submit, see the score and the
member points it earned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import build_personas
from dangjian.study.models import Answer, Attempt, Exam, ExamQuestion, Question
from tests.e2e.test_member_flow import CHROMIUM, SCREENSHOTS, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")]


def _exam(org: Any) -> tuple[Exam, list[Question]]:
    from django.utils import timezone

    with acting_as(None, reason="test"):
        qs = [Question(org=org, kind="judge", text=f"判断题{i}：党员应当按时交纳党费。", answer="T") for i in range(3)]
        for q in qs:
            q.save()
        now = timezone.now()
        exam = Exam(org=org, title="浏览器理论测试", opens_at=now - dt.timedelta(hours=1),
                    closes_at=now + dt.timedelta(days=1), time_limit_minutes=30, published=True)
        exam.save()
        for i, q in enumerate(qs):
            ExamQuestion(exam=exam, question=q, points=Decimal("10"), position=i).save()
    return exam, qs


def test_a_member_takes_a_test_on_a_phone_through_a_lost_connection(live_server: Any, live_db: None,
                                                                    browser: Any) -> None:  # noqa: F811
    personas = build_personas()
    exam, _qs = _exam(personas.c1)
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text
            and "Failed to fetch" not in m.text and "ERR_INTERNET_DISCONNECTED" not in m.text else None)
    log_in(page, base, "member_b1")

    # the inbox reminds the member of the open test
    page.goto(f"{base}/inbox/")
    box = page.locator("#inbox-study")
    expect(box).to_contain_text("浏览器理论测试")
    box.get_by_role("link").first.click()
    page.get_by_role("button", name="开始答题").click()
    page.wait_for_url(f"{base}/study/attempts/*/take/")
    attempt = Attempt.objects.get(exam=exam)
    cards = page.locator(".question")
    expect(cards).to_have_count(3)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "study-take-390.png"), full_page=True)

    # the first answer is saved at once
    cards.nth(0).get_by_label("对").check()
    expect(page.locator("#save-state")).to_have_text("答案已全部保存。")
    # the connection drops: the next answers stay on the phone and the page says so
    context.set_offline(True)
    cards.nth(1).get_by_label("对").check()
    cards.nth(2).get_by_label("错").check()
    expect(page.locator("#save-state")).to_contain_text("网络已断开")
    assert Answer.objects.filter(attempt=attempt).exclude(response="").count() == 1
    # back online: the queue is sent; a reload shows every answer (the attempt resumed)
    context.set_offline(False)
    expect(page.locator("#save-state")).to_have_text("答案已全部保存。", timeout=10_000)
    assert Answer.objects.filter(attempt=attempt).exclude(response="").count() == 3
    page.reload()
    expect(page.locator(".question").nth(2).get_by_label("错")).to_be_checked()

    page.get_by_role("button", name="交卷").click()
    page.wait_for_url(f"{base}/study/attempts/{attempt.pk}/result/")
    expect(page.locator("#score")).to_contain_text("20.0 / 30.0")
    expect(page.locator("#score")).to_contain_text("合格")
    expect(page.locator("#points")).to_contain_text("1")
    page.screenshot(path=str(SCREENSHOTS / "study-result-390.png"), full_page=True)
    assert not errors, errors
    context.close()
