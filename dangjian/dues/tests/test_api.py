"""Dues API: scoping of assessments, bills, cases and payments; a payment recorded once per
Idempotency-Key through the dues service; money as exact decimal strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, Personas, one_time_code
from dangjian.dues.models import DuesAllocation, DuesBill, DuesPayment
from dangjian.dues.tests.conftest import assess, bill_months

pytestmark = pytest.mark.django_db

PAYMENTS = "/api/v1/dues/payments/"


def api_as(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.fixture
def billed(personas: Personas, staff: Any) -> dict[str, Any]:
    """B1's and B2's members assessed for 2026 (a base with cents) and billed for Oct and Nov."""
    assessments = {name: assess(staff, personas.members[name], 2026, "4321.57")
                   for name in ("m_b1", "m_b1_2", "m_b2")}
    for org in (personas.b1, personas.b2):
        bill_months(staff, org, 2026, range(10, 12))
    return assessments


def test_member_sees_only_their_own_bills_and_assessments(personas: Personas, billed: dict[str, Any]) -> None:
    client = api_as("member_b1")
    me = personas.members["m_b1"]
    bills = client.get("/api/v1/dues/bills/").json()["results"]
    assert len(bills) == 2 and {row["member"] for row in bills} == {me.pk}
    assessments = client.get("/api/v1/dues/assessments/").json()["results"]
    assert [row["member"] for row in assessments] == [me.pk]
    assert assessments[0]["components"][0]["amount"] == "4321.57"
    other = DuesBill.objects.get(member=personas.members["m_b1_2"], month=dt.date(2026, 10, 1))
    assert client.get(f"/api/v1/dues/bills/{other.pk}/").status_code == 404
    assert client.get("/api/v1/dues/arrears-cases/").status_code == 200


def test_officer_gets_404_on_a_sibling_branchs_bill_and_member(personas: Personas, billed: dict[str, Any]) -> None:
    client = api_as("officer_b1")
    sibling = DuesBill.objects.get(member=personas.members["m_b2"], month=dt.date(2026, 10, 1))
    own = DuesBill.objects.get(member=personas.members["m_b1"], month=dt.date(2026, 10, 1))
    assert client.get(f"/api/v1/dues/bills/{sibling.pk}/").status_code == 404
    assert client.get(f"/api/v1/dues/bills/{own.pk}/").status_code == 200
    listed = {row["member"] for row in client.get("/api/v1/dues/bills/", {"month": "2026-10-01"}).json()["results"]}
    assert listed == {personas.members["m_b1"].pk, personas.members["m_b1_2"].pk}
    response = client.post(PAYMENTS, {"member": personas.members["m_b2"].pk, "amount": "10.00",
                                      "paid_on": "2026-11-20", "method": "cash"},
                           format="json", HTTP_IDEMPOTENCY_KEY="sibling-1")
    assert response.status_code == 404
    assert not DuesPayment.objects.exists()


def test_payment_is_recorded_once_per_key_and_exact_to_the_cent(personas: Personas, billed: dict[str, Any]) -> None:
    member = personas.members["m_b1"]
    monthly: Decimal = billed["m_b1"].monthly_amount
    assert monthly != monthly.quantize(Decimal("1"))  # the test needs cents
    client = api_as("officer_b1")
    october = DuesBill.objects.get(member=member, month=dt.date(2026, 10, 1))
    payload = {"member": member.pk, "amount": str(monthly * 2), "paid_on": "2026-11-20", "method": "wechat",
               "bills": [october.pk], "months": ["2026-11-15"], "proxy_payer": "张三之妻", "proxy_relation": "配偶"}
    first = client.post(PAYMENTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["amount"] == f"{monthly * 2:.2f}" and body["unallocated"] == "0.00"
    assert [(a["month"], a["amount"]) for a in body["allocations"]] == [
        ("2026-10-01", f"{monthly:.2f}"), ("2026-11-01", f"{monthly:.2f}")]
    assert body["is_proxy"] is True and body["proxy_relation"] == "配偶"

    again = client.post(PAYMENTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert DuesPayment.objects.count() == 1 and DuesAllocation.objects.count() == 2

    other = client.post(PAYMENTS, {**payload, "amount": "1.00"}, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert other.status_code == 422
    assert DuesPayment.objects.count() == 1

    bills = client.get("/api/v1/dues/bills/", {"member": member.pk}).json()["results"]
    assert {(b["month"], b["paid"], b["outstanding"], b["state"]) for b in bills} == {
        ("2026-10-01", f"{monthly:.2f}", "0.00", "paid"), ("2026-11-01", f"{monthly:.2f}", "0.00", "paid")}
    listed = client.get(PAYMENTS, {"member": member.pk}).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert api_as("member_b1").get(PAYMENTS).json()["results"][0]["amount"] == f"{monthly * 2:.2f}"


def test_partial_payment_leaves_the_exact_outstanding(personas: Personas, billed: dict[str, Any]) -> None:
    member = personas.members["m_b1_2"]
    monthly: Decimal = billed["m_b1_2"].monthly_amount
    response = api_as("officer_b1").post(PAYMENTS, {"member": member.pk, "amount": "0.01", "paid_on": "2026-11-20",
                                                    "method": "cash", "months": ["2026-10-01"]},
                                         format="json", HTTP_IDEMPOTENCY_KEY="partial-1")
    assert response.status_code == 201, response.content
    bill = api_as("officer_b1").get("/api/v1/dues/bills/", {"member": member.pk, "month": "2026-10-01"}).json()
    row = bill["results"][0]
    assert (row["paid"], row["outstanding"], row["state"]) == ("0.01", f"{monthly - Decimal('0.01'):.2f}", "partial")


def test_missing_idempotency_key_is_refused_in_chinese(personas: Personas, billed: dict[str, Any]) -> None:
    member = personas.members["m_b1"]
    response = api_as("officer_b1").post(PAYMENTS, {"member": member.pk, "amount": "10.00", "paid_on": "2026-11-20",
                                                    "method": "cash"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert "Idempotency-Key" in response.json()["detail"] and "请求" in response.json()["detail"]
    assert not DuesPayment.objects.exists()


def test_rule_errors_and_bad_amounts_answer_400(personas: Personas, billed: dict[str, Any]) -> None:
    member = personas.members["m_b1"]
    client = api_as("officer_b1")
    zero = client.post(PAYMENTS, {"member": member.pk, "amount": "0.00", "paid_on": "2026-11-20", "method": "cash"},
                       format="json", HTTP_IDEMPOTENCY_KEY="zero")
    assert zero.status_code == 400 and "amount" in zero.json()["errors"]
    huge = client.post(PAYMENTS, {"member": member.pk, "amount": "99999.00", "paid_on": "2026-11-20",
                                  "method": "cash"}, format="json", HTTP_IDEMPOTENCY_KEY="huge")
    assert huge.status_code == 400 and "大额党费" in huge.json()["errors"]["amount"][0]  # the rule names its field
    assert not DuesPayment.objects.exists()
    # a refused request may be retried with the same key once corrected
    fixed = client.post(PAYMENTS, {"member": member.pk, "amount": "1.00", "paid_on": "2026-11-20",
                                   "method": "cash"}, format="json", HTTP_IDEMPOTENCY_KEY="huge")
    assert fixed.status_code == 201, fixed.content
