"""The QR check-in code carries an address a phone can open: PUBLIC_BASE_URL when configured
(the demo on the LAN, a production domain), otherwise the host the organizer's request used."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from django.urls import reverse

from dangjian.meetings.tests.factories import at, make_meeting

pytestmark = pytest.mark.django_db


def qr_svg_for(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
                                    title="会议签到")
    return buffer.getvalue()


def served_and_token(personas: Any, client_for: Any, **extra: Any) -> tuple[bytes, str]:
    meeting = make_meeting(personas.b1, "themed_party_day", at(2026, 5, 8, 9), status="planned", present=0)
    response = client_for("officer_b1").get(reverse("meetings:qr_svg", args=[meeting.pk]), **extra)
    assert response.status_code == 200
    return response.content, meeting.checkin_token


def test_the_qr_code_uses_the_configured_public_address(personas: Any, client_for: Any, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "http://192.168.1.20:8000/"
    served, token = served_and_token(personas, client_for)  # the organizer browses via 127.0.0.1 ("testserver")
    assert served == qr_svg_for(f"http://192.168.1.20:8000/meetings/checkin/?t={token}")


def test_without_it_the_qr_code_uses_the_requests_host(personas: Any, client_for: Any, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["dangjian.example", "testserver"]
    served, token = served_and_token(personas, client_for, HTTP_HOST="dangjian.example")
    assert served == qr_svg_for(f"http://dangjian.example/meetings/checkin/?t={token}")
