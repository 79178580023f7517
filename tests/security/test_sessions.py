"""SESS-01 server-side sessions: idle timeout 30 min, absolute lifetime 12 h, new key at login,
logout deletes the session row (DP-04)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.security.conftest import LOGIN_URL, login

pytestmark = pytest.mark.django_db


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def assert_sent_to_login(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_idle_timeout(personas: Any) -> None:
    t0 = timezone.now().replace(microsecond=0)
    with time_machine.travel(t0, tick=False):
        client = login("officer_b1")
    with time_machine.travel(t0 + dt.timedelta(minutes=29), tick=False):
        assert client.get("/members/").status_code == 200  # renews the idle timer
    with time_machine.travel(t0 + dt.timedelta(minutes=29 + 29), tick=False):
        assert client.get("/members/").status_code == 200
    with time_machine.travel(t0 + dt.timedelta(minutes=29 + 29 + 31), tick=False):
        assert_sent_to_login(client.get("/members/"))
        assert client.get("/").status_code == 302


def test_absolute_timeout(personas: Any) -> None:
    t0 = timezone.now().replace(microsecond=0)
    with time_machine.travel(t0, tick=False):
        client = login("officer_b1")
    step = dt.timedelta(minutes=20)
    at = t0
    while at + step <= t0 + dt.timedelta(hours=12):  # active every 20 minutes, up to 12 h
        at += step
        with time_machine.travel(at, tick=False):
            assert client.get("/").status_code == 200, f"ended early at {at - t0}"
    key = session_key(client)
    with time_machine.travel(t0 + dt.timedelta(hours=12, minutes=20), tick=False):
        # 20 minutes after the last request: not idle, but past the absolute lifetime
        assert Session.objects.get(session_key=key).expire_date > timezone.now()
        assert_sent_to_login(client.get("/"))
        assert not Session.objects.filter(session_key=key).exists()  # ended server-side
        notice = client.get(LOGIN_URL)
        assert [str(m) for m in notice.context["messages"]], "the user is told why the session ended"
        assert_sent_to_login(client.get("/members/"))


def test_session_key_changes_at_login(personas: Any) -> None:
    client = Client()
    store = client.session  # an anonymous server-side session planted before login (fixation attempt)
    store["planted"] = "x"
    store.save()
    before = store.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    login("officer_b1", client=client)
    after = session_key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


def test_logout_deletes_session_row_and_old_cookie_is_anonymous(personas: Any) -> None:
    client = login("officer_b1")
    key = session_key(client)
    assert Session.objects.filter(session_key=key).exists()
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert_sent_to_login(replay.get("/members/"))


def test_logout_needs_post(personas: Any) -> None:
    client = login("officer_b1")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/members/").status_code == 200


def test_session_cookie_flags() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
