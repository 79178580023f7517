"""Browser flow of the second factor (SECURITY.md AUTH-03) in Debian's Chromium: an
administrator without a device enrols at the login (QR code made by the server), and the next
login asks for the app's code; at desktop and phone widths."""

from __future__ import annotations

import os
from binascii import unhexlify
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP

from dangjian.core.testing.personas import PASSWORD, build_personas
from tests.e2e.test_member_flow import CHROMIUM, browser  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)"),
]
SHOTS = os.environ.get("MFA_SHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


#: the phone width in CI (the desktop width was looked at too: MFA_SHOTS=dir MFA_WIDTHS=1440,390)
WIDTHS = [int(w) for w in os.environ.get("MFA_WIDTHS", "390").split(",")]


@pytest.mark.parametrize("width", WIDTHS)
def test_auth_03_admin_enrols_in_the_browser_then_logs_in_with_a_code(
    live_server: Any, live_db: None, browser: Any, width: int  # noqa: F811
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    personas = build_personas()
    TOTPDevice.objects.filter(user=personas.user("secadmin")).delete()
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "secadmin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/accounts/mfa/setup/")
    assert page.locator("img.mfa-qr").evaluate("img => img.naturalWidth > 0")  # the QR code rendered
    shot(page, f"enrol-{width}")
    key = TOTPDevice.objects.get(user=personas.user("secadmin"), confirmed=False).key
    page.fill("#id_code", f"{TOTP(unhexlify(key)).token():06d}")
    page.click("button[type=submit]")
    assert page.locator(".mfa-codes li").count() == 10
    shot(page, f"codes-{width}")
    page.click("text=继续")
    page.wait_for_url(f"{base}/")
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "secadmin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/accounts/login/code/")
    shot(page, f"verify-{width}")
    from dangjian.core.testing.personas import one_time_code

    page.fill("#id_code", one_time_code("secadmin"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.close()
