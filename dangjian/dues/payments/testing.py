"""Local fake gateway servers for the tests: real HTTP on a local socket, each the gateway's side
of one adapter (the test gateway's HMAC JSON, WeChat Pay API v3's RSA signatures and
AEAD_AES_256_GCM notifications). They keep their orders in memory and build the signed
notifications the real gateway would send.

The servers are :class:`dangjian.core.testing.fakeserver.FakeServer` (a local port).
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dangjian.core.testing.fakeserver import FakeServer
from dangjian.dues.payments import fake, wechat


class FakeGatewayServer(FakeServer):
    """The test gateway's server (``kind="fake"`` with ``api_base`` set): every request and answer
    signed with the shared HMAC key."""

    def __init__(self, key: bytes) -> None:
        super().__init__()
        self.key = key

    def _answer(self, status: int, data: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps(data).encode()
        return status, fake.signed_headers(self.key, body), body

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        try:
            fake.verify(self.key, headers, body)
        except fake.InvalidNotification:
            return self._answer(401, {"code": "SIGN_ERROR"})
        if method == "POST" and path == "/orders":
            data = json.loads(body)
            no = data["out_trade_no"]
            self.orders[no] = {"out_trade_no": no, "transaction_id": f"FG{no}", "amount": data["amount"],
                               "state": "NOTPAY", "notify_url": data["notify_url"]}
            return self._answer(200, {"transaction_id": f"FG{no}", "pay_url": f"{self.url}/pay/{no}"})
        if method == "GET" and path.startswith("/orders/"):
            order = self.orders.get(path.rsplit("/", 1)[1])
            if order is None:
                return self._answer(404, {"code": "ORDER_NOT_EXIST"})
            return self._answer(200, {k: v for k, v in order.items() if k != "notify_url"})
        if method == "POST" and path == "/refunds":
            data = json.loads(body)
            order = self.orders[data["out_trade_no"]]
            order["state"] = "REFUND"
            return self._answer(200, {"refund_id": f"FGR{data['out_refund_no']}", "state": "SUCCESS"})
        return self._answer(404, {"code": "NOT_FOUND"})

    def pay(self, out_trade_no: str) -> tuple[dict[str, str], bytes]:
        """The payer confirmed: the order is paid here; the signed notification to send."""
        order = self.orders[out_trade_no]
        order.update(state="SUCCESS", paid_at="2026-01-01T10:00:00+08:00")
        body = json.dumps({k: v for k, v in order.items() if k != "notify_url"}).encode()
        return fake.signed_headers(self.key, body), body


def new_rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: Any) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def private_pem(key: Any) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class FakeWeChatPayServer(FakeServer):
    """WeChat Pay API v3's side: checks each request's ``WECHATPAY2-SHA256-RSA2048`` signature
    with the merchant's public key, signs each answer with the platform key, and builds the
    platform's encrypted, signed notifications."""

    def __init__(self, *, merchant_id: str, merchant_public: Any, platform_key: Any, api_v3_key: bytes) -> None:
        super().__init__()
        self.merchant_id = merchant_id
        self.merchant_public = merchant_public
        self.platform_key = platform_key
        self.api_v3_key = api_v3_key
        self.refunds: list[dict[str, Any]] = []

    def signed(self, body: bytes, *, key: Any = None, timestamp: int | None = None) -> dict[str, str]:
        ts, nonce = str(int(time.time()) if timestamp is None else timestamp), secrets.token_hex(16)
        signature = wechat.rsa_sign(key or self.platform_key, wechat.signed_message(ts, nonce, body))
        return {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce, "Wechatpay-Signature": signature,
                "Wechatpay-Serial": "PLATFORM1", "Content-Type": "application/json"}

    def _answer(self, status: int, data: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps(data).encode()
        return status, self.signed(body), body

    def _authorized(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bool:
        lower = {k.lower(): v for k, v in headers.items()}
        value = lower.get("authorization", "")
        if not value.startswith(wechat.SCHEMA + " "):
            return False
        fields = dict(part.split("=", 1) for part in value[len(wechat.SCHEMA) + 1:].split(","))
        fields = {k.strip(): v.strip().strip('"') for k, v in fields.items()}
        if fields.get("mchid") != self.merchant_id:
            return False
        message = f"{method}\n{path}\n{fields.get('timestamp')}\n{fields.get('nonce_str')}\n".encode() + body + b"\n"
        return wechat.rsa_verify(self.merchant_public, message, fields.get("signature", ""))

    def transaction(self, no: str) -> dict[str, Any]:
        order = self.orders[no]
        data = {"mchid": self.merchant_id, "appid": order["appid"], "out_trade_no": no,
                "transaction_id": f"4200{no}", "trade_state": order["trade_state"],
                "amount": {"total": order["total"], "payer_total": order["total"], "currency": "CNY"}}
        if order["trade_state"] == "SUCCESS":
            data["success_time"] = "2026-01-01T10:00:00+08:00"
        return data

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if not self._authorized(method, path, headers, body):
            return self._answer(401, {"code": "SIGN_ERROR", "message": "signature mismatch"})
        url = urlparse(path)
        if method == "POST" and url.path == "/v3/pay/transactions/h5":
            data = json.loads(body)
            no = data["out_trade_no"]
            self.orders[no] = {"appid": data["appid"], "total": data["amount"]["total"], "trade_state": "NOTPAY",
                               "notify_url": data["notify_url"]}
            return self._answer(200, {"h5_url": f"https://wx.tenpay.example/h5pay?prepay_id=wx{no}"})
        if method == "GET" and url.path.startswith("/v3/pay/transactions/out-trade-no/"):
            no = url.path.rsplit("/", 1)[1]
            if no not in self.orders or parse_qs(url.query).get("mchid") != [self.merchant_id]:
                return self._answer(404, {"code": "ORDER_NOT_EXIST", "message": "order does not exist"})
            return self._answer(200, self.transaction(no))
        if method == "POST" and url.path == "/v3/refund/domestic/refunds":
            data = json.loads(body)
            self.refunds.append(data)
            self.orders[data["out_trade_no"]]["trade_state"] = "REFUND"
            return self._answer(200, {"refund_id": f"5030{data['out_refund_no']}", "status": "SUCCESS",
                                      "out_refund_no": data["out_refund_no"]})
        return self._answer(404, {"code": "NOT_FOUND"})

    def pay(self, no: str, *, total: int | None = None) -> tuple[dict[str, str], bytes]:
        """The payer paid: the platform's notification (encrypted resource, signed envelope)."""
        self.orders[no]["trade_state"] = "SUCCESS"
        plain = self.transaction(no)
        if total is not None:
            plain["amount"] = {"total": total, "payer_total": total, "currency": "CNY"}
        envelope = {"id": secrets.token_hex(8), "create_time": "2026-01-01T10:00:01+08:00",
                    "event_type": "TRANSACTION.SUCCESS", "resource_type": "encrypt-resource",
                    "resource": wechat.encrypt_resource(self.api_v3_key, plain), "summary": "paid"}
        body = json.dumps(envelope).encode()
        return self.signed(body), body


def api_v3_key() -> bytes:
    return base64.b32encode(secrets.token_bytes(20)).decode()[:32].encode()


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))
