"""The backup container: an encrypted, authenticated, truncation-evident stream (REL-08).

Layout of a ``.djbak`` file::

    MAGIC (8 bytes)  header length (4 bytes, big-endian)  header (JSON)
    chunk*           each: length (4 bytes) + AEAD ciphertext of <= CHUNK bytes

The payload (a gzip-compressed tar) is cut into chunks; each chunk is sealed with the
project's crypto provider (AES-256-GCM or SM4-GCM, :mod:`dangjian.core.crypto`) under a key
derived from the field-encryption key named in the header. The associated data of every chunk
binds the header, the chunk's number and whether it is the last one, so a flipped byte, a
reordered, dropped or appended chunk, a cut-off file or an edited header all fail to
authenticate. A file written by another installation (another key) names a key id this one does
not have, or fails to authenticate. The whole-file SHA-256 is written beside the archive
(``<archive>.sha256``, ``sha256sum -c`` format) for checks before copying it off site.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext

from dangjian.core.crypto import CryptoProvider, DecryptionError, get_provider

MAGIC = b"DJBAK\x00\x01\n"
CHUNK = 1 << 20
FORMAT = "dangjian-backup"
FORMAT_VERSION = 1
_LEN = struct.Struct(">I")
_MAX_HEADER = 64 * 1024


class BackupError(Exception):
    """A backup cannot be written or an archive cannot be restored; the message is for the
    operator (Chinese through the catalog)."""


def archive_key(provider: CryptoProvider, kid: str) -> bytes:
    """The archive key for key id ``kid``: derived, so a leaked archive key is not a field key."""
    return hmac.new(provider.keys[kid], b"dangjian-backup-archive", hashlib.sha256).digest()


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return hashlib.sha256(header).digest() + struct.pack(">Q?", index, last)


class ArchiveWriter(io.RawIOBase):
    """A write-only binary file: compresses, chunks and seals what is written to it."""

    def __init__(self, path: Path, *, info: dict[str, Any]) -> None:
        super().__init__()
        self.provider = get_provider()
        self.kid = self.provider.current_kid
        self._key = archive_key(self.provider, self.kid)
        self._nonce_prefix = os.urandom(4)
        header = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "cipher": self.provider.name,
            "kid": self.kid, "nonce_prefix": self._nonce_prefix.hex(), "chunk": CHUNK, **info,
        }
        self.header = json.dumps(header, sort_keys=True, ensure_ascii=False).encode()
        self.path = path
        self._file = open(path, "wb")  # noqa: SIM115  (closed in close())
        self._digest = hashlib.sha256()
        self._out(MAGIC + _LEN.pack(len(self.header)) + self.header)
        self._zip = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip framing
        self._buffer = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def _out(self, data: bytes) -> None:
        self._file.write(data)
        self._digest.update(data)

    def _seal(self, data: bytes, *, last: bool) -> None:
        nonce = self._nonce_prefix + struct.pack(">Q", self._index)
        sealed = self.provider._seal(self._key, nonce, bytes(data), _aad(self.header, self._index, last))
        self._out(_LEN.pack(len(sealed)) + sealed)
        self._index += 1

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self._buffer += self._zip.compress(view)
        while len(self._buffer) > CHUNK:
            self._seal(self._buffer[:CHUNK], last=False)
            del self._buffer[:CHUNK]
        return len(view)

    def finish(self) -> str:
        """Seal the last chunk and close; returns the file's SHA-256 (also written beside it)."""
        self._buffer += self._zip.flush()
        while len(self._buffer) > CHUNK:
            self._seal(self._buffer[:CHUNK], last=False)
            del self._buffer[:CHUNK]
        self._seal(self._buffer, last=True)
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        digest = self._digest.hexdigest()
        self.path.with_name(self.path.name + ".sha256").write_text(f"{digest}  {self.path.name}\n", encoding="utf-8")
        super().close()
        return digest

    def abort(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


def read_header(handle: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    """The archive's header, or :class:`BackupError` when the file is not one of our archives."""
    magic = handle.read(len(MAGIC))
    if magic != MAGIC:
        raise BackupError(gettext("This file is not a backup of this platform (unknown format)."))
    raw_len = handle.read(_LEN.size)
    if len(raw_len) < _LEN.size:
        raise BackupError(gettext("The backup file is incomplete (truncated)."))
    (length,) = _LEN.unpack(raw_len)
    if not 0 < length <= _MAX_HEADER:
        raise BackupError(gettext("The backup file is damaged: its header cannot be read."))
    raw = handle.read(length)
    if len(raw) != length:
        raise BackupError(gettext("The backup file is incomplete (truncated)."))
    try:
        header = json.loads(raw)
    except ValueError as exc:
        raise BackupError(gettext("The backup file is damaged: its header cannot be read.")) from exc
    if header.get("format") != FORMAT:
        raise BackupError(gettext("This file is not a backup of this platform (unknown format)."))
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            gettext("The backup was written in format version %(version)s, which this release cannot read.")
            % {"version": header.get("format_version")}
        )
    return header, raw


def read_chunks(path: Path) -> tuple[dict[str, Any], Iterator[bytes]]:
    """The header and an iterator over the decompressed payload; every chunk is authenticated
    before it is returned and a missing last chunk raises :class:`BackupError`."""
    handle = open(path, "rb")  # noqa: SIM115  (closed by the generator)
    try:
        header, raw_header = read_header(handle)
    except BaseException:
        handle.close()
        raise
    from dangjian.core.crypto import get_provider_by_name

    try:
        provider = get_provider_by_name(header["cipher"])
    except KeyError as exc:
        handle.close()
        raise BackupError(gettext("The backup uses a cipher this installation does not know.")) from exc
    if header.get("kid") not in provider.keys:
        handle.close()
        raise BackupError(
            gettext(
                "The backup was made by another installation: it is encrypted with key \"%(kid)s\", "
                "which is not among this installation's keys (FIELD_ENCRYPTION_KEYS)."
            ) % {"kid": header.get("kid")}
        )
    key = archive_key(provider, header["kid"])
    prefix = bytes.fromhex(header["nonce_prefix"])

    def chunks() -> Iterator[bytes]:
        unzip = zlib.decompressobj(31)
        index = 0
        try:
            while True:
                raw_len = handle.read(_LEN.size)
                if not raw_len:
                    raise BackupError(gettext("The backup file is incomplete (truncated)."))
                if len(raw_len) < _LEN.size:
                    raise BackupError(gettext("The backup file is incomplete (truncated)."))
                (length,) = _LEN.unpack(raw_len)
                sealed = handle.read(length)
                if len(sealed) < length:
                    raise BackupError(gettext("The backup file is incomplete (truncated)."))
                nonce = prefix + struct.pack(">Q", index)
                data = None
                for last in (False, True):
                    try:
                        data = provider._open(key, nonce, sealed, _aad(raw_header, index, last))
                    except Exception:  # noqa: S112  (try the other flag, then refuse)
                        continue
                    break
                if data is None:
                    raise BackupError(
                        gettext(
                            "The backup file is damaged or was altered: block %(index)s fails its check. "
                            "If it was made by another installation, its key is not this one's."
                        ) % {"index": index + 1}
                    )
                index += 1
                yield unzip.decompress(data)
                if last:
                    if handle.read(1):
                        raise BackupError(gettext("The backup file is damaged: data follows its last block."))
                    tail = unzip.flush()
                    if tail:
                        yield tail
                    return
        except DecryptionError as exc:
            raise BackupError(str(exc)) from exc
        except zlib.error as exc:
            raise BackupError(gettext("The backup file is damaged: its content cannot be unpacked.")) from exc
        finally:
            handle.close()

    return header, chunks()


class ChunkReader(io.RawIOBase):
    """A read-only file over :func:`read_chunks`' payload (for ``tarfile`` in stream mode)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()
