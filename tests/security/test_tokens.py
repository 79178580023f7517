"""SESS-01 / AUTH-05 API tokens (issue 21): idle and absolute expiry, refresh, a list per device,
revocation by the user and by the security admin, revoked on password change and deactivation,
pruned by the scheduler. Before: tokens never expired and outlived a password change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from dangjian.accounts import services
from dangjian.accounts.models import ApiToken
from dangjian.core.jobs import schedule
from dangjian.core.models import AuditEntry
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, one_time_code

pytestmark = pytest.mark.django_db
ME = "/api/v1/auth/tokens/"


def token_for(username: str, device: str = "") -> str:
    response = SchemaValidatingClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD,
                                                                      "name": device, "otp": one_time_code(username)},
                                             format="json")
    assert response.status_code == 201, response.content
    assert response.json()["expires_at"]
    return str(response.json()["token"])


def with_token(key: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_refused(client: SchemaValidatingClient) -> dict[str, Any]:
    response = client.get(ME)
    assert response.status_code == 401
    body: dict[str, Any] = response.json()
    assert body["code"] in {"authentication_failed", "not_authenticated"} and body["detail"]
    return body


def test_sess_01_token_expires_after_its_absolute_lifetime(personas: Any) -> None:
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        key = token_for("officer_b1")
    for day in range(1, 30, 5):  # used every 5 days: never idle, still ends at 30 days
        with time_machine.travel(t0 + dt.timedelta(days=day), tick=False):
            assert with_token(key).get(ME).status_code == 200
    with time_machine.travel(t0 + dt.timedelta(days=30, minutes=1), tick=False):
        assert "过期" in assert_refused(with_token(key))["detail"]


def test_sess_01_token_expires_when_idle(personas: Any) -> None:
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        key = token_for("officer_b1")
    with time_machine.travel(t0 + dt.timedelta(days=7, hours=1), tick=False):
        assert_refused(with_token(key))


def test_sess_01_refresh_replaces_the_key_and_keeps_the_absolute_expiry(personas: Any) -> None:
    old = token_for("officer_b1", "手机")
    response = with_token(old).post("/api/v1/auth/token/refresh/")
    assert response.status_code == 201
    new = response.json()["token"]
    assert_refused(with_token(old))
    assert with_token(new).get(ME).status_code == 200
    tokens = ApiToken.objects.filter(user=personas.user("officer_b1"))
    assert len({t.expires_at for t in tokens}) == 1
    assert AuditEntry.objects.filter(event="token_refreshed").count() == 1


def test_sess_01_tokens_listed_per_device_and_revoked_by_their_user(personas: Any) -> None:
    phone = token_for("officer_b1", "手机")
    laptop = token_for("officer_b1", "笔记本")
    token_for("officer_b2", "别人的")
    listed = with_token(phone).get(ME).json()
    assert sorted(t["name"] for t in listed) == ["手机", "笔记本"]
    assert [t["current"] for t in listed if t["name"] == "手机"] == [True]
    laptop_id = next(t["id"] for t in listed if t["name"] == "笔记本")
    other = ApiToken.objects.get(name="别人的")
    assert with_token(phone).delete(f"{ME}{other.pk}/").status_code == 404  # not theirs
    assert with_token(phone).delete(f"{ME}{laptop_id}/").status_code == 204
    assert_refused(with_token(laptop))
    assert with_token(phone).get(ME).status_code == 200


def test_sess_01_security_admin_revokes_anyones_token(personas: Any) -> None:
    key = token_for("officer_b1", "手机")
    admin = with_token(token_for("secadmin"))
    target = ApiToken.objects.get(name="手机")
    assert admin.delete(f"{ME}{target.pk}/").status_code == 204
    assert_refused(with_token(key))
    entry = AuditEntry.objects.get(event="token_revoked")
    assert entry.actor == personas.user("secadmin") and entry.object_repr == str(personas.user("officer_b1"))


def test_auth_05_password_change_revokes_every_token(personas: Any) -> None:
    key = token_for("officer_b1")
    user = personas.user("officer_b1")
    services.change_password(actor=user, user=user, new_password="Hongqi#2027-neu")
    assert_refused(with_token(key))
    assert ApiToken.objects.get(user=user).revoked_reason == "password_change"


def test_auth_05_deactivation_revokes_every_token(personas: Any) -> None:
    key = token_for("officer_b1")
    user = personas.user("officer_b1")
    services.update_user(actor=personas.user("sysadmin"), user=user, data={"is_active": False})
    assert_refused(with_token(key))
    assert ApiToken.objects.get(user=user).revoked_reason == "deactivated"


def test_sess_01_scheduler_prunes_dead_tokens(personas: Any) -> None:
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        token_for("officer_b1", "旧")
    with time_machine.travel(t0 + dt.timedelta(days=61), tick=False):
        fresh = token_for("officer_b1", "新")
        started = schedule.tick(timezone.now() + dt.timedelta(days=2))
        assert "prune_security" in {j.scheduled.name for j in started if j.scheduled}
        assert list(ApiToken.objects.values_list("name", flat=True)) == ["新"]
        assert with_token(fresh).get(ME).status_code == 200
