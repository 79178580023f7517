"""AUD-01..AUD-03: auth events audited, no secrets or full ID numbers in the log, trusted-proxy
client IPs, append-only table and the ``verify_audit_chain`` command."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from dangjian.core import audit, idcard
from dangjian.core.models import AuditEntry
from dangjian.members.models import Member
from tests.security.conftest import login, try_login

pytestmark = pytest.mark.django_db

SENTINEL_PW = "Sentinel#Pw1"
SENTINEL_NEW_PW = "Sentinel#Pw2-Neu"
ID_BODY = "11010119900307123"
SENTINEL_ID = ID_BODY + idcard.check_digit(ID_BODY)


def audit_rows_as_text() -> list[str]:
    """Every column of every audit row, as text, read with raw SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditentry")
        rows = cursor.fetchall()
    texts = []
    for row in rows:
        for value in row:
            if isinstance(value, dict | list):
                texts.append(json.dumps(value, ensure_ascii=False))
            elif value is not None:
                texts.append(str(value))
    return texts


# --- AUD-03: append-only at the database level --------------------------------------------


@pytest.mark.parametrize("sql", [
    "UPDATE core_auditentry SET event = 'forged'",
    "UPDATE core_auditentry SET changes = '{}' WHERE id = (SELECT MAX(id) FROM core_auditentry)",
    "DELETE FROM core_auditentry",
    "DELETE FROM core_auditentry WHERE id = (SELECT MIN(id) FROM core_auditentry)",
])
def test_raw_update_and_delete_are_refused(personas: Any, sql: str) -> None:
    count = AuditEntry.objects.count()
    assert count > 0
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(event="forged").exists()


def test_truncate_is_refused_on_postgresql(personas: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL (SQLite's DELETE is covered above)")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry")


def test_orm_update_and_delete_are_refused(personas: Any) -> None:
    entry = AuditEntry.objects.order_by("id").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(event="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


# --- AUD-03: the hash chain and its verifier ----------------------------------------------


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


TRIGGERS = {
    "sqlite": (
        ["DROP TRIGGER core_auditentry_no_update", "DROP TRIGGER core_auditentry_no_delete"],
        "dangjian.core.migrations.0002_audit_append_only.SQLITE",
    ),
    "postgresql": (
        ["DROP TRIGGER core_auditentry_no_change ON core_auditentry",
         "DROP TRIGGER core_auditentry_no_truncate ON core_auditentry"],
        "dangjian.core.migrations.0002_audit_append_only.POSTGRES",
    ),
}


@pytest.fixture
def triggers_dropped(personas: Any) -> Iterator[None]:
    """Drop the append-only triggers (as an attacker with DDL rights would), restore afterwards."""
    import importlib

    drops, restore = TRIGGERS[connection.vendor]
    module_name, _, attr = restore.rpartition(".")
    create = [s for s in getattr(importlib.import_module(module_name), attr) if "TRIGGER" in s]
    with connection.cursor() as cursor:
        for sql in drops:
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in create:
                cursor.execute(sql)


def make_some_changes(personas: Any) -> None:
    client = login("c1_staff")
    member = personas.members["m_b1"]
    data = member_form_data(member, phone="13800000000")
    assert client.post(f"/members/{member.pk}/edit/", data).status_code == 302
    try_login("officer_b1", "Wrong#Pw-2026x")
    client.post("/accounts/logout/")


def test_chain_verifies_after_changes(personas: Any) -> None:
    make_some_changes(personas)
    assert verify().startswith("OK: ")
    assert audit.verify_chain() is None


def set_changes_sql() -> str:
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    return f"UPDATE core_auditentry SET changes = {cast} WHERE id = %s"  # noqa: S608 - fixed text


def test_verifier_names_the_edited_entry(personas: Any, triggers_dropped: None) -> None:
    make_some_changes(personas)
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    target = ids[len(ids) // 2]
    with connection.cursor() as cursor:
        cursor.execute(set_changes_sql(), [json.dumps({"phone": ["x", "forged"]}), target])
    with pytest.raises(CommandError) as failure:
        verify()
    assert failure.value.returncode == 1
    assert f"id={target}" in str(failure.value)
    assert audit.verify_chain() == target


def test_verifier_notices_a_deleted_entry(personas: Any, triggers_dropped: None) -> None:
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [ids[3]])
    assert audit.verify_chain() == ids[4]


# --- AUD-01: authentication events --------------------------------------------------------


def test_login_logout_and_password_change_are_audited(personas: Any) -> None:
    client = login("officer_b1")
    client.post("/accounts/password/", {"old_password": "Test#Pw-2026x", "new_password1": "Brand#New-Pw-2026",
                                        "new_password2": "Brand#New-Pw-2026"})
    client.post("/accounts/logout/")
    user = personas.user("officer_b1")
    events = list(AuditEntry.objects.filter(actor=user).order_by("id").values_list("event", flat=True))
    assert events == ["login", "password_change", "logout"]
    entry = AuditEntry.objects.filter(actor=user, event="login").get()
    assert entry.actor_name == "officer_b1" and entry.ip == "127.0.0.1" and entry.request_id and entry.success
    assert entry.at.tzinfo is not None and entry.at.utcoffset() == dt.timedelta(0)


# --- AUD-02: no passwords or full ID numbers in the audit log or in log records ------------


def member_form_data(member: Any = None, **overrides: Any) -> dict[str, Any]:
    if member is None:
        data = {
            "name": "哨兵党员", "gender": "M", "ethnicity": "汉族", "birth_date": "1990-03-07",
            "id_number": SENTINEL_ID, "police_number": "S123456", "personnel_type": "police",
            "joined_party_on": "2012-07-01", "full_member_on": "2013-07-01", "status": "full",
        }
    else:
        data = {
            "name": member.name, "gender": member.gender, "ethnicity": member.ethnicity,
            "birth_date": member.birth_date.isoformat(), "id_number": "", "police_number": member.police_number or "",
            "personnel_type": member.personnel_type, "joined_party_on": member.joined_party_on.isoformat(),
            "full_member_on": member.full_member_on.isoformat() if member.full_member_on else "",
            "version": member.version,
        }
    data.update(overrides)
    return data


def test_sentinel_secrets_never_reach_the_audit_log(personas: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = personas.user("c1_staff")
    user.set_password(SENTINEL_PW)
    user.save()

    try_login("c1_staff", SENTINEL_PW + "-typo")  # a failed attempt with a near-miss password
    client = login("c1_staff", SENTINEL_PW)
    token_response = Client().post(reverse("api:token"), {"username": "c1_staff", "password": SENTINEL_PW},
                                   content_type="application/json")
    assert token_response.status_code == 201
    token = token_response.json()["token"]

    created = client.post("/members/add/", member_form_data(org=personas.b1.pk))
    assert created.status_code == 302, created.context["form"].errors if created.context else created
    member = Member.objects.get(name="哨兵党员")
    assert member.id_number == SENTINEL_ID
    edited = client.post(f"/members/{member.pk}/edit/", member_form_data(member, phone="13912345678",
                                                                           id_number=SENTINEL_ID))
    assert edited.status_code == 302
    revealed = client.post(f"/members/{member.pk}/reveal-id/")
    assert revealed.status_code == 200 and SENTINEL_ID in revealed.content.decode()
    changed = client.post("/accounts/password/", {"old_password": SENTINEL_PW, "new_password1": SENTINEL_NEW_PW,
                                                  "new_password2": SENTINEL_NEW_PW})
    assert changed.status_code == 302
    exported = client.get("/members/export.xlsx")
    assert exported.status_code == 200

    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {"login", "login_failed", "create", "update", "reveal", "password_change", "export"} <= events
    assert AuditEntry.objects.filter(event="reveal", object_id=str(member.pk)).count() == 1

    secrets = {SENTINEL_PW, SENTINEL_NEW_PW, SENTINEL_PW + "-typo", SENTINEL_ID, token}
    for text in audit_rows_as_text():
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in audit log: {text[:200]}"
    for record in caplog.records:
        text = " ".join([record.getMessage(), str(record.args), record.exc_text or ""])
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in log record {record.name}: {text[:200]}"


def test_control_characters_stay_one_line(personas: Any) -> None:
    try_login("evil\nuser\r\x1b[31m", "Wrong#Pw-2026x")
    entry = AuditEntry.objects.filter(event="login_failed").latest("id")
    assert "\n" not in entry.object_repr and "\r" not in entry.object_repr and "\x1b" not in entry.object_repr
    assert "\\x0a" in entry.object_repr


# --- AUD-02 / ASVS 4.1.3: the audit IP comes from a trusted proxy only --------------------


def login_ip(**extra: Any) -> str | None:
    login("officer_b1", **extra)
    return AuditEntry.objects.filter(event="login").latest("id").ip


def test_forwarded_for_from_untrusted_peer_is_ignored(personas: Any) -> None:
    assert login_ip(HTTP_X_FORWARDED_FOR="203.0.113.7") == "127.0.0.1"
    assert login_ip(HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="198.51.100.20") == "198.51.100.20"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_forwarded_for_from_trusted_proxy_is_used(personas: Any) -> None:
    assert login_ip(HTTP_X_FORWARDED_FOR="203.0.113.7") == "203.0.113.7"
    # the proxy appends the real peer: the last hop is the one it saw, not what the client wrote
    assert login_ip(HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.8") == "203.0.113.8"
    assert login_ip(HTTP_X_FORWARDED_FOR="not-an-ip") == "127.0.0.1"
    assert login_ip(HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.20") == "198.51.100.20"
