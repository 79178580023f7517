"""REL-02 crash-safe idempotency (issue 21): a payment whose worker died mid-request.

Before: the idempotency record was committed on its own before the payment, and completed after
it in another transaction; a worker killed in between left a record that answered 409 "still
processing" to every retry, forever. Now the record is claimed with a lease and completed in the
payment's own transaction: the dead request left neither a payment nor a completed record, and
once the lease ends a retry records the payment exactly once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from dangjian.core.models import IdempotencyRecord
from dangjian.core.testing.personas import Personas
from dangjian.dues import services
from dangjian.dues.models import DuesPayment
from dangjian.dues.tests.conftest import assess, bill_months
from dangjian.dues.tests.test_api import PAYMENTS, api_as

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the request catches it, the open transaction is lost."""


@pytest.fixture
def member(personas: Personas, staff: Any) -> Any:
    member = personas.members["m_b1"]
    assess(staff, member, 2026, "4000.00")
    bill_months(staff, personas.b1, 2026, range(10, 12))
    return member


def test_rel_02_retry_after_a_killed_worker_records_the_payment_exactly_once(
        personas: Personas, member: Any, monkeypatch: Any) -> None:
    client = api_as("officer_b1")
    payload = {"member": member.pk, "amount": "20.00", "paid_on": "2026-11-20", "method": "cash"}
    original = services.record_payment

    def die_after_writing(**kwargs: Any) -> Any:
        original(**kwargs)  # the payment row is written ...
        raise WorkerKilled  # ... and the worker dies before the response

    monkeypatch.setattr(services, "record_payment", die_after_writing)
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False), pytest.raises(WorkerKilled):
        client.post(PAYMENTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="crash-1")
    monkeypatch.setattr(services, "record_payment", original)
    assert DuesPayment.objects.filter(member=member).count() == 0  # not committed without its record
    record = IdempotencyRecord.objects.get(key="crash-1")
    assert not record.completed and record.lease_until is not None

    with time_machine.travel(t0 + dt.timedelta(seconds=30), tick=False):  # the claim still holds
        busy = client.post(PAYMENTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="crash-1")
        assert busy.status_code == 409 and busy.json()["code"] == "conflict"
    with time_machine.travel(t0 + dt.timedelta(seconds=121), tick=False):  # lease over: the retry runs
        retried = client.post(PAYMENTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="crash-1")
        assert retried.status_code == 201, retried.content
        again = client.post(PAYMENTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="crash-1")
        assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
        assert again.json() == retried.json()
    assert DuesPayment.objects.filter(member=member).count() == 1
    assert IdempotencyRecord.objects.get(key="crash-1").attempt == 2


def test_rel_02_a_request_that_outlived_its_lease_cannot_complete(personas: Personas, member: Any,
                                                                  monkeypatch: Any) -> None:
    """A slow first attempt whose key was taken over by a retry rolls its payment back."""
    client = api_as("officer_b1")
    payload = {"member": member.pk, "amount": "20.00", "paid_on": "2026-11-20", "method": "cash"}
    original = services.record_payment

    def taken_over_meanwhile(**kwargs: Any) -> Any:
        result = original(**kwargs)
        IdempotencyRecord.objects.filter(key="slow-1").update(attempt=2)  # a retry claimed the key
        return result

    monkeypatch.setattr(services, "record_payment", taken_over_meanwhile)
    slow = client.post(PAYMENTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="slow-1")
    assert slow.status_code == 409
    assert DuesPayment.objects.filter(member=member).count() == 0

