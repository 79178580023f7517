"""DP-01 key rotation (issue 21), with both providers: write, rotate, verify the chain, look up
by ID number, reveal.

Before: with a second key added to FIELD_ENCRYPTION_KEYS, verify_audit_chain reported the chain
broken at its first entry and the ID-number blind index found nobody (MACs were made with the
current key and no key id was stored).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from dangjian.core import audit, rotation
from dangjian.core.crypto import get_provider
from dangjian.core.models import AuditEntry
from dangjian.members.models import Member, id_number_index
from tests.security.conftest import login
from tests.security.test_audit import triggers_dropped  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db
AES = "dangjian.core.crypto.AesGcmProvider"
SM4 = "dangjian.core.crypto.Sm4GcmProvider"
OLD = "k2025:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
NEW = "k2026:" + base64.urlsafe_b64encode(os.urandom(32)).decode()


def dev_key() -> str:
    """The key the test profile started with (derived from SECRET_KEY): the personas' rows and
    audit entries were written under it."""
    from django.conf import settings

    return "dev:" + base64.urlsafe_b64encode(hashlib.sha256(b"field-key:" + settings.SECRET_KEY.encode()).digest()).decode()


@pytest.fixture
def keys() -> Iterator[Any]:
    """Switch keys (and provider) like a restart with a new FIELD_ENCRYPTION_KEYS would."""
    stack: list[Any] = []

    def use(value: str, provider: str) -> None:
        while stack:
            stack.pop().disable()
        override = override_settings(FIELD_ENCRYPTION_KEYS=value, FIELD_CRYPTO_PROVIDER=provider)
        override.enable()
        stack.append(override)
        get_provider.cache_clear()

    yield use
    while stack:
        stack.pop().disable()
    get_provider.cache_clear()


def raw_id_number(member: Member) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_member WHERE id = %s", [member.pk])
        return str(cursor.fetchone()[0])


def stored_index(member: Member) -> str:
    return str(Member.objects.filter(pk=member.pk).values_list("id_number_index", flat=True).get())


@pytest.mark.parametrize(("before", "after"), [(AES, AES), (SM4, SM4), (AES, SM4)], ids=["aes", "sm4", "aes-to-sm4"])
def test_dp_01_write_rotate_verify_look_up_reveal(personas: Any, keys: Any, before: str, after: str) -> None:
    keys(f"{OLD},{dev_key()}", before)
    staff = login("c1_staff")
    member = personas.members["m_b1"]
    member.phone = "13800000001"
    member.save()  # under the old key: ciphertext and blind index
    audit.record("update", obj=member, changes={"phone": ["x", "y"]})
    number = Member.objects.get(pk=member.pk).id_number
    assert raw_id_number(member).split(":")[1] == "k2025"

    keys(f"{NEW},{OLD},{dev_key()}", after)  # new key first, old ones still readable
    assert audit.verify_chain() is None  # every entry checked with the key it names
    duplicate = Member(name="重复", org=member.org, id_number=number, gender=member.gender,
                       birth_date=member.birth_date)
    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert "id_number" in refused.value.message_dict  # the old blind index is still found
    assert number in staff.post(f"/members/{member.pk}/reveal-id/").content.decode()
    assert rotation.pending()["members.Member.id_number"] > 0

    result = rotation.rotate_all(batch=2)
    assert result["members.Member.id_number"] >= 1
    assert not any(rotation.pending().values())
    assert raw_id_number(member).split(":")[:2] == [get_provider().name, "k2026"]
    assert stored_index(member) == id_number_index(number)
    call_command("rotate_keys", "--check")

    audit.record("update", obj=member, changes={"phone": ["y", "z"]})  # chained under the new key
    assert AuditEntry.objects.order_by("-id").first().key_ref == f"{get_provider().name}:k2026"  # type: ignore[union-attr]
    keys(NEW, after)  # the old key removed: the data still reads ...
    assert number in staff.post(f"/members/{member.pk}/reveal-id/").content.decode()
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    keys(f"{NEW},{OLD},{dev_key()}", after)
    assert audit.verify_chain() is None  # ... and the chain verifies while the old keys are kept


def test_dp_01_rotation_is_resumable_batch_by_batch(personas: Any, keys: Any) -> None:
    keys(f"{OLD},{dev_key()}", AES)
    for member in list(Member.objects.all()[:5]):
        member.save()
    keys(f"{NEW},{OLD},{dev_key()}", AES)
    before = rotation.pending()["members.Member.id_number"]
    assert before > 2  # every member with an ID number (under dev or OLD)
    member_field = next(f for m, f in rotation.encrypted_fields() if m is Member and f.name == "id_number")
    assert rotation.rotate_ciphertexts(Member, member_field, batch=2) == 2  # a run killed after one batch ...
    assert rotation.pending()["members.Member.id_number"] == before - 2
    rotation.rotate_all(batch=2)  # ... continues where it stopped
    assert rotation.pending()["members.Member.id_number"] == 0


@pytest.mark.usefixtures("triggers_dropped")
def test_aud_03_truncation_from_the_end_is_detected(personas: Any, tmp_path: Any, settings: Any) -> None:
    settings.DANGJIAN = {**settings.DANGJIAN, "AUDIT_ANCHOR_FILE": str(tmp_path / "anchors.jsonl")}
    audit.record("update", object_type="x", object_repr="a")
    audit.record("update", object_type="x", object_repr="b")
    anchor = audit.anchor_head()
    assert anchor is not None
    call_command("verify_audit_chain")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id >= %s", [anchor["id"] - 1])
    assert audit.verify_chain() is None  # what is left still chains by itself ...
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_chain")
    assert "TRUNCATED" in str(failure.value) and str(anchor["id"]) in str(failure.value)  # ... the anchor says
