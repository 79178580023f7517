"""AUTH-05 dormant accounts: the nightly line disables accounts unused for the policy's days,
ending their sessions and revoking their tokens in one audited step; the 三员 are reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from dangjian.accounts.models import ApiToken, SecurityPolicy, User
from dangjian.core.jobs import schedule
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import PASSWORD
from tests.security.test_tokens import assert_refused, token_for, with_token

pytestmark = pytest.mark.django_db


def sessions_of(username: str) -> int:
    from django.contrib.sessions.models import Session

    pk = str(User.objects.get(username=username).pk)
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == pk)


def logged_in(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_auth_05_dormant_account_is_disabled_with_its_sessions_and_tokens(personas: Any) -> None:
    SecurityPolicy.objects.update(token_idle_days=365, token_max_days=365)  # the token lives until the check
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        browser, key = logged_in("officer_b1"), token_for("officer_b1")
        logged_in("officer_b2")
    User.objects.filter(is_active=True).exclude(username__in=["officer_b1", "officer_b2"]).update(
        last_login=t0 + dt.timedelta(days=60))
    with time_machine.travel(t0 + dt.timedelta(days=60), tick=False):
        logged_in("officer_b2")  # used again: not dormant
    with time_machine.travel(t0 + dt.timedelta(days=91), tick=False):
        assert sessions_of("officer_b1") == 1  # the stored session outlives the idle timeout until the check
        started = schedule.tick(timezone.now() + dt.timedelta(days=1))
        job = next(j for j in started if j.scheduled and j.scheduled.name == "disable_dormant_accounts")
        job.refresh_from_db()
        assert job.status == job.Status.SUCCEEDED
        assert dict(job.result["figures"])["停用账号"] == 1
        assert not User.objects.get(username="officer_b1").is_active
        assert User.objects.get(username="officer_b2").is_active
        assert sessions_of("officer_b1") == 0
        assert browser.get("/").status_code == 302  # back to the login page
        assert_refused(with_token(key))
        assert ApiToken.objects.get(user__username="officer_b1").revoked_reason == "dormant"
        entry = AuditEntry.objects.get(event="disabled_dormant")
        assert entry.object_id == str(User.objects.get(username="officer_b1").pk)


def test_auth_05_administrators_are_reported_not_disabled(personas: Any) -> None:
    from dangjian.accounts.services import disable_dormant

    long_ago = timezone.now() - dt.timedelta(days=400)
    User.objects.update(last_login=long_ago)
    result = disable_dormant(actor=None)
    assert {"sysadmin", "secadmin", "auditadmin"} <= set(result.admins_dormant)
    assert User.objects.get(username="secadmin").is_active
    assert not User.objects.get(username="officer_b1").is_active
    assert "officer_b1" in result.disabled and "secadmin" not in result.disabled


def test_auth_05_the_policy_decides_the_days_and_zero_means_never(personas: Any) -> None:
    from dangjian.accounts.services import disable_dormant

    User.objects.update(last_login=timezone.now() - dt.timedelta(days=45))
    assert disable_dormant(actor=None).disabled == []  # 90 days by default
    SecurityPolicy.objects.update(dormant_days=30)
    assert "officer_b1" in disable_dormant(actor=None).disabled
    User.objects.update(is_active=True, last_login=timezone.now() - dt.timedelta(days=4000))
    SecurityPolicy.objects.update(dormant_days=0)
    assert disable_dormant(actor=None).disabled == []
    assert User.objects.filter(is_active=False).count() == 0
