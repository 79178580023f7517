"""企业微信 (WeChat Work) OAuth login against a local fake authorization server over real HTTP:
the identity maps to an account by the configured field; an unknown identity, a forged or
replayed callback and a refused code are turned away with a sentence, audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.test import Client

from dangjian.accounts.models import WorkWeChatLogin
from dangjian.core.models import AuditEntry
from dangjian.core.testing.fakeserver import FakeServer
from dangjian.core.testing.personas import Personas

pytestmark = pytest.mark.django_db
SECRET = "app-secret-1"


class FakeWorkWeChat(FakeServer):
    """WeChat Work's API: an access token for the right secret, a userid for each issued code."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, str] = {}

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        url = urlparse(path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/cgi-bin/gettoken":
            ok = q.get("corpid") == "ww-corp" and q.get("corpsecret") == SECRET
            data: dict[str, Any] = ({"errcode": 0, "errmsg": "ok", "access_token": "AT1", "expires_in": 7200} if ok
                                    else {"errcode": 40001, "errmsg": "invalid credential"})
        elif url.path == "/cgi-bin/auth/getuserinfo":
            userid = self.codes.pop(q.get("code", ""), None) if q.get("access_token") == "AT1" else None
            data = ({"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": "t"} if userid
                    else {"errcode": 40029, "errmsg": "invalid code"})
        else:
            return 404, {}, b""
        return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()


@pytest.fixture
def wecom(personas: Personas, monkeypatch: Any) -> Iterator[tuple[WorkWeChatLogin, FakeWorkWeChat]]:
    cache.clear()
    monkeypatch.setenv("DANGJIAN_LOGIN_WECOM_SECRET", SECRET)
    server = FakeWorkWeChat()
    config = WorkWeChatLogin(name="市局企业微信", is_active=True, corp_id="ww-corp", agent_id="1000002",
                             secret_ref="wecom", match_field="police_number",
                             authorize_url=f"{server.url}/connect/oauth2/authorize", api_base=server.url)
    config.save()
    with server.running():
        yield config, server


def _sign_in(client: Client, server: FakeWorkWeChat, userid: str, next_: str = "") -> Any:
    """The login page's button, WeChat Work's authorization page, the callback."""
    to_wecom = client.get("/accounts/login/wecom/" + (f"?next={next_}" if next_ else ""))
    assert to_wecom.status_code == 302
    url = urlparse(to_wecom["Location"])
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.fragment == "wechat_redirect" and q["appid"] == "ww-corp" and q["agentid"] == "1000002"
    assert q["redirect_uri"] == "http://testserver/accounts/login/wecom/callback/" and q["scope"] == "snsapi_base"
    code = f"code-{len(server.codes)}-{userid}"
    server.codes[code] = userid
    return client.get(urlparse(q["redirect_uri"]).path, {"code": code, "state": q["state"]})


def test_a_work_identity_logs_in_by_the_members_police_number(personas: Personas, wecom: Any) -> None:
    _config, server = wecom
    client = Client()
    assert 'id="wecom-login"' in client.get("/accounts/login/").content.decode()
    police_number = personas.members["m_b1"].police_number
    answer = _sign_in(client, server, police_number)
    assert answer.status_code == 302 and answer["Location"] == "/m/"  # the member lands on the portal
    assert client.get("/m/").status_code == 200
    login = AuditEntry.objects.filter(event="login", reason="wecom").get()
    assert login.actor_id == personas.user("member_b1").pk


def test_the_user_name_can_be_the_configured_field(personas: Personas, wecom: Any) -> None:
    config, server = wecom
    config.match_field = "username"
    config.save()
    assert _sign_in(Client(), server, "officer_b1").status_code == 302
    refused = _sign_in(Client(), server, personas.members["m_b1"].police_number)  # not a user name
    assert refused.status_code == 403


def test_an_unknown_identity_is_refused_with_a_sentence_and_audited(personas: Personas, wecom: Any) -> None:
    _config, server = wecom
    client = Client()
    answer = _sign_in(client, server, "T999999")
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "T999999" in page and "未关联" in page
    assert client.get("/m/").status_code == 302  # not logged in
    assert AuditEntry.objects.filter(event="wecom_refused", success=False, reason__contains="T999999").count() == 1


def test_forged_replayed_and_refused_callbacks_log_no_one_in(personas: Personas, wecom: Any, monkeypatch: Any) -> None:
    _config, server = wecom
    police_number = personas.members["m_b1"].police_number
    server.codes["stolen"] = police_number
    # a callback this browser never started (no state in its session)
    forged = Client().get("/accounts/login/wecom/callback/", {"code": "stolen", "state": "guess"})
    assert forged.status_code == 400 and "stolen" in server.codes  # the code was not even used
    client = Client()
    answer = _sign_in(client, server, police_number)
    assert answer.status_code == 302
    state_again = Client().get("/accounts/login/wecom/callback/", {"code": "x", "state": "whatever"})
    assert state_again.status_code == 400
    # a code WeChat Work does not know
    other = Client()
    start = urlparse(other.get("/accounts/login/wecom/")["Location"])
    state = parse_qs(start.query)["state"][0]
    refused = other.get("/accounts/login/wecom/callback/", {"code": "unknown", "state": state})
    assert refused.status_code == 403 and "无效" in refused.content.decode()
    # the application's secret wrong: refused, the staff told to fix the configuration
    cache.clear()
    monkeypatch.setenv("DANGJIAN_LOGIN_WECOM_SECRET", "wrong")
    assert _sign_in(Client(), server, police_number).status_code == 403
    assert AuditEntry.objects.filter(event="login", reason="wecom").count() == 1
    assert AuditEntry.objects.filter(event="wecom_refused").count() == 4


def test_without_an_active_configuration_there_is_no_wecom_login(personas: Personas) -> None:
    assert 'id="wecom-login"' not in Client().get("/accounts/login/").content.decode()
    assert Client().get("/accounts/login/wecom/").status_code == 404
    assert Client().get("/accounts/login/wecom/callback/", {"code": "c", "state": "s"}).status_code == 404


def test_only_the_security_admin_configures_it(personas: Personas, client_for: Any) -> None:
    assert client_for("secadmin").get("/accounts/wecom/").status_code == 200
    assert client_for("sysadmin").get("/accounts/wecom/").status_code in (403, 404)
    assert client_for("member_b1").get("/accounts/wecom/add/").status_code in (403, 404)
