"""The error pages a user can meet (400, 403, CSRF failure, 404, 500) are Chinese, in the site's
shell, with a way back, and appear with DEBUG off (the test settings' default)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.deploy.urls")]

BACK_HOME = '<a class="btn btn-primary" href="/">返回首页</a>'


def assert_error_page(response: Any, status: int, heading: str) -> str:
    assert settings.DEBUG is False
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1 class=\"h2 mb-3\">{heading}</h1>" in page
    assert BACK_HOME in page and "智慧党建" in page and 'class="brand-mark' in page
    assert "Traceback" not in page and "Django" not in page
    return page


def test_a_missing_page_is_a_chinese_404_with_a_way_home(client_for: Any) -> None:
    response = client_for("officer_b1").get("/members/no-such-screen/")
    page = assert_error_page(response, 404, "页面不存在")
    assert "不在您可查看的党组织范围内" in page


def test_a_refused_page_is_a_chinese_403() -> None:
    page = assert_error_page(Client().get("/__test__/forbidden/"), 403, "无权访问")
    assert "联系本组织的党务工作人员" in page


def test_a_form_without_its_csrf_token_gets_the_chinese_expired_page(personas: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "officer_b1", "password": "x"})
    page = assert_error_page(response, 403, "页面已过期")
    assert "刷新页面后重新提交" in page and 'href="/accounts/login/">重新登录</a>' in page


def test_an_unknown_host_is_a_chinese_400(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert_error_page(response, 400, "请求有误")


def test_a_bug_is_a_chinese_500_that_needs_no_database() -> None:
    client = Client(raise_request_exception=False)
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/__test__/broken/")
    page = assert_error_page(response, 500, "服务器错误")
    assert "已记录在日志中" in page and "a bug" not in page
    assert len(queries) == 0
