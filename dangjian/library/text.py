"""Chinese text for the library: word segmentation (rjieba, the Rust jieba), the search terms of
a text or a question, Chinese numerals of article numbers, and sentence splitting.

Segmentation is jieba's search mode (``cut_for_search``): long words are also cut into their
shorter words, so "支部委员会" matches "支委会"-less texts through "委员会" and "支部". Single
characters carry little meaning in Chinese retrieval; they are kept only when a text has
nothing else (a one-character query). Stop words are the function words of regulation prose.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

#: The vocabulary of the segmenter (data, not messages): stop words of regulation prose, the
#: regulation's words for a question's colloquial ones, the example questions of the search page.
VOCABULARY = json.loads((Path(__file__).with_name("vocabulary.json")).read_text(encoding="utf-8"))
STOP_WORDS = frozenset(VOCABULARY["stop_words"])
SYNONYMS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in VOCABULARY["synonyms"].items()}
EXAMPLES: tuple[str, ...] = tuple(VOCABULARY["examples"])

DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}  # zh-ok: numerals of article numbers
UNITS = {"十": 10, "百": 100, "千": 1000}  # zh-ok: numerals of article numbers
NUMERAL = "零一二三四五六七八九十百千〇两"  # zh-ok: numerals of article numbers


@cache
def _jieba() -> object:
    import rjieba

    return rjieba


def segment(text: str) -> list[str]:
    """The words of ``text`` in search mode (overlapping shorter words included)."""
    jieba = _jieba()
    return [w for w in jieba.cut_for_search(text) if w.strip()]  # type: ignore[attr-defined]


def _is_word(token: str) -> bool:
    return bool(re.search(r"\w", token)) and token not in STOP_WORDS


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of every run of Chinese characters (segmentation-proof)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def terms(text: str) -> list[str]:
    """The index terms of a text: segmented words (two characters or more) without stop words or
    punctuation, lower case, plus the character bigrams, so that a word the segmenter cut
    differently in the question and in the article ("到会" / "到" "会") still matches."""
    words = [w.lower() for w in segment(text) if _is_word(w)]
    longer = [w for w in words if len(w) > 1]
    grams = [g for g in bigrams(text) if g not in STOP_WORDS]
    found = longer + grams
    return found if found else words


def query_terms(question: str) -> list[str]:
    """The terms of a question: its own terms plus the regulation's words for its colloquial ones."""
    found = terms(question)
    out: list[str] = []
    for term in found:
        out.append(term)
        for synonym in SYNONYMS.get(term, ()):
            out.extend(terms(synonym) if len(synonym) > 2 else [synonym])
    # keep the order, drop repeats
    return list(dict.fromkeys(t for t in out if t))


def term_counts(text: str) -> Counter[str]:
    return Counter(terms(text))


def chinese_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105; also "12". None if not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in NUMERAL for c in text):
        return None
    text = text.replace("〇", "零").replace("两", "二")  # zh-ok: numerals
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        else:
            unit = UNITS[char]
            total += (current or 1) * unit
            current = 0
    return total + current


def number_label(number: int, unit: str) -> str:
    """12 -> 第十二条 (unit 条) / 第十二章 (unit 章)."""
    return f"\u7b2c{to_chinese(number)}{unit}"  # zh-ok: text pattern of regulations, not a message


def to_chinese(number: int) -> str:
    digits = "零一二三四五六七八九"  # zh-ok: numerals
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")  # zh-ok: numerals
    if number < 100:
        return digits[number // 10] + "十" + (digits[number % 10] if number % 10 else "")  # zh-ok: numerals
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return digits[hundreds] + "百"  # zh-ok: numerals
    middle = "零" if rest < 10 else ""  # zh-ok: numerals
    tail = to_chinese(rest) if rest >= 20 or rest < 10 else "一" + to_chinese(rest)  # zh-ok: numerals
    return digits[hundreds] + "百" + middle + tail  # zh-ok: numerals


#: "第十二条" / "第12条" in a question: an article number.
ARTICLE_REF = re.compile(r"\u7b2c\s*([0-9" + NUMERAL + r"]+)\s*\u6761")

SENTENCE_END = re.compile(r"(?<=[。；！？!?;])")  # zh-ok: text pattern of regulations, not a message


def sentences(text: str) -> list[str]:
    """The sentences of an article (split after 。；！？), items kept whole, blanks dropped."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(part.strip() for part in SENTENCE_END.split(line) if part.strip())
    return out
