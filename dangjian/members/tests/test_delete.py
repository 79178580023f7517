"""A refused delete of a member says which records still refer to them."""

from __future__ import annotations

import html
from typing import Any

import pytest

from dangjian.core.testing.personas import Personas
from dangjian.dues.tests.conftest import assess, bill_months
from dangjian.members.models import Member

pytestmark = pytest.mark.django_db


def test_a_member_with_dues_records_is_not_deleted_and_says_why(personas: Personas, client_for: Any) -> None:
    officer = personas.user("officer_b1")
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "6000")
    bill_months(officer, personas.b1, 2026, range(1, 3))
    response = client_for("officer_b1").post(f"/members/{member.pk}/delete/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 409
    assert "该记录不能删除：仍有" in page and "2 条应缴党费" in page and "1 条党费核定" in page
    assert Member.objects.filter(pk=member.pk).exists()
