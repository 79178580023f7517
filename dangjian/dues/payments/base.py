"""The payment-gateway interface and the values adapters exchange with the services."""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext


class GatewayError(Exception):
    """The gateway could not be reached or refused a request (shown to the user as a sentence)."""


class InvalidNotification(Exception):
    """A notification whose signature, timestamp or content does not verify: ignored."""


@dataclass(frozen=True)
class Created:
    gateway_order_id: str
    pay_url: str


@dataclass(frozen=True)
class Notice:
    """What the gateway says about one order (a verified notification or a query answer)."""

    out_trade_no: str
    paid: bool
    amount: Decimal | None = None
    gateway_order_id: str = ""
    paid_at: dt.datetime | None = None
    state: str = ""


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    done: bool


@dataclass(frozen=True)
class Ack:
    """The HTTP answer the gateway expects to a notification."""

    status: int
    body: bytes
    content_type: str = "application/json"


def secret(gateway: Any, name: str) -> str:
    """The gateway's secret ``name`` ("key", "private_key"): the deployment's settings
    ``DANGJIAN["PAYMENT_SECRETS"][ref][name]`` or the environment ``DANGJIAN_PAYMENT_<REF>_<NAME>``."""
    ref = gateway.secret_ref
    if not ref:
        return ""
    every: Any = settings.DANGJIAN.get("PAYMENT_SECRETS") or {}
    configured: Any = every.get(ref) or {}
    if configured.get(name):
        return str(configured[name])
    return os.environ.get(f"DANGJIAN_PAYMENT_{ref.upper().replace('-', '_')}_{name.upper()}", "")


class Gateway:
    """One adapter per gateway kind, bound to its configuration row."""

    def __init__(self, config: Any) -> None:
        self.config = config

    def create(self, order: Any, *, notify_url: str, return_url: str) -> Created:
        raise NotImplementedError

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notice:
        """Verify and read one notification (raise :class:`InvalidNotification`)."""
        raise NotImplementedError

    def query(self, order: Any) -> Notice:
        raise NotImplementedError

    def refund(self, refund: Any) -> RefundResult:
        raise NotImplementedError

    def ack(self, ok: bool, message: str = "") -> Ack:
        return Ack(200 if ok else 400, json.dumps({"code": "SUCCESS" if ok else "FAIL", "message": message}).encode())

    # --- HTTP, for adapters that talk to a server --------------------------------------------

    timeout = 10

    def http(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        url = self.config.api_base.rstrip("/") + path
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 (operator's URL)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers.items()), exc.read()
        except OSError as exc:
            raise GatewayError(gettext("The payment gateway cannot be reached now; try again later.")) from exc


def adapter(config: Any) -> Gateway:
    from dangjian.dues.payments import fake, wechat

    kinds: dict[str, type[Gateway]] = {"fake": fake.FakeGateway, "wechat_v3": wechat.WeChatPayV3}
    return kinds[config.kind](config)
