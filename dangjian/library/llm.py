"""The optional language-model adapter: a model the bureau runs on its own intranet behind an
OpenAI-compatible ``/v1/chat/completions`` endpoint. Off unless the operator sets
``DANGJIAN_LLM_URL`` (settings ``DANGJIAN["LLM"]``).

The model never writes the answer's content. It receives the question and the retrieved
articles, numbered, and is asked to answer only by quoting sentences of those articles, each
ending with its number ``[n]``. Every returned sentence is then checked mechanically: it must
cite an article it was given and be present in that article's text verbatim; anything else is
dropped, and with nothing left the extractive answer stands.

Egress: the prompt leaves only after :func:`redact` replaced ID-card numbers, phone numbers and
the names of members in the member table; :func:`egress_problems` is checked again on the final
text and a prompt that still holds any is refused (nothing is sent).
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from dangjian.library.models import Article

log = logging.getLogger(__name__)

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
CITE = re.compile(r"\s*\[(\d+)\]\s*")
_CJK = re.compile(r"[\u4e00-\u9fff]{2,4}")


def config() -> dict[str, Any]:
    value: Any = settings.DANGJIAN.get("LLM") or {}
    return dict(value)


def enabled() -> bool:
    return bool(config().get("URL"))


def member_names_in(text: str) -> set[str]:
    """Names of members (the member table) that occur in ``text`` (one indexed query)."""
    from dangjian.members.models import Member

    grams: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        for size in (2, 3, 4):
            grams.update(run[i:i + size] for i in range(len(run) - size + 1))
    if not grams:
        return set()
    found: set[str] = set()
    chunk = sorted(grams)
    for start in range(0, len(chunk), 500):
        found.update(Member.objects.filter(name__in=chunk[start:start + 500]).values_list("name", flat=True))  # scope-ok: egress check
    return found


def redact(text: str) -> str:
    text = ID_NUMBER.sub("[ID]", text)
    text = PHONE.sub("[PHONE]", text)
    for name in sorted(member_names_in(text), key=len, reverse=True):
        text = text.replace(name, "[NAME]")
    return text


def egress_problems(text: str) -> list[str]:
    problems = []
    if ID_NUMBER.search(text):
        problems.append("id_number")
    if PHONE.search(text):
        problems.append("phone")
    if member_names_in(text):
        problems.append("name")
    return problems


SYSTEM = (
    "You answer questions about party regulations. Use ONLY the numbered articles given. "
    "Answer with one or more sentences copied verbatim from those articles, each followed by the "
    "article's number in square brackets, e.g. [1]. Never add words of your own."
)


def build_prompt(question: str, articles: list[Article]) -> list[dict[str, str]]:
    blocks = [f"[{i}] {a.citation_text}\n{a.text}" for i, a in enumerate(articles, start=1)]
    user = f"{redact(question)}\n\n" + "\n\n".join(blocks)
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def _post(messages: list[dict[str, str]]) -> str:
    cfg = config()
    body = json.dumps({"model": cfg.get("MODEL", "local"), "messages": messages, "temperature": 0}).encode()
    headers = {"Content-Type": "application/json"}
    if cfg.get("KEY"):
        headers["Authorization"] = f"Bearer {cfg['KEY']}"
    url = cfg["URL"].rstrip("/") + "/v1/chat/completions"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - operator's URL
    with urllib.request.urlopen(request, timeout=float(cfg.get("TIMEOUT", 20))) as response:  # noqa: S310
        data = json.loads(response.read().decode("utf-8"))
    return str(data["choices"][0]["message"]["content"])


def checked_quotes(reply: str, articles: list[Article]) -> list[Any]:
    """The sentences of ``reply`` that cite a given article and are present in it verbatim."""
    from dangjian.library.answer import Quote

    quotes = []
    # a sentence is the text up to and including its citation mark
    for m in re.finditer(r"(.+?)\[(\d+)\]", reply.replace("\n", " "), flags=re.S):
        text, number = m.group(1).strip(" \u3000\t"), int(m.group(2))  # zh-ok: text pattern of regulations, not a message
        if not 1 <= number <= len(articles) or not text:
            continue
        article = articles[number - 1]
        if text in article.text:
            quotes.append(Quote(article, text))
        else:
            log.info("llm sentence dropped: not in article %s", article.pk)
    return quotes


def phrase(question: str, articles: list[Article]) -> list[Any] | None:
    """The model's choice of quotes (checked), or ``None`` (off, refused, failed, nothing valid)."""
    if not enabled() or not articles:
        return None
    messages = build_prompt(question, articles)
    outgoing = "\n".join(m["content"] for m in messages)
    if egress_problems(outgoing):
        log.warning("llm prompt refused: personal data after redaction")
        return None
    try:
        reply = _post(messages)
    except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("llm call failed: %s", exc)
        return None
    return checked_quotes(reply, articles) or None
