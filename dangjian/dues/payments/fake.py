"""The test gateway: JSON messages signed with HMAC-SHA256 over ``timestamp\\nbody``.

With an address (``api_base``) it talks over HTTP to a gateway server (the fake server of the
tests, :mod:`dangjian.dues.payments.testing`); without one it runs inside this server for the
demo: its payment page is ``dues:fake_gateway`` and its state is kept in the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.dues.payments.base import (
    Created,
    Gateway,
    GatewayError,
    InvalidNotification,
    Notice,
    RefundResult,
    secret,
)

MAX_SKEW = 300  # seconds a signed message stays acceptable


def fake_key(config: Any) -> bytes:
    configured = secret(config, "key")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), f"fake-gateway:{config.code}".encode(), hashlib.sha256).digest()


def sign(key: bytes, timestamp: str, body: bytes) -> str:
    return hmac.new(key, timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def signed_headers(key: bytes, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Fake-Timestamp": ts, "X-Fake-Signature": sign(key, ts, body), "Content-Type": "application/json"}


def verify(key: bytes, headers: Mapping[str, str], body: bytes) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    ts, signature = lower.get("x-fake-timestamp", ""), lower.get("x-fake-signature", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > MAX_SKEW:
        raise InvalidNotification("stale or missing timestamp")
    if not hmac.compare_digest(sign(key, ts, body), signature):
        raise InvalidNotification("bad signature")


def notice_from(data: dict[str, Any]) -> Notice:
    try:
        amount = Decimal(str(data["amount"])) if data.get("amount") is not None else None
        paid_at = dt.datetime.fromisoformat(data["paid_at"]) if data.get("paid_at") else None
        return Notice(out_trade_no=str(data["out_trade_no"]), paid=data.get("state") == "SUCCESS", amount=amount,
                      gateway_order_id=str(data.get("transaction_id", "")), paid_at=paid_at,
                      state=str(data.get("state", "")))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise InvalidNotification("malformed") from exc


def _state_key(config: Any, out_trade_no: str) -> str:
    return f"fakepay:{config.code}:{out_trade_no}"


class FakeGateway(Gateway):
    @property
    def in_process(self) -> bool:
        return not self.config.api_base

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        key = fake_key(self.config)
        body = json.dumps(payload).encode() if payload is not None else b""
        status, headers, answer = self.http(method, path, body if payload is not None else None,
                                            signed_headers(key, body))
        if status >= 400:
            raise GatewayError(gettext("The payment gateway refused the request (%(status)s).") % {"status": status})
        try:
            verify(key, headers, answer)
        except InvalidNotification as exc:
            raise GatewayError(gettext("The payment gateway's answer does not verify.")) from exc
        return dict(json.loads(answer))

    def create(self, order: Any, *, notify_url: str, return_url: str) -> Created:
        if self.in_process:
            cache.set(_state_key(self.config, order.out_trade_no), {
                "out_trade_no": order.out_trade_no, "transaction_id": f"FAKE{order.out_trade_no}",
                "amount": str(order.amount), "state": "NOTPAY", "return_url": return_url}, 7 * 24 * 3600)
            return Created(f"FAKE{order.out_trade_no}", reverse("dues:fake_gateway", args=[order.out_trade_no]))
        data = self._call("POST", "/orders", {"out_trade_no": order.out_trade_no, "amount": str(order.amount),
                                              "notify_url": notify_url, "return_url": return_url,
                                              "description": gettext("Party dues")})
        return Created(str(data["transaction_id"]), str(data["pay_url"]))

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notice:
        verify(fake_key(self.config), headers, body)
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise InvalidNotification("not JSON") from exc
        return notice_from(data)

    def query(self, order: Any) -> Notice:
        if self.in_process:
            data = cache.get(_state_key(self.config, order.out_trade_no))
            if data is None:
                return Notice(out_trade_no=order.out_trade_no, paid=False, state="NOTFOUND")
            return notice_from(data)
        return notice_from(self._call("GET", f"/orders/{order.out_trade_no}"))

    def refund(self, refund: Any) -> RefundResult:
        order = refund.order
        if self.in_process:
            key = _state_key(self.config, order.out_trade_no)
            data = cache.get(key) or {}
            cache.set(key, {**data, "state": "REFUND"}, 7 * 24 * 3600)
            return RefundResult(f"FAKER{refund.pk}", True)
        data = self._call("POST", "/refunds", {"out_trade_no": order.out_trade_no, "out_refund_no": f"R{refund.pk}",
                                               "amount": str(refund.amount)})
        return RefundResult(str(data["refund_id"]), data.get("state") == "SUCCESS")

    # --- the in-process gateway's side (the demo's payment page) ------------------------------

    def pending(self, out_trade_no: str) -> dict[str, Any] | None:
        data: dict[str, Any] | None = cache.get(_state_key(self.config, out_trade_no))
        return data

    def pay_in_process(self, out_trade_no: str) -> tuple[dict[str, str], bytes]:
        """The member confirmed on the test gateway's page: mark the order paid there and return
        the signed notification the gateway sends."""
        key = _state_key(self.config, out_trade_no)
        data = cache.get(key)
        if data is None:
            raise GatewayError(gettext("The payment gateway does not know this order."))
        data = {**data, "state": "SUCCESS", "paid_at": timezone.now().isoformat()}
        cache.set(key, data, 7 * 24 * 3600)
        notice = {k: data[k] for k in ("out_trade_no", "transaction_id", "amount", "state", "paid_at")}
        body = json.dumps(notice).encode()
        return signed_headers(fake_key(self.config), body), body
