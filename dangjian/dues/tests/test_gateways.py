"""The gateway adapters over real HTTP against local fake gateway servers: the test gateway
(HMAC JSON) and WeChat Pay API v3 (RSA-SHA256 request and answer signatures, an
AEAD_AES_256_GCM-encrypted notification): create an order, the signed notification, a query
when the notification is lost, a refund, and what is refused (bad signatures, another
merchant's key, a replayed old message)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core import approvals
from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas
from dangjian.dues.models import DuesBill, DuesPayment, OrderStatus, PaymentGateway, PaymentOrder
from dangjian.dues.payments import fake, services, testing, wechat
from dangjian.dues.payments.base import GatewayError, InvalidNotification, adapter
from dangjian.dues.tests.conftest import assess, bill_months
from dangjian.dues.tests.test_online import SITE, month, post

pytestmark = pytest.mark.django_db

#: generated once per run (2048-bit RSA takes a moment): the merchant's and the platform's keys
_KEYS: dict[str, Any] = {}


def rsa_key(name: str) -> Any:
    if name not in _KEYS:
        _KEYS[name] = testing.new_rsa_key()
    return _KEYS[name]


@pytest.fixture
def billed(personas: Personas) -> dict[str, Any]:
    officer = personas.user("officer_b1")
    member = personas.members["m_b1"]
    assess(officer, member, month().year, "4000.00")
    bill_months(officer, personas.b1, month().year, range(month().month, month().month + 1))
    return {"user": personas.user("member_b1"), "member": member, "poster": personas.user("c1_staff"),
            "bill": DuesBill.objects.get(member=member, month=month()), "personas": personas}


def _order(billed: dict[str, Any], gateway: PaymentGateway, key: str = "k1") -> PaymentOrder:
    return services.create_order(actor=billed["user"], bills=[billed["bill"]], idempotency_key=key, site=SITE,
                                 gateway=gateway)


def _refund(billed: dict[str, Any], order: PaymentOrder) -> Any:
    p = billed["personas"]
    with acting_as(p.user("officer_b1")):
        refund = services.request_refund(actor=p.user("officer_b1"), order=order, reason="误缴")
    with acting_as(p.user("c1_staff")):
        return approvals.decide(actor=p.user("c1_staff"), row=refund, approve=True, reference="刑侦支队党委批复")


# --- the test gateway over HTTP ------------------------------------------------------------------


@pytest.fixture
def fake_server(billed: dict[str, Any]) -> Iterator[tuple[PaymentGateway, testing.FakeGatewayServer]]:
    gateway = PaymentGateway(code="fakehttp", name="测试支付", kind="fake", is_active=True,
                             posting_account=billed["poster"])
    server = testing.FakeGatewayServer(fake.fake_key(gateway))
    gateway.api_base = server.url
    gateway.save()
    with server.running():
        yield gateway, server


def test_the_test_gateway_over_http_pays_queries_and_refunds(billed: dict[str, Any], fake_server: Any,
                                                             client: Any) -> None:
    gateway, server = fake_server
    order = _order(billed, gateway)
    assert server.orders[order.out_trade_no]["amount"] == "40.00"  # the bill's amount went to the gateway
    assert server.orders[order.out_trade_no]["notify_url"] == SITE + "/dues/pay/notify/"
    assert order.pay_url == f"{server.url}/pay/{order.out_trade_no}"
    # a query before paying changes nothing
    assert services.refresh_order(actor=billed["user"], order=order).reason == "not paid"
    headers, body = server.pay(order.out_trade_no)
    assert post(client, gateway, headers, body).status_code == 200
    assert post(client, gateway, headers, body).status_code == 200  # resent: still one payment
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.gateway_order_id == f"FG{order.out_trade_no}"
    assert DuesPayment.objects.get(member=billed["member"]).amount == Decimal("40.00")
    _refund(billed, order)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and server.orders[order.out_trade_no]["state"] == "REFUND"
    assert order.refunds.get().gateway_refund_id == f"FGRR{order.refunds.get().pk}"
    assert not DuesPayment.objects.filter(member=billed["member"]).exists()  # voided: the month owed again


def test_a_lost_notification_is_made_good_by_the_query(billed: dict[str, Any], fake_server: Any) -> None:
    gateway, server = fake_server
    order = _order(billed, gateway)
    server.pay(order.out_trade_no)  # paid at the gateway; its notification never arrives
    assert services.refresh_order(actor=billed["user"], order=order).recorded
    assert services.refresh_order(actor=billed["user"], order=order).reason == "duplicate"  # asked again
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert DuesPayment.objects.filter(member=billed["member"]).count() == 1


def test_the_test_gateways_answers_must_verify(billed: dict[str, Any], fake_server: Any) -> None:
    gateway, server = fake_server
    server.key = b"not the shared key"  # the server signs (and checks) with another key
    with pytest.raises(services.RuleError):
        _order(billed, gateway)
    assert PaymentOrder.objects.count() == 0  # the refused creation left no order behind


# --- WeChat Pay API v3 ---------------------------------------------------------------------------


@pytest.fixture
def wx(billed: dict[str, Any], monkeypatch: Any) -> Iterator[tuple[PaymentGateway, testing.FakeWeChatPayServer]]:
    merchant, platform, api_key = rsa_key("merchant"), rsa_key("platform"), testing.api_v3_key()
    monkeypatch.setenv("DANGJIAN_PAYMENT_WXTEST_KEY", api_key.decode())
    monkeypatch.setenv("DANGJIAN_PAYMENT_WXTEST_PRIVATE_KEY", testing.private_pem(merchant))
    server = testing.FakeWeChatPayServer(merchant_id="1900000109", merchant_public=merchant.public_key(),
                                         platform_key=platform, api_v3_key=api_key)
    gateway = PaymentGateway(code="wx", name="微信支付", kind="wechat_v3", is_active=True, api_base=server.url,
                             merchant_id="1900000109", app_id="wxd678efh567hg6787", merchant_serial="5157F09EFDC0",
                             platform_public_key=testing.public_pem(platform), secret_ref="wxtest",
                             posting_account=billed["poster"])
    gateway.save()
    with server.running():
        yield gateway, server


def test_wechat_pay_creates_notifies_queries_and_refunds(billed: dict[str, Any], wx: Any, client: Any) -> None:
    gateway, server = wx
    order = _order(billed, gateway)
    placed = server.orders[order.out_trade_no]
    assert placed["total"] == 4000 and placed["appid"] == "wxd678efh567hg6787"  # fen, from the bill
    assert placed["notify_url"] == SITE + "/dues/pay/notify/"
    assert order.pay_url.startswith("https://wx.tenpay.example/h5pay?prepay_id=")
    assert adapter(gateway).query(order).state == "NOTPAY"
    headers, body = server.pay(order.out_trade_no)
    assert b"4000" not in body  # the transaction travels encrypted
    response = post(client, gateway, headers, body)
    assert response.status_code == 204  # WeChat's "handled"
    assert post(client, gateway, headers, body).status_code == 204
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.gateway_order_id == f"4200{order.out_trade_no}"
    payment = DuesPayment.objects.get(member=billed["member"])
    assert payment.amount == Decimal("40.00") and payment.method == "wechat"
    queried = adapter(gateway).query(order)
    assert queried.paid and queried.amount == Decimal("40.00")
    _refund(billed, order)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not DuesPayment.objects.filter(member=billed["member"]).exists()
    sent = server.refunds[0]
    assert sent["amount"] == {"refund": 4000, "total": 4000, "currency": "CNY"}
    assert order.refunds.get().gateway_refund_id == "5030" + sent["out_refund_no"]


def test_wechat_pay_refuses_what_does_not_verify(billed: dict[str, Any], wx: Any, client: Any) -> None:
    gateway, server = wx
    order = _order(billed, gateway)
    headers, body = server.pay(order.out_trade_no)
    envelope = json.loads(body)
    forged = dict(headers, **server.signed(body, key=rsa_key("merchant")))  # signed by a key not the platform's
    stale = server.signed(body, timestamp=1_000_000_000)  # a replay of an old message
    tampered = json.dumps({**envelope, "summary": "x"}).encode()  # the signed body changed
    api_key = testing.api_v3_key()  # encrypted with another APIv3 key, correctly signed
    other = json.dumps({**envelope, "resource": wechat.encrypt_resource(api_key, server.transaction(
        order.out_trade_no))}).encode()
    for h, b in ((forged, body), (stale, body), (headers, tampered), (server.signed(other), other), ({}, body)):
        assert post(client, gateway, h, b).status_code == 400
    assert DuesPayment.objects.count() == 0
    assert AuditEntry.objects.filter(event="payment_notice", success=False).count() == 5
    # another amount than the order's (correctly signed): held for staff, no money recorded
    headers, body = server.pay(order.out_trade_no, total=1)
    assert post(client, gateway, headers, body).status_code == 204
    order.refresh_from_db()
    assert order.status == OrderStatus.EXCEPTION and DuesPayment.objects.count() == 0


def test_wechat_pay_requests_are_signed_with_the_merchant_key(billed: dict[str, Any], wx: Any,
                                                              monkeypatch: Any) -> None:
    gateway, server = wx
    monkeypatch.setenv("DANGJIAN_PAYMENT_WXTEST_PRIVATE_KEY", testing.private_pem(rsa_key("platform")))
    with pytest.raises(services.RuleError) as refused:
        _order(billed, gateway)
    assert "401" in str(refused.value)  # the gateway refused the wrongly signed request
    assert PaymentOrder.objects.count() == 0
    # an answer that the platform key does not verify is not believed
    monkeypatch.setenv("DANGJIAN_PAYMENT_WXTEST_PRIVATE_KEY", testing.private_pem(rsa_key("merchant")))
    order = _order(billed, gateway)
    server.platform_key = rsa_key("merchant")
    with pytest.raises(GatewayError):
        adapter(gateway).query(order)


def test_the_resource_cipher_round_trips_and_refuses_tampering() -> None:
    key = testing.api_v3_key()
    resource = wechat.encrypt_resource(key, {"out_trade_no": "X1"})
    assert wechat.decrypt_resource(key, resource) == {"out_trade_no": "X1"}
    flipped = bytearray(base64.b64decode(resource["ciphertext"]))
    flipped[0] ^= 1
    with pytest.raises(InvalidNotification):
        wechat.decrypt_resource(key, {**resource, "ciphertext": base64.b64encode(bytes(flipped)).decode()})
    with pytest.raises(InvalidNotification):
        wechat.decrypt_resource(key, {**resource, "associated_data": "refund"})
