"""DP-01 field encryption at rest (raw database dump, tamper detection, SM4 provider) and
REL-04 the SQLite profile."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from django.db import connection

from dangjian.core import idcard
from dangjian.core.crypto import AesGcmProvider, DecryptionError, Sm4GcmProvider, get_provider
from dangjian.core.testing.personas import make_member
from dangjian.members.models import Member

ID_PATTERN = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def raw_dump() -> str:
    """All data as the database stores it: SQLite's dump, or every text column on PostgreSQL."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') ORDER BY 1, 2"
        )
        columns = cursor.fetchall()
        assert ("members_member", "id_number") in columns
        for table, column in columns:
            cursor.execute(f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL')  # noqa: S608
            parts.extend(row[0] for row in cursor.fetchall())
    return "\n".join(parts)


def plausible_ids(text: str) -> set[str]:
    """18-character runs that are valid ID numbers (checksum and birth date), not random digits."""
    found = set()
    for match in ID_PATTERN.findall(text):
        try:
            found.add(idcard.validate(match))
        except Exception:  # noqa: S112 - not an ID number
            continue
    return found


@pytest.mark.django_db
def test_raw_dump_holds_no_id_number(personas: Any) -> None:
    extra = [make_member(personas.b2, name=f"导出测试{n}") for n in range(5)]
    created = {m.id_number for m in [*personas.members.values(), *extra]}
    assert len(created) == 9 and all(len(n) == 18 for n in created)
    dump = raw_dump()
    assert "members_member" in dump or connection.vendor == "postgresql"
    for number in created:
        assert number not in dump, f"plaintext ID number {number} in the database"
        assert number[:17] not in dump
    assert not (plausible_ids(dump) & created)
    # the stored form is the provider's token, and lookups go through the blind index
    stored = raw_column("id_number", personas.members["m_b1"].pk)
    assert stored.startswith(f"{get_provider().name}:")
    assert Member.objects.filter(id_number_index=Member.objects.get(pk=personas.members["m_b1"].pk).id_number_index)


def raw_column(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM members_member WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def flip_one_byte(token: str, position: int) -> str:
    name, kid, blob = token.split(":", 2)
    raw = bytearray(base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4)))
    raw[position] ^= 0x01
    return f"{name}:{kid}:{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"


@pytest.mark.django_db
@pytest.mark.parametrize("position", [0, 12, 20, -1], ids=["nonce", "ciphertext-start", "ciphertext", "tag"])
def test_flipped_ciphertext_byte_raises(personas: Any, position: int) -> None:
    pk = personas.members["m_b2"].pk
    tampered = flip_one_byte(raw_column("id_number", pk), position)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET id_number = %s WHERE id = %s", [tampered, pk])
    with pytest.raises(DecryptionError):
        Member.objects.get(pk=pk)


@pytest.mark.django_db
def test_ciphertext_is_bound_to_its_field(personas: Any) -> None:
    """A token copied into another encrypted field (another context) does not decrypt."""
    provider = get_provider()
    token = provider.encrypt("110101199003071234", context="member.id_number")
    with pytest.raises(DecryptionError):
        provider.decrypt(token, context="other.field")
    assert provider.decrypt(token, context="member.id_number") == "110101199003071234"


KEYS = [("k1", hashlib.sha256(b"provider-conformance-key-1").digest()),
        ("k0", hashlib.sha256(b"provider-conformance-key-0").digest())]


def sm4_available() -> str | None:
    try:
        provider = Sm4GcmProvider(KEYS)
        provider.decrypt(provider.encrypt("x"))
        hashlib.new("sm3")
    except Exception as exc:
        return f"this OpenSSL build lacks SM4-GCM or SM3: {exc!r}"
    return None


@pytest.mark.parametrize("provider_class", [AesGcmProvider, Sm4GcmProvider])
def test_provider_conformance(provider_class: type[Any]) -> None:
    if provider_class is Sm4GcmProvider and (reason := sm4_available()):
        pytest.skip(reason)
    provider = provider_class(KEYS)
    for text in ("110101199003071234", "", "党员 é 😀" * 50):
        token = provider.encrypt(text, context="c")
        assert token.startswith(f"{provider.name}:k1:")
        assert text == provider.decrypt(token, context="c")
        if text:
            assert text not in token
    assert provider.encrypt("same") != provider.encrypt("same")  # random nonce
    with pytest.raises(DecryptionError):
        provider.decrypt(flip_one_byte(provider.encrypt("secret"), 14))
    with pytest.raises(DecryptionError):
        provider.decrypt("garbage")
    index = provider.blind_index("110101199003071234", purpose="p")
    assert index == provider.blind_index("110101199003071234", purpose="p")
    assert index != provider.blind_index("110101199003071234", purpose="q")
    assert index != provider.blind_index("110101199003071235", purpose="p")


def test_sm4_blind_index_differs_from_aes() -> None:
    if reason := sm4_available():
        pytest.skip(reason)
    aes, sm4 = AesGcmProvider(KEYS), Sm4GcmProvider(KEYS)
    value = "110101199003071234"
    assert sm4.blind_index(value, purpose="member.id_number") != aes.blind_index(value, purpose="member.id_number")
    assert len(sm4.blind_index(value, purpose="x")) == 64  # SM3 digest, hex
    token = sm4.encrypt(value)
    assert token.startswith("sm4gcm:")
    assert sm4.decrypt(token) == value
    with pytest.raises(DecryptionError):  # same key material, other algorithm: no silent fallback
        aes.decrypt("aesgcm" + token[len("sm4gcm"):])


# --- REL-04: the SQLite profile -------------------------------------------------------------


@pytest.mark.django_db
def test_sqlite_pragmas() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite profile only (PostgreSQL runs fsync/synchronous_commit on)")
    with connection.cursor() as cursor:
        values = {}
        for pragma in ("journal_mode", "synchronous", "secure_delete", "foreign_keys", "busy_timeout"):
            cursor.execute(f"PRAGMA {pragma}")
            values[pragma] = cursor.fetchone()[0]
    assert values["journal_mode"] == "wal"
    assert values["synchronous"] == 2  # FULL
    assert values["secure_delete"] == 1
    assert values["foreign_keys"] == 1
    assert values["busy_timeout"] >= 20_000
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert not connection.settings_dict["ATOMIC_REQUESTS"]


@pytest.mark.django_db
def test_postgresql_durability() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL profile only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW fsync")
        assert cursor.fetchone()[0] == "on"
    assert not connection.settings_dict["ATOMIC_REQUESTS"]
