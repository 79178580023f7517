"""Field encryption behind one provider interface (SECURITY.md DP-01, 密评 crypto agility).

Values are stored as ``<provider>:<key id>:<base64 nonce+ciphertext>``; the key id lets a
rotation re-encrypt row by row while both keys are loaded. Lookups and uniqueness use a
keyed blind index (HMAC), never the plaintext.

Two providers:
- ``AesGcmProvider``: AES-256-GCM, blind index HMAC-SHA256 (the default);
- ``Sm4GcmProvider``: SM4-GCM, blind index HMAC-SM3 (GB/T 39786 algorithms), where the
  OpenSSL build supports them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class DecryptionError(Exception):
    """A stored value could not be authenticated or decrypted (tampered, or unknown key)."""


def _load_keys() -> list[tuple[str, bytes]]:
    raw = settings.FIELD_ENCRYPTION_KEYS
    keys: list[tuple[str, bytes]] = []
    if raw:
        for part in raw.split(","):
            kid, _, b64 = part.strip().partition(":")
            key = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
            if len(key) != 32:
                raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: each key must be 32 bytes (base64).")
            keys.append((kid, key))
    elif settings.DEBUG or getattr(settings, "TESTING", False):
        # Development and tests only: derive a key from the secret key so the demo runs
        # without setup. Production refuses to start without explicit keys (checks.py).
        keys.append(("dev", hashlib.sha256(b"field-key:" + settings.SECRET_KEY.encode()).digest()))
    else:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in production.")
    return keys


class CryptoProvider:
    """Interface: authenticated encryption of text fields and a keyed blind index."""

    name = "base"

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        self.keys = dict(keys)
        self.current_kid = keys[0][0]

    # -- to implement -------------------------------------------------------------------
    def _seal(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        raise NotImplementedError

    def _open(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        raise NotImplementedError

    def _mac(self, key: bytes, data: bytes) -> str:
        raise NotImplementedError

    # -- public -----------------------------------------------------------------------
    def encrypt(self, plaintext: str, *, context: str = "") -> str:
        key = self.keys[self.current_kid]
        nonce = os.urandom(12)
        sealed = self._seal(key, nonce, plaintext.encode(), context.encode())
        blob = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{self.name}:{self.current_kid}:{blob}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        try:
            name, kid, blob = token.split(":", 2)
            raw = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
            provider = self if name == self.name else get_provider_by_name(name)
            key = provider.keys[kid]
            return provider._open(key, raw[:12], raw[12:], context.encode()).decode()
        except DecryptionError:
            raise
        except Exception as exc:  # any malformed or unauthenticated token
            raise DecryptionError(str(exc) or exc.__class__.__name__) from exc

    def needs_rotation(self, token: str) -> bool:
        name, kid, _ = token.split(":", 2)
        return name != self.name or kid != self.current_kid

    @property
    def current_ref(self) -> str:
        """``<provider>:<key id>`` of the current key: stored beside every MAC made with it."""
        return f"{self.name}:{self.current_kid}"

    def blind_index(self, value: str, *, purpose: str, kid: str | None = None) -> str:
        """Deterministic keyed digest for equality lookups; the index key is derived per purpose."""
        index_key = hmac.new(self.keys[kid or self.current_kid], b"blind-index:" + purpose.encode(), "sha256").digest()
        return self._mac(index_key, value.encode())

    def keyed_mac(self, data: bytes, *, purpose: str, kid: str | None = None) -> str:
        key = hmac.new(self.keys[kid or self.current_kid], purpose.encode(), "sha256").digest()
        return self._mac(key, data)


class AesGcmProvider(CryptoProvider):
    name = "aesgcm"

    def _seal(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        return AESGCM(key).encrypt(nonce, data, aad)

    def _open(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        return AESGCM(key).decrypt(nonce, data, aad)

    def _mac(self, key: bytes, data: bytes) -> str:
        return hmac.new(key, data, hashlib.sha256).hexdigest()


class Sm4GcmProvider(CryptoProvider):
    """SM4-GCM with HMAC-SM3 for the blind index (a 128-bit SM4 key from the first 16 bytes)."""

    name = "sm4gcm"

    def _seal(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        enc = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        return enc.update(data) + enc.finalize() + enc.tag

    def _open(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        body, tag = data[:-16], data[-16:]
        dec = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(aad)
        return dec.update(body) + dec.finalize()

    def _mac(self, key: bytes, data: bytes) -> str:
        return hmac.new(key, data, "sm3").hexdigest()


_PROVIDERS = {"aesgcm": AesGcmProvider, "sm4gcm": Sm4GcmProvider}


@lru_cache(maxsize=1)
def get_provider() -> CryptoProvider:
    """The configured provider (settings.FIELD_CRYPTO_PROVIDER) with the configured keys."""
    cls = import_string(settings.FIELD_CRYPTO_PROVIDER)
    return cls(_load_keys())


def get_provider_by_name(name: str) -> CryptoProvider:
    return _PROVIDERS[name](_load_keys())


def mac(data: bytes, *, purpose: str, ref: str | None = None) -> str:
    """A keyed digest (used by the audit hash chain) with the current key, or with the key
    named by ``ref`` (``<provider>:<key id>``, as stored beside the digest)."""
    if ref is None:
        return get_provider().keyed_mac(data, purpose=purpose)
    name, _, kid = ref.partition(":")
    try:
        provider = get_provider() if name == get_provider().name else get_provider_by_name(name)
        return provider.keyed_mac(data, purpose=purpose, kid=kid)
    except KeyError as exc:
        raise DecryptionError(f"key {ref} is not loaded") from exc


def current_ref() -> str:
    return get_provider().current_ref


def all_refs() -> list[str]:
    """Every (provider, key) pair that may have made a stored digest: the loaded keys under
    both providers (values written before key ids were stored are checked against each)."""
    keys = [kid for kid, _key in _load_keys()]
    return [f"{name}:{kid}" for name in _PROVIDERS for kid in keys]


def blind_index_candidates(value: str, *, purpose: str) -> list[str]:
    """The blind index of ``value`` under every loaded key and provider, current first: a
    lookup finds rows indexed before a rotation finished (``manage.py rotate_keys``)."""
    found: list[str] = []
    current = get_provider()
    for provider in [current, *(cls(_load_keys()) for name, cls in _PROVIDERS.items() if name != current.name)]:
        for kid in provider.keys:
            try:
                digest = provider.blind_index(value, purpose=purpose, kid=kid)
            except Exception:  # noqa: BLE001, S112 — a provider this OpenSSL cannot run
                continue
            if digest not in found:
                found.append(digest)
    return found
