"""AUTH-02 without races and without lock-out attacks (issue 21).

Before: 24 parallel wrong passwords on PostgreSQL each reached a password check, the counter
read 1 afterwards and five "account locked" entries existed (``failures += 1`` in Python, after
the check); the lock was per username only, so anyone could lock any named account; the login
page had no per-address throttle; the token endpoint's 30/min was counted per worker.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from dangjian.accounts.models import LoginLock, User
from dangjian.core.models import AuditEntry, ThrottleCounter
from dangjian.core.testing.personas import PASSWORD, build_personas
from tests.security.conftest import LOGIN_URL

WRONG = "Wrong#Pw-2026x"


def _post(username: str, password: str, address: str) -> Any:
    return Client(REMOTE_ADDR=address).post(LOGIN_URL, {"username": username, "password": password})


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: real parallel connections with row locks (set DATABASE_URL)")
def test_auth_02_fifty_parallel_wrong_passwords_check_at_most_threshold_and_lock_once(
        flushable_audit_log: Any, monkeypatch: Any) -> None:
    build_personas()
    checks = []
    lock = threading.Lock()
    original = User.check_password

    def counting(self: User, raw: str) -> bool:
        with lock:
            checks.append(raw)
        return original(self, raw)

    monkeypatch.setattr(User, "check_password", counting)
    barrier = threading.Barrier(50, timeout=60)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            client = Client(REMOTE_ADDR="10.9.8.7")
            barrier.wait()
            response = client.post(LOGIN_URL, {"username": "officer_b1", "password": WRONG})
            with lock:
                statuses.append(response.status_code)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(statuses) == 50
    # The address allowance (20) admits exactly 20 attempts; the other 30 are throttled.
    assert statuses.count(429) == 30 and statuses.count(400) == 20
    assert len(checks) <= 5  # the threshold
    pair = LoginLock.objects.get(username="officer_b1", address="10.9.8.7")
    assert pair.is_locked() and pair.failures == 5
    assert AuditEntry.objects.filter(event="account_locked", object_repr="officer_b1").count() == 1
    assert AuditEntry.objects.filter(event="login_failed", object_repr="officer_b1").count() == len(checks)
    assert AuditEntry.objects.filter(event="login_refused_locked", object_repr="officer_b1").count() == 20 - len(checks)
    assert AuditEntry.objects.filter(event="login_throttled").count() == 1


@pytest.mark.django_db
def test_auth_02_guessing_from_one_address_does_not_lock_the_owner_elsewhere(personas: Any) -> None:
    for _ in range(5):
        assert _post("officer_b1", WRONG, "10.0.0.66").status_code == 400
    assert _post("officer_b1", PASSWORD, "10.0.0.66").status_code == 400  # locked for the guesser's address
    assert _post("officer_b1", PASSWORD, "10.0.0.5").status_code == 302  # the owner, from their own address
    assert AuditEntry.objects.filter(event="account_locked", object_repr="officer_b1").count() == 1


@pytest.mark.django_db
def test_auth_02_failures_from_many_addresses_lock_the_account_everywhere(personas: Any) -> None:
    for i in range(20):  # account_lockout_threshold: 20 from 4 addresses (each locks its own pair at 5)
        _post("officer_b2", WRONG, f"10.1.0.{i // 5}")
    assert _post("officer_b2", PASSWORD, "10.2.0.1").status_code == 400
    events = AuditEntry.objects.filter(event="account_locked", object_repr="officer_b2")
    assert events.count() == 5 and events.filter(reason="all addresses").count() == 1


@pytest.mark.django_db
def test_auth_02_one_address_cannot_try_many_accounts(personas: Any) -> None:
    """Username spraying (60 usernames in 24 s before): the 21st failure from one address is
    throttled — no password check, 429 — and audited once; other addresses are untouched."""
    answers = [_post(f"user{i:02d}", WRONG, "10.3.3.3").status_code for i in range(25)]
    assert answers[:20] == [400] * 20 and answers[20:] == [429] * 5
    assert _post("officer_b1", PASSWORD, "10.3.3.3").status_code == 429  # even the right password
    assert AuditEntry.objects.filter(event="login_throttled").count() == 1
    assert _post("officer_b1", PASSWORD, "10.3.3.4").status_code == 302
    page = _post("user99", WRONG, "10.3.3.3")
    assert "尝试" in page.content.decode() or "稍后" in page.content.decode()


@pytest.mark.django_db
def test_auth_02_successful_logins_do_not_use_up_the_address_allowance(personas: Any) -> None:
    for _ in range(25):
        assert _post("officer_b1", PASSWORD, "10.4.4.4").status_code == 302


@pytest.mark.django_db
def test_auth_02_token_endpoint_throttle_is_shared_between_workers(personas: Any, settings: Any) -> None:
    """Clearing the process cache between requests (another worker's memory) does not reset the
    count: the 31st attempt in a minute is refused (before: counted per worker)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "30/min"}}
    codes = []
    for _ in range(31):
        cache.clear()
        response = Client(REMOTE_ADDR="10.5.0.1").post(
            "/api/v1/auth/token/", {"username": "officer_b1", "password": PASSWORD}, content_type="application/json")
        codes.append(response.status_code)
    assert codes[:30] == [201] * 30 and codes[30] == 429
    assert ThrottleCounter.objects.exists()


@pytest.mark.django_db
def test_auth_02_throttle_uses_redis_when_configured(personas: Any, settings: Any) -> None:
    """With REDIS_URL the counters are Redis INCRs (atomic, shared by every machine)."""
    import redis

    # its own Redis database per suite run (.ci/run runs the SQLite and PostgreSQL suites at once)
    url = os.environ.get("DANGJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
    try:
        redis.Redis.from_url(url).ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no local Redis")
    settings.REDIS_URL = url
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                      "LOCATION": url, "KEY_PREFIX": "test-sec21"}}
    from django.core.cache import caches

    caches["default"].clear()
    answers = [_post(f"r{i}", WRONG, "10.6.6.6").status_code for i in range(21)]
    assert answers[-1] == 429 and answers[:20] == [400] * 20
    assert not ThrottleCounter.objects.exists()
    caches["default"].clear()
