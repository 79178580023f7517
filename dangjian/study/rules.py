"""Pure rules of tests: the answer key's form, grading per question type, the seeded layout.

Nothing here touches the database; :mod:`dangjian.study.services` calls it under its locks.
"""

from __future__ import annotations

import random
import string
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext

LETTERS = string.ascii_uppercase
TRUE, FALSE = "T", "F"


def key_problem(kind: str, options: Sequence[str], answer: str) -> tuple[str, str] | None:
    """(field, message) when the answer key does not fit the question type, else ``None``."""
    key = normalize_choice(answer)
    if kind in ("single", "multiple"):
        if len(options) < 2:
            return "options", gettext("A choice question needs at least two options, one per line.")
        if len(options) > len(LETTERS):
            return "options", gettext("Too many options.")
        allowed = set(LETTERS[: len(options)])
        if not key or not set(key) <= allowed:
            return "answer", gettext("The answer must be option letters from A to %(last)s.") % {
                "last": LETTERS[len(options) - 1]}
        if kind == "single" and len(key) != 1:
            return "answer", gettext("A single choice question has exactly one correct option.")
        if kind == "multiple" and len(key) < 2:
            return "answer", gettext("A multiple choice question has at least two correct options.")
    elif kind == "judge":
        if normalize_judge(answer) not in (TRUE, FALSE):
            return "answer", gettext("The answer of a true or false question is T or F.")
    elif kind == "fill" and not accepted_fills(answer):
        return "answer", gettext("Give at least one accepted answer.")
    return None


def normalize_choice(text: str) -> str:
    """Letters of a choice answer, upper case, sorted, once each ('c, a' -> 'AC')."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(sorted({ch for ch in text if ch in LETTERS}))


def normalize_judge(text: str) -> str:
    value = unicodedata.normalize("NFKC", text or "").strip().upper()
    if value in ("T", "TRUE", "Y", "1", chr(0x5BF9), chr(0x221A), chr(0x6B63) + chr(0x786E)):
        return TRUE
    if value in ("F", "FALSE", "N", "0", chr(0x9519), chr(0xD7), chr(0x9519) + chr(0x8BEF)):
        return FALSE
    return ""


def normalize_fill(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def accepted_fills(answer: str) -> list[str]:
    return [normalize_fill(part) for part in (answer or "").split("|") if normalize_fill(part)]


@dataclass(frozen=True)
class Mark:
    points: Decimal
    correct: bool


def grade(kind: str, key: str, response: str, points: Decimal, *, partial: bool = False) -> Mark:
    """The mark of one response. Multiple choice: all or nothing, or with ``partial`` half the
    points for a correct subset (no wrong option chosen)."""
    zero = Mark(Decimal("0"), False)
    if not response:
        return zero
    if kind in ("single", "multiple"):
        want, got = set(normalize_choice(key)), set(normalize_choice(response))
        if got == want:
            return Mark(points, True)
        if kind == "multiple" and partial and got and got < want:
            return Mark((points / 2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), False)
        return zero
    if kind == "judge":
        return Mark(points, True) if normalize_judge(response) == normalize_judge(key) else zero
    if kind == "fill":
        return Mark(points, True) if normalize_fill(response) in accepted_fills(key) else zero
    return zero


def layout(question_ids: Sequence[int], option_counts: dict[int, int], *, seed: int, shuffle: bool) -> list[list[Any]]:
    """[[question id, [original option index shown first, ...]], ...] for one attempt.

    Deterministic in ``seed`` (a resumed attempt shows the same order); options of true/false and
    fill-in questions are not shuffled (an empty list)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible order, not a secret (the seed is random)
    order = list(question_ids)
    if shuffle:
        rng.shuffle(order)
    result = []
    for qid in order:
        opts = list(range(option_counts.get(qid, 0)))
        if shuffle:
            rng.shuffle(opts)
        result.append([qid, opts])
    return result


def shown_to_original(shown: str, option_order: Sequence[int]) -> str:
    """The member picked shown letters; translate to the bank's letters for storage and grading."""
    letters = normalize_choice(shown)
    out = []
    for letter in letters:
        index = LETTERS.index(letter)
        if index < len(option_order):
            out.append(LETTERS[option_order[index]])
    return "".join(sorted(out))


def original_to_shown(stored: str, option_order: Sequence[int]) -> str:
    position = {orig: i for i, orig in enumerate(option_order)}
    return "".join(sorted(LETTERS[position[LETTERS.index(ch)]] for ch in stored if LETTERS.index(ch) in position))


def public_question(question: Any, option_order: Sequence[int], number: int, saved: str = "") -> dict[str, Any]:
    """What the member's page and the API may show of a question before submission: no key,
    no explanation, the options in the attempt's order, the member's saved answer as shown."""
    options = question.option_list
    shown_saved = saved
    if question.kind in ("single", "multiple"):
        shown_saved = original_to_shown(saved, option_order)
    return {
        "id": question.pk, "number": number, "kind": question.kind, "kind_label": question.get_kind_display(),
        "text": question.text,
        "options": [{"letter": LETTERS[i], "text": options[orig]} for i, orig in enumerate(option_order)
                    if orig < len(options)],
        "saved": shown_saved,
    }


def rapid_share(saved_times: Iterable[Any], started_at: Any, threshold_seconds: int) -> int:
    """Percent of answers saved less than ``threshold_seconds`` after the previous one (or the start)."""
    times = sorted(t for t in saved_times if t is not None)
    if not times:
        return 0
    previous, rapid = started_at, 0
    for t in times:
        if (t - previous).total_seconds() < threshold_seconds:
            rapid += 1
        previous = t
    return round(100 * rapid / len(times))


def percent(score: Decimal, full: Decimal) -> Decimal:
    if not full:
        return Decimal("0")
    return (100 * score / full).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
