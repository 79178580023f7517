"""A payment dated in the future is refused with its Chinese message and nothing saved; the
form offers today's date (issue 11, item 3)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.core.testing.personas import Personas
from dangjian.dues.models import DuesPayment
from dangjian.dues.tests.conftest import assess

pytestmark = pytest.mark.django_db


def test_future_payment_date_is_refused_on_screen(personas: Personas, client_for: Callable[[str], Client]) -> None:
    member = personas.members["m_b1"]
    assess(personas.user("officer_b1"), member, timezone.localdate().year, "4000.00")
    client = client_for("officer_b1")
    page = client.get("/dues/payments/add/").content.decode()
    today = timezone.localdate()
    assert re.search(r'name="paid_on"[^>]*value="' + today.isoformat(), page), re.findall(r"<input[^>]*paid_on[^>]*>", page)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    tomorrow = today + dt.timedelta(days=1)
    response = client.post("/dues/payments/add/", {
        "token": token, "member": member.pk, "amount": "80.00", "paid_on": tomorrow.isoformat(), "method": "cash",
        "arrangement": "monthly"})
    assert response.status_code in (200, 400)
    assert "不能晚于今天" in response.content.decode()
    assert not DuesPayment.objects.exists()
