"""Dues API: assessing a member (核定) through the dues service, like the assessment screen:
exact to the cent, a mid-year re-assessment only with a reason and a later month (re-billing the
unpaid months), once per Idempotency-Key, in the caller's dues scope, audited; every response
validated against the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core.models import AuditEntry
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, Personas, one_time_code
from dangjian.dues.models import DuesAssessment, DuesBill
from dangjian.dues.tests.conftest import assess, bill_months, item

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/dues/assessments/"


def api_as(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def payload(member: Any, **over: Any) -> dict[str, Any]:
    return {"member": member.pk, "year": 2026, "kind": "employed",
            "components": [{"item": item("post_salary").pk, "amount": "4321.57"}], **over}


def test_an_officer_assesses_a_member_like_the_screen_does(personas: Personas) -> None:
    member = personas.members["m_b1"]
    response = api_as("officer_b1").post(ASSESSMENTS, payload(member), format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert response.status_code == 201, response.content
    body = response.json()
    stored = DuesAssessment.objects.get(member=member, year=2026)
    assert body["id"] == stored.pk and body["base"] == "4321.57" and body["effective_month"] == "2026-01-01"
    assert body["monthly_amount"] == f"{stored.monthly_amount:.2f}" and body["is_reassessment"] is False
    assert [(c["item_name"], c["amount"]) for c in body["components"]] == [(item("post_salary").name, "4321.57")]
    # the same figure the screen's service computes for the same base
    other = assess(personas.user("officer_b1"), personas.members["m_b1_2"], 2026, "4321.57")
    assert stored.monthly_amount == other.monthly_amount and stored.band_id == other.band_id
    entry = AuditEntry.objects.get(event="create", object_type="dues.duesassessment", object_id=str(stored.pk))
    assert entry.actor_id == personas.user("officer_b1").pk and entry.source == "api"
    assert api_as("member_b1").get(f"{ASSESSMENTS}{stored.pk}/").json()["monthly_amount"] == body["monthly_amount"]


def test_a_retry_with_the_same_key_assesses_once(personas: Personas) -> None:
    member = personas.members["m_b1"]
    client = api_as("officer_b1")
    first = client.post(ASSESSMENTS, payload(member), format="json", HTTP_IDEMPOTENCY_KEY="a-2")
    again = client.post(ASSESSMENTS, payload(member), format="json", HTTP_IDEMPOTENCY_KEY="a-2")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert DuesAssessment.objects.filter(member=member).count() == 1
    other = client.post(ASSESSMENTS, payload(member, note="别的"), format="json", HTTP_IDEMPOTENCY_KEY="a-2")
    assert other.status_code == 422


def test_the_idempotency_key_is_required(personas: Personas) -> None:
    response = api_as("officer_b1").post(ASSESSMENTS, payload(personas.members["m_b1"]), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required" and "Idempotency-Key" in response.json()["detail"]
    assert "核定" in response.json()["detail"]
    assert not DuesAssessment.objects.exists()


def test_a_mid_year_reassessment_needs_a_reason_and_rebills_the_unpaid_months(personas: Personas) -> None:
    member, officer = personas.members["m_b1"], personas.user("officer_b1")
    first = assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(6, 8))
    client = api_as("officer_b1")
    higher = payload(member, components=[{"item": item("post_salary").pk, "amount": "9000.00"}])
    refused = client.post(ASSESSMENTS, higher, format="json", HTTP_IDEMPOTENCY_KEY="re-1")
    assert refused.status_code == 400
    assert "原因" in refused.json()["errors"]["reason"][0]  # the rule names its field
    assert DuesAssessment.objects.filter(member=member).count() == 1
    response = client.post(ASSESSMENTS, {**higher, "reason": "岗位调整", "effective_month": "2026-07-01"},
                           format="json", HTTP_IDEMPOTENCY_KEY="re-2")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_reassessment"] is True and body["effective_month"] == "2026-07-01" and body["reason"] == "岗位调整"
    second = DuesAssessment.objects.get(pk=body["id"])
    assert second.monthly_amount > first.monthly_amount
    due = dict(DuesBill.objects.filter(member=member).values_list("month", "amount_due"))
    assert due == {dt.date(2026, 6, 1): first.monthly_amount, dt.date(2026, 7, 1): second.monthly_amount}
    assert AuditEntry.objects.filter(event="reassess", object_id=str(second.pk), source="api").exists()


def test_bad_input_answers_400_beside_the_field(personas: Personas) -> None:
    member = personas.members["m_b1"]
    client = api_as("officer_b1")
    negative = client.post(ASSESSMENTS, payload(member, components=[{"item": item("post_salary").pk,
                                                                     "amount": "-1.00"}]),
                           format="json", HTTP_IDEMPOTENCY_KEY="bad-1")
    assert negative.status_code == 400 and list(negative.json()["errors"]) == ["components.0.amount"]
    twice = client.post(ASSESSMENTS, payload(member, components=[{"item": item("post_salary").pk, "amount": "1.00"}] * 2),
                        format="json", HTTP_IDEMPOTENCY_KEY="bad-2")
    assert twice.status_code == 400 and "components" in twice.json()["errors"]
    unknown = client.post(ASSESSMENTS, payload(member, components=[{"item": 999999, "amount": "1.00"}]),
                          format="json", HTTP_IDEMPOTENCY_KEY="bad-3")
    assert unknown.status_code == 400 and "components" in unknown.json()["errors"]
    later = client.post(ASSESSMENTS, payload(member, year=2000), format="json", HTTP_IDEMPOTENCY_KEY="bad-4")
    assert later.status_code == 400 and "入党" in later.json()["errors"]["non_field_errors"][0]
    assert not DuesAssessment.objects.exists()


@pytest.mark.parametrize("name", ["officer_b2", "inspector_c1", "member_b1", "sysadmin"])
def test_outside_the_dues_scope_nothing_is_assessed(personas: Personas, name: str) -> None:
    response = api_as(name).post(ASSESSMENTS, payload(personas.members["m_b1"]), format="json",
                                 HTTP_IDEMPOTENCY_KEY=f"out-{name}")
    assert response.status_code == 404, response.status_code
    assert not DuesAssessment.objects.exists()
    assert Decimal(0) == sum(DuesBill.objects.values_list("amount_due", flat=True), Decimal(0))
