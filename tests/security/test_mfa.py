"""Second factor (SECURITY.md AUTH-03) and step-up re-authentication (SESS-02)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from binascii import unhexlify
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts import mfa
from dangjian.accounts.models import ApiToken, RoleGrant, SecurityPolicy
from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import MFA_URL, PASSWORD, TOTP_KEY, one_time_code
from tests.security.conftest import login

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def totp_now(key_hex: str = TOTP_KEY) -> str:
    return f"{TOTP(unhexlify(key_hex)).token():06d}"


def password_step(username: str, client: Client | None = None) -> tuple[Client, Any]:
    client = client or Client()
    return client, client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def logged_in(client: Client) -> bool:
    return client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditadmin"])
def test_auth_03_each_admin_role_needs_the_second_factor(personas: Any, username: str) -> None:
    client, response = password_step(username)
    assert response.status_code == 302 and response["Location"] == MFA_URL
    assert not logged_in(client)  # the password alone logs nobody in
    wrong = "123456" if totp_now() != "123456" else "654321"
    assert client.post(MFA_URL, {"code": wrong}).status_code == 400  # not the app's code
    assert client.post(MFA_URL, {"code": totp_now()}).status_code == 400  # right, but too soon after a wrong one
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)  # its pause is over
    done = client.post(MFA_URL, {"code": totp_now()})
    assert done.status_code == 302 and done["Location"] == reverse("core:home")
    assert logged_in(client)
    entry = AuditEntry.objects.filter(event="login", object_id=str(personas.user(username).pk)).latest("id")
    assert entry.reason == "mfa:totp"


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditadmin"])
def test_auth_03_each_admin_role_without_a_device_must_enrol_before_the_login(personas: Any, username: str) -> None:
    user = personas.user(username)
    TOTPDevice.objects.filter(user=user).delete()
    client, response = password_step(username)
    assert response["Location"] == reverse("accounts:mfa_enrol")
    assert not logged_in(client)
    page = client.get(reverse("accounts:mfa_enrol"))
    html = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in html  # the QR code is made here
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert mfa.secret_base32(device) in html
    confirmed = client.post(reverse("accounts:mfa_enrol"), {"code": totp_now(device.key)})
    assert confirmed.status_code == 200
    codes = re.findall(r"<li class=\"col mb-1\">(\d{8})</li>", confirmed.content.decode())
    assert len(codes) == mfa.BACKUP_CODES
    assert logged_in(client)
    assert AuditEntry.objects.filter(event="mfa_enrolled", object_id=str(user.pk)).count() == 1
    # the next login asks for a code; a backup code works once
    again, step = password_step(username)
    assert step["Location"] == MFA_URL
    assert again.post(MFA_URL, {"code": codes[0]}).status_code == 302
    third, _ = password_step(username)
    assert third.post(MFA_URL, {"code": codes[0]}).status_code == 400


def test_auth_03_roles_marked_by_the_security_admin_need_it_too(personas: Any) -> None:
    client, response = password_step("root_staff")
    assert response["Location"] == reverse("core:home")  # optional by default
    policy = SecurityPolicy.current()
    policy.mfa_required_roles = ["committee_staff"]
    with acting_as(None, reason="test"):
        policy.save()
    _client, response = password_step("root_staff")
    assert response["Location"] == reverse("accounts:mfa_enrol")
    _client, response = password_step("officer_b1")  # other roles stay optional
    assert response["Location"] == reverse("core:home")


def test_auth_03_the_security_admin_marks_roles_on_the_policy_screen(personas: Any) -> None:
    url = reverse("accounts:mfa_policy")
    assert login("sysadmin").get(url).status_code == 404  # the security admin's screen only
    client = login("secadmin")
    assert client.get(url).status_code == 200
    assert client.post(url, {"required": ["committee_staff"], "step_up_minutes": "0"}).status_code == 400
    assert client.post(url, {"required": ["committee_staff"], "step_up_minutes": "5"}).status_code == 302
    policy = SecurityPolicy.current()
    assert policy.mfa_required_roles == ["committee_staff"] and policy.step_up_minutes == 5
    assert AuditEntry.objects.filter(object_type="accounts.securitypolicy").exists()
    _client, response = password_step("root_staff")
    assert response["Location"] == reverse("accounts:mfa_enrol")


def test_auth_03_anyone_may_enrol_and_is_then_asked_for_the_code(personas: Any) -> None:
    client = login("officer_b1")
    assert client.get(reverse("accounts:mfa_status")).status_code == 200
    client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(user=personas.user("officer_b1"), confirmed=False)
    assert client.post(reverse("accounts:mfa_enrol"), {"code": totp_now(device.key)}).status_code == 200
    _client, response = password_step("officer_b1")
    assert response["Location"] == MFA_URL


def test_auth_03_a_totp_code_is_accepted_once(personas: Any) -> None:
    code = totp_now()
    first, _ = password_step("sysadmin")
    assert first.post(MFA_URL, {"code": code}).status_code == 302
    second, _ = password_step("sysadmin")
    assert second.post(MFA_URL, {"code": code}).status_code == 400  # replay of the same step


def test_auth_03_five_wrong_codes_end_the_pending_login(personas: Any) -> None:
    client, _ = password_step("secadmin")
    for _ in range(mfa.PENDING_ATTEMPTS - 1):
        assert client.post(MFA_URL, {"code": "12345678"}).status_code == 400
    last = client.post(MFA_URL, {"code": "12345678"})
    assert last.status_code == 302 and last["Location"] == reverse("accounts:login")
    assert client.post(MFA_URL, {"code": one_time_code("secadmin")})["Location"] == reverse("accounts:login")
    assert AuditEntry.objects.filter(event="mfa_failed", success=False).count() == mfa.PENDING_ATTEMPTS


def test_auth_03_a_pending_login_expires(personas: Any) -> None:
    client, _ = password_step("sysadmin")
    session = client.session
    pending = session[mfa.PENDING]
    pending["at"] = (timezone.now() - dt.timedelta(minutes=mfa.PENDING_MINUTES + 1)).isoformat()
    session[mfa.PENDING] = pending
    session.save()
    assert client.post(MFA_URL, {"code": totp_now()})["Location"] == reverse("accounts:login")
    assert not logged_in(client)


def test_auth_03_token_endpoint_asks_admins_for_the_code(personas: Any) -> None:
    url = "/api/v1/auth/token/"
    body = {"username": "auditadmin", "password": PASSWORD}
    refused = Client().post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "otp" in refused.json()["errors"]
    assert not ApiToken.objects.filter(user=personas.user("auditadmin")).exists()
    ok = Client().post(url, {**body, "otp": one_time_code("auditadmin")}, content_type="application/json")
    assert ok.status_code == 201
    TOTPDevice.objects.filter(user=personas.user("sysadmin")).delete()
    unenrolled = Client().post(url, {"username": "sysadmin", "password": PASSWORD}, content_type="application/json")
    assert unenrolled.status_code == 400 and "otp" in unenrolled.json()["errors"]


def test_auth_03_recovery_by_the_security_admin_only_and_audited(personas: Any) -> None:
    target = personas.user("auditadmin")
    victim_session = login("auditadmin")
    assert login("sysadmin").post(reverse("accounts:mfa_reset"), {"username": "auditadmin"}).status_code == 404
    assert TOTPDevice.objects.filter(user=target).exists()
    response = login("secadmin").post(reverse("accounts:mfa_reset"), {"username": "auditadmin"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticToken.objects.filter(device__user=target).exists()
    entry = AuditEntry.objects.get(event="mfa_reset")
    assert entry.object_id == str(target.pk) and entry.actor_id == personas.user("secadmin").pk
    assert not logged_in(victim_session)  # their sessions ended
    _client, step = password_step("auditadmin")
    assert step["Location"] == reverse("accounts:mfa_enrol")  # a 三员 enrols again


# --- SESS-02: step-up before sensitive actions --------------------------------------------------


def make_stale(client: Client) -> None:
    session = client.session
    session[mfa.STEP_UP_AT] = (timezone.now() - dt.timedelta(minutes=11)).isoformat()
    session.save()


def confirm(client: Client, next_url: str, **data: str) -> Any:
    return client.post(reverse("accounts:step_up"), {"next": next_url, **data})


def test_sess_02_revealing_an_id_number_needs_a_recent_confirmation(personas: Any) -> None:
    member = personas.members["m_b1"]
    url = reverse("members:member_reveal_id", args=[member.pk])
    detail = reverse("members:member_detail", args=[member.pk])
    client = login("root_staff")
    assert client.post(url).status_code == 200  # the login itself counts
    make_stale(client)
    refused = client.post(url, HTTP_REFERER=f"http://testserver{detail}", HTTP_HX_REQUEST="true")
    assert refused.status_code == 204 and refused["HX-Redirect"].startswith(reverse("accounts:step_up"))
    before = AuditEntry.objects.filter(event="reveal").count()
    assert client.post(url).status_code == 302  # a plain POST: redirected to confirm
    assert AuditEntry.objects.filter(event="reveal").count() == before  # nothing revealed
    wrong = confirm(client, detail, password="wrong")
    assert wrong.status_code == 400
    back = confirm(client, detail, password=PASSWORD)
    assert back.status_code == 302 and back["Location"] == detail
    assert client.post(url).status_code == 200
    assert AuditEntry.objects.filter(event="step_up").count() == 1
    assert AuditEntry.objects.filter(event="step_up_failed", success=False).count() == 1


def test_sess_02_changing_role_grants_needs_a_recent_confirmation(personas: Any) -> None:
    client = login("secadmin")
    grant = RoleGrant.objects.get(user=personas.user("officer_b2"))
    make_stale(client)
    add = client.get(reverse("accounts:grant_add"))
    assert add.status_code == 302 and add["Location"].startswith(reverse("accounts:step_up"))
    revoke = client.post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert revoke.status_code == 302 and revoke["Location"].startswith(reverse("accounts:step_up"))
    grant.refresh_from_db()
    assert grant.revoked_at is None
    confirmed = confirm(client, "/", code=totp_now())  # a code works as well as the password
    assert confirmed.status_code == 302, confirmed.content.decode()[-3000:]
    assert client.get(reverse("accounts:grant_add")).status_code == 200
    assert client.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_sess_02_role_grants_over_the_api_need_a_recent_step_up(personas: Any) -> None:
    from rest_framework.test import APIClient

    token = APIClient().post("/api/v1/auth/token/", {"username": "secadmin", "password": PASSWORD,
                                                      "otp": one_time_code("secadmin")}, format="json").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    grant = RoleGrant.objects.get(user=personas.user("officer_b2"))
    ApiToken.objects.update(step_up_at=timezone.now() - dt.timedelta(hours=1))
    refused = api.delete(f"/api/v1/role-grants/{grant.pk}/")
    assert refused.status_code == 403 and refused.json()["code"] == "step_up_required"
    assert api.post("/api/v1/auth/step-up/", {"password": "wrong"}, format="json").status_code == 400
    assert api.post("/api/v1/auth/step-up/", {"password": PASSWORD}, format="json").status_code == 200
    assert api.delete(f"/api/v1/role-grants/{grant.pk}/").status_code == 204


def test_sess_02_a_bulk_export_of_personal_data_needs_a_recent_confirmation(personas: Any) -> None:
    client = login("root_staff")
    url = reverse("members:member_export")
    assert client.get(url).status_code == 200
    make_stale(client)
    refused = client.get(url)
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("accounts:step_up"))
    assert confirm(client, url, password=PASSWORD)["Location"] == url
    assert client.get(url).status_code == 200


def test_sess_02_approving_money_needs_a_recent_confirmation(personas: Any) -> None:
    from decimal import Decimal

    from dangjian.dues.models import DuesSpending, SpendingCategory

    with acting_as(personas.user("officer_b1"), reason="test"):
        row = DuesSpending(org=personas.b1, category=SpendingCategory.objects.get(code="training"),
                           spent_on=dt.date(2026, 4, 1), amount=Decimal("12.50"), payee="书店",
                           purpose=f"学习资料{next(_n)}", requested_by=personas.user("officer_b1"))
        row.save()
    url = reverse("dues:spending_decide", args=[row.pk])
    client = login("c1_staff")
    assert client.get(url).status_code == 200
    make_stale(client)
    assert client.get(url)["Location"].startswith(reverse("accounts:step_up"))
    data = {"approve": "1", "reference": "党委会", "decided_on": "2026-04-02", "version": row.version}
    assert client.post(url, data, HTTP_REFERER=f"http://testserver{url}")["Location"].startswith(
        reverse("accounts:step_up"))
    row.refresh_from_db()
    assert row.status == "pending"
    confirm(client, url, password=PASSWORD)
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.status == "approved"


def test_sess_02_a_decision_that_moves_no_money_needs_no_step_up() -> None:
    from dangjian.honors.models import Commendation

    assert Commendation.approval_moves_money is False

