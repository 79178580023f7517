"""AUTH-02 login-failure handling: 5 failures lock the username for 30 minutes, no enumeration,
lock and unlock audited, only the security admin unlocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from dangjian.accounts.models import LoginLock
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import PASSWORD
from tests.security.conftest import login, login_error, try_login

pytestmark = pytest.mark.django_db
WRONG = "Wrong#Pw-2026x"


def fail_five_times(username: str) -> None:
    for _ in range(5):
        response = try_login(username, WRONG)
        assert response.status_code == 400


def test_five_failures_lock_for_thirty_minutes(personas: Any) -> None:
    t0 = timezone.now().replace(microsecond=0)
    with time_machine.travel(t0, tick=False):
        fail_five_times("officer_b1")
        refused = try_login("officer_b1", PASSWORD)  # 6th attempt, correct password
        assert refused.status_code == 400
        assert "_auth_user_id" not in refused.wsgi_request.session
    with time_machine.travel(t0 + dt.timedelta(minutes=29), tick=False):
        assert try_login("officer_b1", PASSWORD).status_code == 400
    with time_machine.travel(t0 + dt.timedelta(minutes=31), tick=False):
        client = login("officer_b1")
        assert client.get("/members/").status_code == 200
        assert not LoginLock.objects.filter(username="officer_b1").exists()  # success resets the counter


def test_four_failures_do_not_lock(personas: Any) -> None:
    for _ in range(4):
        try_login("officer_b2", WRONG)
    login("officer_b2")


def test_lock_refuses_correct_password_of_another_client(personas: Any) -> None:
    """The lock is on the username and its source address, not on the browser that failed."""
    fail_five_times("c1_staff")
    assert Client().post("/accounts/login/", {"username": "c1_staff", "password": PASSWORD}).status_code == 400


def test_unknown_user_and_wrong_password_look_the_same(personas: Any) -> None:
    unknown = try_login("nobody_here", WRONG)
    wrong = try_login("officer_b1", WRONG)
    assert unknown.status_code == wrong.status_code == 400
    assert login_error(unknown) == login_error(wrong) != ""
    fail_five_times("officer_b2")
    locked = try_login("officer_b2", PASSWORD)
    assert login_error(locked) == login_error(wrong)


def test_failures_and_lock_are_audited(personas: Any) -> None:
    before = AuditEntry.objects.count()
    fail_five_times("inspector_c1")
    new = AuditEntry.objects.filter(object_repr="inspector_c1").order_by("id")
    events = list(new.values_list("event", flat=True))
    assert events.count("login_failed") == 5
    assert events.count("account_locked") == 1
    assert all(not e.success for e in new)
    assert AuditEntry.objects.count() - before == 6
    try_login("inspector_c1", PASSWORD)
    assert AuditEntry.objects.filter(event="login_refused_locked", object_repr="inspector_c1").count() == 1


def test_security_admin_unlocks(personas: Any) -> None:
    fail_five_times("officer_b1")
    secadmin = login("secadmin")
    page = secadmin.get("/accounts/locks/")
    assert page.status_code == 200 and "officer_b1" in page.content.decode()
    response = secadmin.post("/accounts/locks/unlock/", {"username": "officer_b1"})
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(event="account_unlocked").get()
    assert entry.object_repr == "officer_b1" and entry.actor == personas.user("secadmin")
    login("officer_b1")


@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin", "root_staff", "officer_b1", "member_b1"])
def test_others_cannot_unlock(personas: Any, persona: str) -> None:
    fail_five_times("officer_b2")
    client = login(persona)
    assert client.get("/accounts/locks/").status_code == 404
    assert client.post("/accounts/locks/unlock/", {"username": "officer_b2"}).status_code == 404
    assert LoginLock.objects.get(username="officer_b2", address="127.0.0.1").is_locked()
    assert not AuditEntry.objects.filter(event="account_unlocked").exists()
