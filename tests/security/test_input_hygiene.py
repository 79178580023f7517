"""IO-01 text hygiene and the request body limit (issue 21).

Before: names containing bidirectional overrides and zero-width characters were stored and
displayed as they were (a spoofing vector in a roster and in the audit log); a 40 MB body was
received in full before it was refused.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from dangjian.members.models import Member
from tests.api.test_api import api_as
from tests.security.conftest import login
from tests.security.test_audit import member_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["张\u202e三", "张\u200b三", "\u2066李四\u2069", "王\ufeff五"],
                         ids=["rlo", "zwsp", "isolate", "bom"])
def test_io_01_names_with_invisible_or_bidi_characters_are_refused(personas: Any, name: str) -> None:
    member = personas.members["m_b1"]
    response = login("c1_staff").post(f"/members/{member.pk}/edit/", member_form_data(member, name=name))
    assert response.status_code == 400
    assert "字符" in " ".join(str(e) for e in response.context["form"].errors.get("name", []))
    assert Member.objects.get(pk=member.pk).name == member.name


def test_io_01_names_are_stored_nfc(personas: Any) -> None:
    member = personas.members["m_b1"]
    decomposed = "Ame\u0301lie"  # e + combining acute
    response = login("c1_staff").post(f"/members/{member.pk}/edit/", member_form_data(member, name=decomposed))
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).name == "Am\u00e9lie"


def test_io_01_api_refuses_bidi_controls_in_a_name(personas: Any) -> None:
    member = personas.members["m_b1"]
    client = api_as("c1_staff")
    current = client.get(f"/api/v1/members/{member.pk}/").json()
    response = client.patch(f"/api/v1/members/{member.pk}/", {"name": "张\u202e三"}, format="json",
                            HTTP_IF_MATCH=f'"{current["version"]}"')
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


class _NeverRead(io.RawIOBase):
    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")


def test_io_01_a_body_over_the_limit_is_refused_before_it_is_read(personas: Any) -> None:
    client = Client()
    response = client.generic("POST", "/accounts/login/", b"", CONTENT_TYPE="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(40 * 1024 * 1024), **{"wsgi.input": _NeverRead()})
    assert response.status_code == 413
    assert "请求过大" in response.content.decode()
    api = Client().generic("POST", "/api/v1/auth/token/", b"", CONTENT_TYPE="application/json",
                           CONTENT_LENGTH=str(40 * 1024 * 1024), **{"wsgi.input": _NeverRead()})
    assert api.status_code == 413 and api.json()["code"] == "too_large"
