"""Online payment: a paid order becomes one dues payment through the dues service, whatever the
gateway sends (duplicated, out of order, badly signed, with another amount); the member's flow
through the in-process test gateway to the receipt."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas
from dangjian.dues.models import DuesBill, DuesPayment, OrderStatus, PaymentGateway, PaymentOrder
from dangjian.dues.payments import fake, services
from dangjian.dues.tests.conftest import assess, bill_months

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


def month() -> dt.date:
    today = timezone.localdate()
    return today.replace(day=1)


@pytest.fixture
def setup(personas: Personas) -> dict[str, Any]:
    officer = personas.user("officer_b1")
    member = personas.members["m_b1"]
    assess(officer, member, month().year, "4000.00")
    bill_months(officer, personas.b1, month().year, range(month().month, month().month + 1))
    gateway = PaymentGateway(code="test", name="测试支付", kind="fake", is_active=True,
                             posting_account=personas.user("c1_staff"))
    gateway.save()
    return {"member": member, "user": personas.user("member_b1"), "gateway": gateway,
            "bill": DuesBill.objects.get(member=member, month=month())}


def new_order(setup: dict[str, Any], key: str = "k1") -> PaymentOrder:
    return services.create_order(actor=setup["user"], bills=[setup["bill"]], idempotency_key=key, site=SITE)


def notification(gateway: PaymentGateway, order: PaymentOrder, *, state: str = "SUCCESS",
                 amount: str | None = None) -> tuple[dict[str, str], bytes]:
    body = json.dumps({"out_trade_no": order.out_trade_no, "transaction_id": f"T{order.out_trade_no}",
                       "amount": amount or str(order.amount), "state": state,
                       "paid_at": timezone.now().isoformat()}).encode()
    return fake.signed_headers(fake.fake_key(gateway), body), body


def post(client: Any, gateway: PaymentGateway, headers: dict[str, str], body: bytes) -> Any:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return client.post("/dues/pay/notify/", body, content_type="application/json", **extra)


def test_the_amount_is_what_the_bill_owes_and_the_same_key_gives_the_same_order(setup: dict[str, Any]) -> None:
    order = new_order(setup)
    assert order.amount == setup["bill"].amount_due == Decimal("40.00")
    assert new_order(setup).pk == order.pk
    assert new_order(setup, "k2").pk == order.pk  # still payable for the same month: no second order
    assert order.pay_url == f"/dues/pay/test-gateway/{order.out_trade_no}/"


def test_duplicated_notifications_record_one_payment(setup: dict[str, Any], client: Any) -> None:
    order = new_order(setup)
    headers, body = notification(setup["gateway"], order)
    for _ in range(3):
        assert post(client, setup["gateway"], headers, body).status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.notices == 3
    payment = DuesPayment.objects.get(member=setup["member"])
    assert payment.amount == Decimal("40.00") and payment.receipt_number == order.out_trade_no
    assert order.payment_id == payment.pk
    assert payment.allocations.get().bill == setup["bill"]
    assert AuditEntry.objects.filter(event="payment_posted", object_id=str(order.pk)).count() == 1


def test_out_of_order_notifications_never_undo_and_never_double(setup: dict[str, Any], client: Any) -> None:
    order = new_order(setup)
    gw = setup["gateway"]
    assert post(client, gw, *notification(gw, order, state="NOTPAY")).status_code == 200
    assert DuesPayment.objects.count() == 0
    assert post(client, gw, *notification(gw, order)).status_code == 200
    assert post(client, gw, *notification(gw, order, state="CLOSED")).status_code == 200
    assert post(client, gw, *notification(gw, order)).status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert DuesPayment.objects.count() == 1


def test_a_bad_signature_records_nothing(setup: dict[str, Any], client: Any) -> None:
    order = new_order(setup)
    headers, body = notification(setup["gateway"], order)
    tampered = body.replace(b'"40.00"', b'"4.00"')
    assert post(client, setup["gateway"], headers, tampered).status_code == 400
    stale = fake.signed_headers(fake.fake_key(setup["gateway"]), body, timestamp=1_000_000_000)
    assert post(client, setup["gateway"], stale, body).status_code == 400
    other = fake.signed_headers(b"another key", body)
    assert post(client, setup["gateway"], other, body).status_code == 400
    assert post(client, setup["gateway"], {}, body).status_code == 400
    assert DuesPayment.objects.count() == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.CREATED
    assert AuditEntry.objects.filter(event="payment_notice", success=False).count() == 4


def test_another_amount_records_nothing_and_is_shown_for_staff(setup: dict[str, Any], client: Any) -> None:
    order = new_order(setup)
    assert post(client, setup["gateway"], *notification(setup["gateway"], order, amount="0.01")).status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.EXCEPTION and "0.01" in order.problem
    assert DuesPayment.objects.count() == 0
    assert post(client, setup["gateway"], *notification(setup["gateway"], order)).status_code == 200
    assert DuesPayment.objects.count() == 0  # an order in question waits for staff, never pays twice


def test_an_unknown_order_is_refused(setup: dict[str, Any], client: Any) -> None:
    order = PaymentOrder(out_trade_no="NOSUCH", amount=Decimal("1.00"))
    assert post(client, setup["gateway"], *notification(setup["gateway"], order)).status_code == 400
    assert client.post("/dues/pay/notify/", b"{}", content_type="application/json").status_code == 400


def test_member_pays_a_month_through_the_test_gateway_and_opens_the_receipt(setup: dict[str, Any],
                                                                             client_for: Any) -> None:
    client = client_for("member_b1")
    page = client.get("/dues/mine/").content.decode()
    assert "在线交纳" in page  # 交纳: the one term for paying dues (党章, the dues regulation)
    import re

    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(f"/dues/bills/{setup['bill'].pk}/pay/", {"token": token})
    assert response.status_code == 302
    order = PaymentOrder.objects.get()
    assert response["Location"] == order.pay_url
    gateway_page = client.get(order.pay_url)
    assert gateway_page.status_code == 200 and "40.00" in gateway_page.content.decode()
    back = client.post(order.pay_url)
    assert back["Location"] == f"/dues/orders/{order.out_trade_no}/return/"
    detail = client.get(back["Location"])
    assert detail["Location"] == f"/dues/orders/{order.pk}/"
    receipt = client.get(detail["Location"]).content.decode()
    assert 'id="receipt"' in receipt and order.out_trade_no in receipt
    assert DuesPayment.objects.filter(member=setup["member"]).count() == 1
    # the same form submitted again does not open a second order
    again = client.post(f"/dues/bills/{setup['bill'].pk}/pay/", {"token": token})
    assert again["Location"] == f"/dues/orders/{order.pk}/"
    assert PaymentOrder.objects.count() == 1
    # the paid month offers no payment any more
    assert "pay-online" not in client.get("/dues/mine/").content.decode()


def test_another_member_cannot_see_the_order_or_pay_the_bill(setup: dict[str, Any], client_for: Any) -> None:
    order = new_order(setup)
    other = client_for("officer_b2")
    assert other.get(f"/dues/orders/{order.pk}/").status_code == 404
    assert other.get(order.pay_url).status_code == 404
    assert other.post(f"/dues/bills/{setup['bill'].pk}/pay/", {"token": "x"}).status_code == 404
