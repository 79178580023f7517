"""A refused delete of an organization says what still refers to it, on the screen and in the API."""

from __future__ import annotations

import html
from typing import Any

import pytest

from dangjian.core.testing.personas import Personas
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_an_organization_with_members_is_not_deleted_and_says_why(personas: Personas, client_for: Any) -> None:
    p = personas
    response = client_for("root_staff").post(f"/orgs/{p.b3.pk}/delete/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 409
    assert "该记录不能删除：仍有 1 条党员引用它。" in page
    assert Organization.objects.filter(pk=p.b3.pk).exists()
