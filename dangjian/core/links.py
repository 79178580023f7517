"""Absolute links that leave the browser: QR codes a phone scans, links in exports.

A link built from the request alone carries whatever host the organizer typed: on the demo
that is 127.0.0.1, which a phone on the same network cannot reach. ``PUBLIC_BASE_URL``
("https://dangjian.example", or "http://192.168.1.20:8000" for the demo served on the LAN,
which scripts/run sets) names the address users reach; without it the request's own scheme
and host are used (behind nginx: the Host header nginx passes on).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """``path`` ("/meetings/checkin/?t=...") as a full URL users' devices can open."""
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)
