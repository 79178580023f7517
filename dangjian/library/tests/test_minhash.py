"""The MinHash signature is stored in the database: its values must never change (a new
computation would stop matching the signatures already stored), and near copies must share
a band while different records do not."""

from __future__ import annotations

from dangjian.library import minhash

MINUTES = "会议主题：学习贯彻党的二十届三中全会精神。应到12人，实到11人，请假1人。大家一致表示要把学习成果转化为工作动力。"


def _by_definition(shingle_set: set[bytes]) -> list[int]:
    hashes = [minhash._h64(s) for s in shingle_set]
    return [min(((a * h + b) % minhash._PRIME) & minhash._MAX for h in hashes)
            for a, b in zip(minhash._A, minhash._B, strict=True)]


def test_the_signature_is_the_column_minimum_of_the_definition() -> None:
    shingle_set = minhash.shingles(minhash.normalise(MINUTES))
    assert minhash.signature(shingle_set) == _by_definition(shingle_set)
    assert minhash.signature(shingle_set) == minhash.signature(shingle_set)  # the kept rows give the same
    assert minhash.signature(set()) == [minhash._MAX] * minhash.PERMUTATIONS


def test_stored_signatures_stay_comparable() -> None:
    """Values computed by the first release for a fixed text: a change of the coefficients, the
    hash or the normalisation shows here before it silently splits old and new signatures."""
    sig = minhash.signature(minhash.shingles(minhash.normalise(MINUTES)))
    assert sig[:4] == [24798163, 266402858, 60077569, 37476969]
    assert minhash.band_keys(sig)[:2] == [422378981803878206, 7931231545463454388]
    assert minhash.unpack(minhash.pack(sig)) == sig


def test_a_copy_with_names_and_figures_changed_shares_a_band_and_another_text_does_not() -> None:
    copy = MINUTES.replace("12人", "15人").replace("11人", "14人")
    other = "会议主题：研究发展党员工作。支委会讨论了两名入党积极分子的培养考察情况，同意列为发展对象。"
    sig, sig_copy, sig_other = (minhash.signature(minhash.shingles(minhash.normalise(t))) for t in (MINUTES, copy, other))
    assert minhash.similarity(sig, sig_copy) == 1.0
    assert set(minhash.band_keys(sig)) & set(minhash.band_keys(sig_copy))
    assert minhash.similarity(sig, sig_other) < 0.3
    assert not set(minhash.band_keys(sig)) & set(minhash.band_keys(sig_other))
