"""The message adapters against a local fake HTTP server (a real socket server on port 0: the
adapters' own HTTP client code runs, nothing is mocked): success, retry on failure, give-up
after N tries, nothing in quiet hours, the rate limit, 企业微信/钉钉 access tokens."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.notices import outbox
from dangjian.notices.models import ChannelConfig, ChannelPreference, DeliveryStatus, OutboxMessage

pytestmark = pytest.mark.django_db


class FakeApis(BaseHTTPRequestHandler):
    """The SMS gateway, 企业微信 and 钉钉 as their documents describe them."""

    state: dict[str, Any]

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _failing(self) -> bool:
        if self.state["fail"] > 0:
            self.state["fail"] -= 1
            return True
        return False

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.state["calls"].append(("GET", url.path, query, None))
        if url.path in ("/cgi-bin/gettoken", "/gettoken"):
            secret = query.get("corpsecret") or query.get("appsecret")
            if secret != "s3cret":
                return self._answer(200, {"errcode": 40001, "errmsg": "invalid credential"})
            self.state["tokens"] += 1
            return self._answer(200, {"errcode": 0, "access_token": f"tok{self.state['tokens']}", "expires_in": 7200})
        return self._answer(404, {})

    def do_POST(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.state["calls"].append(("POST", url.path, query, body))
        if url.path == "/sms":
            if self._failing():
                return self._answer(500, {"code": 500, "message": "gateway busy"})
            if self.headers.get("Authorization") != "Bearer s3cret":
                return self._answer(401, {"code": 401})
            self.state["sent"].append(("sms", body["mobile"], body["content"]))
            return self._answer(200, {"code": 0, "id": "m1"})
        if url.path in ("/cgi-bin/message/send", "/topapi/message/corpconversation/asyncsend_v2"):
            if query.get("access_token") != f"tok{self.state['tokens']}" or self.state.pop("expire", False):
                return self._answer(200, {"errcode": 42001, "errmsg": "access_token expired"})
            if self._failing():
                return self._answer(200, {"errcode": -1, "errmsg": "system busy"})
            to = body.get("touser") or body.get("userid_list")
            text = (body.get("text") or body["msg"]["text"])["content"]
            self.state["sent"].append((url.path, to, text))
            return self._answer(200, {"errcode": 0, "errmsg": "ok", "msgid": "x", "task_id": 1})
        return self._answer(404, {})


@pytest.fixture
def fake() -> Iterator[dict[str, Any]]:
    state: dict[str, Any] = {"calls": [], "sent": [], "fail": 0, "tokens": 0}
    handler = type("Handler", (FakeApis,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    cache.clear()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


NOON = timezone.make_aware(dt.datetime(2026, 6, 3, 12, 0))  # noqa: DTZ001  (local time, made aware)


def setup_channel(p: Any, fake: dict[str, Any], channel: str, **fields: Any) -> ChannelConfig:
    base = f"{fake['url']}/sms" if channel == "sms" else fake["url"]
    with acting_as(None, reason="test"):
        config = ChannelConfig(channel=channel, enabled=True, base_url=base, app_key="corp1", secret="s3cret",
                               agent_id="1000002", **fields)
        config.save()
    user = p.user("member_b1")
    ChannelPreference.objects.create(user=user, channel=channel, address="zhangsan" if channel != "sms" else "13800000000")
    return config


def queue_one(p: Any, key: str = "test:1", text: str = "请按时交纳党费") -> OutboxMessage:
    outbox.queue(user_ids=[p.user("member_b1").pk], key=key, text=text, now=NOON)
    return OutboxMessage.objects.get(key=key)


@pytest.mark.parametrize("channel", ["sms", "wecom", "dingtalk"])
def test_success(p: Any, fake: dict[str, Any], channel: str) -> None:
    setup_channel(p, fake, channel)
    message = queue_one(p)
    result = outbox.deliver_due(now=NOON)
    message.refresh_from_db()
    assert (result.sent, message.status, message.attempts) == (1, DeliveryStatus.SENT, 1)
    assert fake["sent"] and fake["sent"][0][1:] == ("13800000000" if channel == "sms" else "zhangsan", "请按时交纳党费")
    if channel != "sms":
        post = next(c for c in fake["calls"] if c[0] == "POST")
        assert post[2]["access_token"] == "tok1"
        assert (post[3].get("agentid") or post[3].get("agent_id")) == 1000002


@pytest.mark.parametrize("channel", ["sms", "wecom", "dingtalk"])
def test_retry_on_failure_then_success(p: Any, fake: dict[str, Any], channel: str) -> None:
    setup_channel(p, fake, channel, retry_minutes=5)
    message = queue_one(p)
    fake["fail"] = 1
    outbox.deliver_due(now=NOON)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.PENDING, 1)
    assert message.next_try_at == NOON + dt.timedelta(minutes=5) and message.last_error
    assert outbox.deliver_due(now=NOON + dt.timedelta(minutes=4)).sent == 0  # not yet due
    assert outbox.deliver_due(now=NOON + dt.timedelta(minutes=5)).sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (DeliveryStatus.SENT, 2, "")


@pytest.mark.parametrize("channel", ["sms", "wecom", "dingtalk"])
def test_give_up_after_n_tries(p: Any, fake: dict[str, Any], channel: str) -> None:
    setup_channel(p, fake, channel, max_attempts=3, retry_minutes=1)
    message = queue_one(p)
    fake["fail"] = 100
    now = NOON
    for _ in range(5):
        outbox.deliver_due(now=now)
        now += dt.timedelta(hours=1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.GAVE_UP, 3)
    assert message.last_error
    assert not fake["sent"]


@pytest.mark.parametrize("channel", ["sms", "wecom", "dingtalk"])
def test_no_message_in_quiet_hours(p: Any, fake: dict[str, Any], channel: str) -> None:
    setup_channel(p, fake, channel, quiet_start=dt.time(22, 0), quiet_end=dt.time(7, 0))
    late = timezone.make_aware(dt.datetime(2026, 6, 3, 23, 30))  # noqa: DTZ001  (local time)
    outbox.queue(user_ids=[p.user("member_b1").pk], key="night", text="夜间消息", now=late)
    result = outbox.deliver_due(now=late)
    assert (result.sent, result.quiet) == (0, 1)
    assert outbox.deliver_due(now=late + dt.timedelta(hours=7)).sent == 0  # 06:30, still quiet
    assert not fake["calls"]
    assert outbox.deliver_due(now=late + dt.timedelta(hours=8)).sent == 1  # 07:30
    assert len(fake["sent"]) == 1


def test_the_rate_limit_holds_the_rest_for_the_next_minute(p: Any, fake: dict[str, Any]) -> None:
    setup_channel(p, fake, "sms", per_minute=2)
    for n in range(5):
        queue_one(p, key=f"k{n}")
    first = outbox.deliver_due(now=NOON)
    assert (first.sent, first.limited) == (2, 3)
    assert outbox.deliver_due(now=NOON + dt.timedelta(seconds=30)).sent == 0
    assert outbox.deliver_due(now=NOON + dt.timedelta(seconds=61)).sent == 2


def test_an_expired_token_is_fetched_again_once(p: Any, fake: dict[str, Any]) -> None:
    setup_channel(p, fake, "wecom")
    queue_one(p, key="a")
    outbox.deliver_due(now=NOON)
    queue_one(p, key="b")
    outbox.deliver_due(now=NOON)  # the cached token is reused
    assert fake["tokens"] == 1
    fake["expire"] = True
    queue_one(p, key="c")
    assert outbox.deliver_due(now=NOON).sent == 1
    assert fake["tokens"] == 2 and len(fake["sent"]) == 3


def test_wrong_credentials_are_an_error_not_a_crash(p: Any, fake: dict[str, Any]) -> None:
    config = setup_channel(p, fake, "dingtalk")
    with acting_as(None, reason="test"):
        config.secret = "wrong"
        config.save()
    message = queue_one(p)
    outbox.deliver_due(now=NOON)
    message.refresh_from_db()
    assert message.status == DeliveryStatus.PENDING and "40001" in message.last_error


def test_the_secret_is_encrypted_at_rest(p: Any, fake: dict[str, Any]) -> None:
    from django.db import connection

    setup_channel(p, fake, "wecom")
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM notices_channelconfig")
        (stored,) = cursor.fetchone()
    assert "s3cret" not in stored


def test_a_channel_nobody_enabled_sends_nothing_and_users_choose_theirs(p: Any, fake: dict[str, Any],
                                                                         client_for: Any) -> None:
    outbox.queue(user_ids=[p.user("member_b1").pk], key="none", text="x", now=NOON)
    assert not OutboxMessage.objects.exists()  # no channel chosen: in the platform only
    client = client_for("member_b1")
    assert client.get(reverse("notices:preferences")).status_code == 200
    client.post(reverse("notices:preferences"), {"wecom_enabled": "on", "wecom_address": "zhangsan"})
    pref = ChannelPreference.objects.get(user=p.user("member_b1"), channel="wecom")
    assert pref.enabled and pref.address == "zhangsan"
    outbox.queue(user_ids=[p.user("member_b1").pk], key="now", text="x", now=NOON)
    assert OutboxMessage.objects.filter(channel="wecom").count() == 1


def test_a_published_announcement_and_a_new_member_reminder_are_queued(p: Any, fake: dict[str, Any],
                                                                       django_capture_on_commit_callbacks: Any) -> None:
    from dangjian.notices import services
    from dangjian.notices.models import Announcement
    from dangjian.notices.tests.conftest import run
    from dangjian.supervision.tests import fixtures as fx

    setup_channel(p, fake, "sms")
    with acting_as(None, reason="test"):
        row = Announcement(org=p.c1, title="学习通知", body="正文")
        row.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(actor=p.user("c1_staff"), announcement=row)
    assert OutboxMessage.objects.filter(key=f"announcement:{row.pk}", channel="sms").count() == 1
    with acting_as(None, reason="test"):
        fx.item(fx.finding(fx.team_inspection(p)), p.members["m_b1"], deadline=dt.date(2026, 6, 10))
    run(dt.date(2026, 6, 3), "rectification_deadlines")
    run(dt.date(2026, 6, 4), "rectification_deadlines")
    assert OutboxMessage.objects.filter(key__startswith="reminder:rectification_deadlines:").count() == 1
    assert outbox.deliver_due(now=timezone.now() + dt.timedelta(seconds=1)).sent == 2
