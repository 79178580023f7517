"""WeChat Pay API v3 (微信支付 APIv3), from its public documentation.

- Requests carry ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",
  timestamp="…",serial_no="…",signature="…"``; the signature is RSA-SHA256 (PKCS#1 v1.5) with
  the merchant's private key over ``METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n``.
- Answers and notifications are signed by the platform: ``Wechatpay-Timestamp``,
  ``Wechatpay-Nonce``, ``Wechatpay-Signature`` (base64 RSA-SHA256 over
  ``TIMESTAMP\\nNONCE\\nBODY\\n``) and ``Wechatpay-Serial``, verified with the platform public key.
- A notification's ``resource`` is AEAD_AES_256_GCM-encrypted with the APIv3 key (32 bytes),
  its ``nonce`` and ``associated_data``; the plaintext is the transaction.
- Amounts are integer fen (``amount.total``); order creation here is the H5 flow
  (``/v3/pay/transactions/h5``, answer ``h5_url``), query ``/v3/pay/transactions/out-trade-no/
  {no}?mchid=…``, refund ``/v3/refund/domestic/refunds``.

Secrets (``secret_ref``): ``key`` is the APIv3 key, ``private_key`` the merchant's PEM key.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext

from dangjian.dues.payments.base import (
    Ack,
    Created,
    Gateway,
    GatewayError,
    InvalidNotification,
    Notice,
    RefundResult,
    secret,
)

MAX_SKEW = 300  # seconds; older signed messages are refused (replay)
SCHEMA = "WECHATPAY2-SHA256-RSA2048"


def rsa_sign(private_key: Any, message: bytes) -> str:
    return base64.b64encode(private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa_verify(public_key: Any, message: bytes, signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def signed_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    return timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"


def decrypt_resource(api_v3_key: bytes, resource: Mapping[str, Any]) -> dict[str, Any]:
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise InvalidNotification("unknown algorithm")
    try:
        plain = AESGCM(api_v3_key).decrypt(str(resource["nonce"]).encode(), base64.b64decode(resource["ciphertext"]),
                                           str(resource.get("associated_data", "")).encode())
    except (InvalidTag, KeyError, ValueError) as exc:
        raise InvalidNotification("resource does not decrypt") from exc
    return dict(json.loads(plain))


def encrypt_resource(api_v3_key: bytes, plain: dict[str, Any], associated_data: str = "transaction") -> dict[str, str]:
    """The gateway's side (the fake server of the tests)."""
    nonce = secrets.token_hex(6)
    ciphertext = AESGCM(api_v3_key).encrypt(nonce.encode(), json.dumps(plain).encode(), associated_data.encode())
    return {"algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(ciphertext).decode(),
            "associated_data": associated_data, "original_type": "transaction", "nonce": nonce}


def _notice(data: Mapping[str, Any]) -> Notice:
    try:
        amount = data.get("amount") or {}
        total = amount.get("payer_total", amount.get("total"))
        paid_at = dt.datetime.fromisoformat(data["success_time"]) if data.get("success_time") else None
        return Notice(out_trade_no=str(data["out_trade_no"]), paid=data.get("trade_state") == "SUCCESS",
                      amount=(Decimal(int(total)) / 100).quantize(Decimal("0.01")) if total is not None else None,
                      gateway_order_id=str(data.get("transaction_id", "")), paid_at=paid_at,
                      state=str(data.get("trade_state", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidNotification("malformed transaction") from exc


class WeChatPayV3(Gateway):
    def _private_key(self) -> Any:
        pem = secret(self.config, "private_key")
        if not pem:
            raise GatewayError(gettext("The payment gateway's keys are not configured."))
        return serialization.load_pem_private_key(pem.encode(), password=None)

    def _platform_key(self) -> Any:
        try:
            key = serialization.load_pem_public_key(self.config.platform_public_key.encode())
        except ValueError as exc:
            raise InvalidNotification("no platform key") from exc
        if not isinstance(key, rsa.RSAPublicKey):
            raise InvalidNotification("not an RSA key")
        return key

    def _api_key(self) -> bytes:
        key = secret(self.config, "key").encode()
        if len(key) != 32:
            raise InvalidNotification("the APIv3 key must be 32 bytes")
        return key

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        ts, nonce = lower.get("wechatpay-timestamp", ""), lower.get("wechatpay-nonce", "")
        signature = lower.get("wechatpay-signature", "")
        if not ts.isdigit() or abs(time.time() - int(ts)) > MAX_SKEW:
            raise InvalidNotification("stale or missing timestamp")
        if not rsa_verify(self._platform_key(), signed_message(ts, nonce, body), signature):
            raise InvalidNotification("bad signature")

    def authorization(self, method: str, url_path: str, body: bytes) -> str:
        ts, nonce = str(int(time.time())), secrets.token_hex(16)
        message = f"{method}\n{url_path}\n{ts}\n{nonce}\n".encode() + body + b"\n"
        signature = rsa_sign(self._private_key(), message)
        return (f'{SCHEMA} mchid="{self.config.merchant_id}",nonce_str="{nonce}",timestamp="{ts}",'
                f'serial_no="{self.config.merchant_serial}",signature="{signature}"')

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps(payload).encode() if payload is not None else b""
        headers = {"Authorization": self.authorization(method, path, body), "Accept": "application/json",
                   "Content-Type": "application/json"}
        status, answer_headers, answer = self.http(method, path, body if payload is not None else None, headers)
        if status >= 400:
            raise GatewayError(gettext("The payment gateway refused the request (%(status)s).") % {"status": status})
        try:
            self.verify(answer_headers, answer)
        except InvalidNotification as exc:
            raise GatewayError(gettext("The payment gateway's answer does not verify.")) from exc
        return dict(json.loads(answer)) if answer else {}

    def create(self, order: Any, *, notify_url: str, return_url: str) -> Created:
        data = self._call("POST", "/v3/pay/transactions/h5", {
            "appid": self.config.app_id, "mchid": self.config.merchant_id, "description": gettext("Party dues"),
            "out_trade_no": order.out_trade_no, "notify_url": notify_url,
            "amount": {"total": order.amount_cents, "currency": "CNY"},
            "scene_info": {"payer_client_ip": "127.0.0.1", "h5_info": {"type": "Wap"}}})
        return Created("", str(data["h5_url"]))

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notice:
        self.verify(headers, body)
        try:
            envelope = json.loads(body)
            resource = envelope["resource"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidNotification("malformed notification") from exc
        data = decrypt_resource(self._api_key(), resource)
        if data.get("mchid") != self.config.merchant_id:
            raise InvalidNotification("another merchant's transaction")
        return _notice(data)

    def query(self, order: Any) -> Notice:
        data = self._call("GET", f"/v3/pay/transactions/out-trade-no/{order.out_trade_no}?mchid={self.config.merchant_id}")
        return _notice(data)

    def refund(self, refund: Any) -> RefundResult:
        order = refund.order
        data = self._call("POST", "/v3/refund/domestic/refunds", {
            "out_trade_no": order.out_trade_no, "out_refund_no": f"R{order.out_trade_no}{refund.pk}"[:64],
            "reason": refund.reason[:80],
            "amount": {"refund": int(refund.amount * 100), "total": order.amount_cents, "currency": "CNY"}})
        return RefundResult(str(data.get("refund_id", "")), data.get("status") == "SUCCESS")

    def ack(self, ok: bool, message: str = "") -> Ack:
        if ok:
            return Ack(204, b"")
        return Ack(400, json.dumps({"code": "FAIL", "message": message or "FAIL"}).encode())
