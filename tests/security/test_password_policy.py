"""AUTH-01 password policy through the change-password form, and the forced change of initial
and expired passwords (等保 defaults: >= 10 chars, 3 of 4 classes, no context words, no reuse of
the last 5, 90-day expiry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.core.testing.personas import PASSWORD
from tests.security.conftest import all_routes, field_errors, is_clear_message, login, try_login

pytestmark = pytest.mark.django_db
PASSWORD_URL = "/accounts/password/"
GOOD = "Zuverlassig#Neu42"


def change(client: Any, new: str, old: str = PASSWORD, again: str | None = None) -> Any:
    return client.post(PASSWORD_URL, {"old_password": old, "new_password1": new, "new_password2": again or new})


def police_number(personas: Any) -> str:
    return personas.members["m_b1"].police_number


# (case id, new password or a callable building it, expected error code, English hint of the message)
REFUSED = [
    ("too_short", "Ab1!xyz9", "short", "characters"),
    ("too_few_classes", "alllowercase2026", "classes", "mix"),
    ("only_letters", "OnlyLettersHere", "classes", "mix"),
    ("contains_dangjian", "Xy7!党建abcdef", "context", "guess"),
    ("contains_gongan", "Gongan#2026xyz", "context", "guess"),
    ("contains_username", "Member_b1#2026Zz", "context", "guess"),
    ("contains_police_number", lambda p: f"Qx#{police_number(p)}abc", "context", "guess"),
    ("common_password", "Pe#5Gz29Ptzmse", "password_too_common", "common"),
    ("common_password_2", "Liverpool1", "password_too_common", "common"),
    ("all_digits_and_symbols", "2026-0101-9999", "classes", "mix"),
]


@pytest.mark.parametrize(("case", "candidate", "code", "hint"), REFUSED, ids=[c[0] for c in REFUSED])
def test_weak_passwords_are_refused(personas: Any, case: str, candidate: Any, code: str | None, hint: str) -> None:
    password = candidate(personas) if callable(candidate) else candidate
    client = login("member_b1")
    response = change(client, password)
    assert response.status_code == 400
    errors = field_errors(response, "new_password1")
    assert errors, f"{case}: no field error"
    if code is not None:
        assert code in [c for c, _ in errors], f"{case}: {errors}"
    for c, message in errors:
        if c == code:
            assert is_clear_message(message, hint), f"{case}: unclear message {message!r}"
    user = User.objects.get(username="member_b1")
    assert user.check_password(PASSWORD) and not user.check_password(password)


def test_wrong_current_password_is_refused(personas: Any) -> None:
    client = login("member_b1")
    response = change(client, GOOD, old="Not-The-Current-1")
    assert response.status_code == 400 and field_errors(response, "old_password")


def test_mismatched_repeat_is_refused(personas: Any) -> None:
    response = change(login("member_b1"), GOOD, again=GOOD + "x")
    assert response.status_code == 400 and field_errors(response, "new_password2")


def test_reuse_of_recent_passwords_is_refused(personas: Any) -> None:
    user = personas.user("officer_b1")
    history = [f"Rotation#{n}Abcxyz" for n in range(1, 6)]
    for pw in history:
        services.change_password(actor=user, user=user, new_password=pw)
    current = history[-1]
    client = login("officer_b1", current)
    for old in [PASSWORD, *history]:  # the current one and the five before it
        response = change(client, old, old=current)
        assert response.status_code == 400, old
        assert "reused" in [c for c, _ in field_errors(response, "new_password1")], old
    assert change(client, GOOD, old=current).status_code == 302


def test_valid_password_is_accepted(personas: Any) -> None:
    client = login("member_b1")
    response = change(client, GOOD)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="member_b1")
    assert user.check_password(GOOD) and not user.must_change_password
    assert client.get("/members/").status_code == 200  # session kept (new key) after the change
    assert try_login("member_b1", PASSWORD).status_code == 400
    login("member_b1", GOOD)


def test_long_unicode_password_round_trips(personas: Any) -> None:
    base = "春风化雨Ab9!"
    password = (base * 20)[:127] + "Ω"
    assert len(password) == 128
    client = login("member_b1")
    assert change(client, password).status_code == 302
    login("member_b1", password)
    assert try_login("member_b1", password[:-1] + "W").status_code == 400  # last char matters
    assert try_login("member_b1", password[:-1]).status_code == 400  # no truncation
    too_long = password + "x"
    response = change(login("member_b1", password), too_long, old=password)
    assert response.status_code == 400 and "long" in [c for c, _ in field_errors(response, "new_password1")]


def test_password_is_verified_exactly_as_typed(personas: Any) -> None:
    client = login("member_b1")
    assert change(client, "  " + GOOD + "  ").status_code == 302
    assert try_login("member_b1", GOOD).status_code == 400  # no stripping
    assert try_login("member_b1", "  " + GOOD.lower() + "  ").status_code == 400  # no case folding
    login("member_b1", "  " + GOOD + "  ")


def assert_forced_to_change(client: Any, personas: Any) -> None:
    """Every page sends the user to the password form; the API answers 403 password_expired."""
    allowed = {"accounts:password_change", "accounts:logout", *settings.DANGJIAN["PUBLIC_URL_NAMES"]}
    for route in all_routes():
        if route.name in allowed:
            continue
        url = route.url()
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            where = f"{method} {url}: {response.status_code}"
            if route.is_api:
                assert response.status_code == 403 and response.json()["code"] == "password_expired", where
            else:
                assert response.status_code == 302, where
                assert response["Location"] == PASSWORD_URL, f"{where} {response['Location']}"
    assert client.get(PASSWORD_URL).status_code == 200


def test_must_change_password_blocks_every_page(personas: Any) -> None:
    User.objects.filter(username="root_staff").update(must_change_password=True)
    client = login("root_staff")
    assert_forced_to_change(client, personas)
    assert change(client, GOOD).status_code == 302
    assert client.get("/members/").status_code == 200


def test_expired_password_blocks_every_page(personas: Any) -> None:
    changed = User.objects.get(username="root_staff").password_changed_at
    with time_machine.travel(changed + dt.timedelta(days=89), tick=False):
        assert login("root_staff").get("/members/").status_code == 200
    with time_machine.travel(changed + dt.timedelta(days=91), tick=False):
        client = login("root_staff")
        assert_forced_to_change(client, personas)
        assert change(client, GOOD).status_code == 302
        assert client.get("/members/").status_code == 200
        assert User.objects.get(username="root_staff").password_changed_at == timezone.now()
