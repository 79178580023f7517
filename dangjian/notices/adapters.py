"""Message adapters: one per outside channel, each speaking the channel's documented HTTP API
with the standard library's HTTP client (no SDK; every call goes over a real socket).

- SMS: a configurable HTTP gateway — POST JSON ``{"account", "sign", "mobile", "content"}`` to
  ``base_url`` with the secret as a bearer token; success is a 2xx answer whose JSON ``code``
  is absent or 0.
- 企业微信 (WeCom): ``GET /cgi-bin/gettoken?corpid=&corpsecret=`` then
  ``POST /cgi-bin/message/send?access_token=`` with ``{"touser", "msgtype": "text", "agentid",
  "text": {"content"}}``; ``errcode`` 0 is success.
- 钉钉 (DingTalk): ``GET /gettoken?appkey=&appsecret=`` then
  ``POST /topapi/message/corpconversation/asyncsend_v2?access_token=`` with ``{"agent_id",
  "userid_list", "msg": {"msgtype": "text", "text": {"content"}}}``; ``errcode`` 0 is success.

An adapter raises :class:`DeliveryError` when the message did not go out; the outbox retries.
Access tokens are kept for their lifetime (less a margin) in the cache, and dropped when the
API answers that a token is invalid.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext

#: 企业微信 / 钉钉 answers meaning "the access token is invalid or expired"
TOKEN_ERRORS = {40014, 42001, 40001, 88, 40078}


class DeliveryError(Exception):
    """The channel did not take the message (the text is kept as the outbox row's last error)."""


def _call(method: str, url: str, *, body: Any = None, headers: dict[str, str] | None = None,
          timeout: float = 10) -> Any:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,  # noqa: S310  (http(s) URL from the channel settings)
                                     headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    if not url.startswith(("http://", "https://")):
        raise DeliveryError(gettext("The channel address must start with http:// or https://."))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  (checked above)
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(str(getattr(exc, "reason", exc))[:200]) from exc
    try:
        return json.loads(raw.decode() or "{}")
    except ValueError as exc:
        raise DeliveryError(gettext("The channel answered something that is not JSON.")) from exc


class Adapter:
    channel = ""

    def __init__(self, config: Any) -> None:
        self.config = config

    @property
    def timeout(self) -> float:
        return float(self.config.timeout_seconds or 10)

    def base(self) -> str:
        return str(self.config.base_url).rstrip("/")

    def send(self, *, address: str, text: str) -> str:
        """Send ``text`` to ``address``; return the channel's reference, or raise DeliveryError."""
        raise NotImplementedError


class SmsAdapter(Adapter):
    channel = "sms"

    def send(self, *, address: str, text: str) -> str:
        answer = _call("POST", str(self.config.base_url), timeout=self.timeout,
                       body={"account": self.config.app_key, "sign": self.config.agent_id, "mobile": address,
                             "content": text},
                       headers={"Authorization": f"Bearer {self.config.secret}"} if self.config.secret else None)
        if isinstance(answer, dict) and answer.get("code", 0) not in (0, "0"):
            raise DeliveryError(f"{answer.get('code')}: {answer.get('message', '')}"[:200])
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""


class _TokenAdapter(Adapter):
    token_path = ""
    send_path = ""

    def token_params(self) -> dict[str, str]:
        raise NotImplementedError

    def body(self, address: str, text: str) -> dict[str, Any]:
        raise NotImplementedError

    def _cache_key(self) -> str:
        return f"notices:token:{self.channel}:{self.config.app_key}"

    def token(self, *, fresh: bool = False) -> str:
        key = self._cache_key()
        if not fresh:
            cached = cache.get(key)
            if cached:
                return str(cached)
        query = urllib.parse.urlencode(self.token_params())
        answer = _call("GET", f"{self.base()}{self.token_path}?{query}", timeout=self.timeout)
        if not isinstance(answer, dict) or answer.get("errcode", 0) != 0 or not answer.get("access_token"):
            raise DeliveryError(f"gettoken {answer.get('errcode') if isinstance(answer, dict) else ''}: "
                                f"{answer.get('errmsg', '') if isinstance(answer, dict) else ''}"[:200])
        lifetime = int(answer.get("expires_in", 7200))
        cache.set(key, answer["access_token"], max(60, lifetime - 300))
        return str(answer["access_token"])

    def send(self, *, address: str, text: str) -> str:
        for attempt in (0, 1):
            token = self.token(fresh=attempt == 1)
            url = f"{self.base()}{self.send_path}?{urllib.parse.urlencode({'access_token': token})}"
            answer = _call("POST", url, body=self.body(address, text), timeout=self.timeout)
            code = answer.get("errcode", -1) if isinstance(answer, dict) else -1
            if code == 0:
                return str(answer.get("msgid") or answer.get("task_id") or "")
            if code in TOKEN_ERRORS and attempt == 0:
                cache.delete(self._cache_key())
                continue
            raise DeliveryError(f"{code}: {answer.get('errmsg', '') if isinstance(answer, dict) else ''}"[:200])
        raise DeliveryError("token")  # pragma: no cover  (the loop returns or raises)


class WeComAdapter(_TokenAdapter):
    channel = "wecom"
    token_path = "/cgi-bin/gettoken"  # noqa: S105  (a URL path, not a secret)
    send_path = "/cgi-bin/message/send"

    def token_params(self) -> dict[str, str]:
        return {"corpid": self.config.app_key, "corpsecret": self.config.secret}

    def body(self, address: str, text: str) -> dict[str, Any]:
        agent = int(self.config.agent_id) if str(self.config.agent_id).isdigit() else self.config.agent_id
        return {"touser": address, "msgtype": "text", "agentid": agent, "text": {"content": text}}


class DingTalkAdapter(_TokenAdapter):
    channel = "dingtalk"
    token_path = "/gettoken"  # noqa: S105  (a URL path, not a secret)
    send_path = "/topapi/message/corpconversation/asyncsend_v2"

    def token_params(self) -> dict[str, str]:
        return {"appkey": self.config.app_key, "appsecret": self.config.secret}

    def body(self, address: str, text: str) -> dict[str, Any]:
        agent = int(self.config.agent_id) if str(self.config.agent_id).isdigit() else self.config.agent_id
        return {"agent_id": agent, "userid_list": address, "msg": {"msgtype": "text", "text": {"content": text}}}


ADAPTERS: dict[str, type[Adapter]] = {"sms": SmsAdapter, "wecom": WeComAdapter, "dingtalk": DingTalkAdapter}
