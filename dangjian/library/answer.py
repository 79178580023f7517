"""Questions answered with citations: extractive quotes from the best articles, plus the value the
platform itself holds for the rule (its rules rows), so the library and the system cannot
disagree.

An answer never contains a sentence of its own: ``quotes`` are sentences cut verbatim from the
retrieved articles (:func:`dangjian.library.text.sentences`), each with its article; ``facts``
are rule rows read from the database at the moment of asking, each with the article its
citation names. The optional model adapter (:mod:`dangjian.library.llm`) may only choose and
order quoted sentences; whatever it returns is checked against the articles again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from dangjian.library.models import Article, Citation
from dangjian.library.search import Hit, search
from dangjian.library.text import query_terms, segment, sentences, terms


@dataclass
class Quote:
    article: Article
    text: str


@dataclass
class Fact:
    label: str
    value: str
    rule: str  # "app.model:pk"
    article: Article | None = None


@dataclass
class Answer:
    question: str
    hits: list[Hit]
    quotes: list[Quote] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    phrased_by_model: bool = False

    @property
    def found(self) -> bool:
        return bool(self.quotes)


def cited_article(rule_model: str, object_id: int | None) -> Article | None:
    """The article a rule row cites (its own citation, else its table's)."""
    rows = Citation.objects.filter(rule_model=rule_model).select_related("article__edition__document")
    row = (rows.filter(object_id=object_id).first() if object_id is not None else None) \
        or rows.filter(object_id__isnull=True).first()
    return row.article if row is not None else None


def best_sentences(article: Article, qterms: list[str], count: int) -> list[str]:
    """The ``count`` sentences of ``article`` sharing most query terms, in the article's order."""
    wanted = set(qterms)
    scored = []
    for index, sentence in enumerate(sentences(article.text)):
        overlap = len(wanted & set(terms(sentence)))
        scored.append((overlap, index, sentence))
    best = sorted(scored, key=lambda t: (-t[0], t[1]))[:count]
    return [s for overlap, _i, s in sorted(best, key=lambda t: t[1]) if overlap > 0]


# --- the platform's own values ---------------------------------------------------------------


def _has(qterms: set[str], *groups: tuple[str, ...]) -> bool:
    return all(any(word in qterms for word in group) for group in groups)


def _dues_facts(qterms: set[str], today: dt.date) -> list[Fact]:
    if not _has(qterms, ("党费",)):  # zh-ok: vocabulary of questions
        return []
    from dangjian.dues.models import DuesBand, DuesStandard

    standard = DuesStandard.in_force(today)
    if standard is None:
        return []
    retired = _has(qterms, ("退休", "离退休", "养老金"))  # zh-ok: vocabulary of questions
    kind = "retired" if retired else "employed"
    bands = list(DuesBand.objects.filter(standard=standard, kind=kind).order_by("upper_bound"))
    bands.sort(key=lambda b: (b.upper_bound is None, b.upper_bound or 0))
    if not bands:
        return []
    parts = []
    for band in bands:
        bound = gettext("up to %(bound)s yuan") % {"bound": f"{band.upper_bound:.2f}"} if band.upper_bound is not None \
            else gettext("above")
        parts.append(f"{bound} {band.rate_percent.normalize():f}%")
    label = gettext("Dues rates of retired members") if retired else gettext("Dues rates of employed members")
    rule = f"dues.duesband:{bands[0].pk}"
    return [Fact(label=f"{label}（{standard}）", value="；".join(parts), rule=rule,  # zh-ok: punctuation
                 article=cited_article("dues.duesband", bands[0].pk))]


def _meeting_facts(qterms: set[str], today: dt.date) -> list[Fact]:
    from dangjian.meetings.models import MeetingKind, MeetingRequirement

    codes = []
    if _has(qterms, ("支委会", "支部委员会", "委员会")):  # zh-ok: vocabulary of questions
        codes.append("branch_committee")
    if _has(qterms, ("党员大会", "支部大会")):  # zh-ok: vocabulary of questions
        codes.append("branch_general_meeting")
    facts = []
    for kind in MeetingKind.objects.filter(code__in=codes):
        if _has(qterms, ("到会", "出席", "有效", "人数", "到会人数", "多少")):  # zh-ok: vocabulary of questions
            facts.append(Fact(label=gettext("Quorum of %(kind)s") % {"kind": kind.name}, value=kind.get_quorum_display(),
                              rule=f"meetings.meetingkind:{kind.pk}", article=cited_article("meetings.meetingkind", kind.pk)))
        if _has(qterms, ("多久", "每月", "频次", "几次", "召开", "一次", "多长")):  # zh-ok: vocabulary of questions
            req = MeetingRequirement.rows_in_force(today.year).filter(kind=kind).first()
            if req is not None:
                facts.append(Fact(
                    label=gettext("How often %(kind)s is held") % {"kind": kind.name},
                    value=gettext("%(period)s, %(times)s times") % {"times": req.times, "period": req.get_frequency_display()},
                    rule=f"meetings.meetingrequirement:{req.pk}",
                    article=cited_article("meetings.meetingrequirement", req.pk)))
    return facts


FACT_PROVIDERS: list[Callable[[set[str], dt.date], list[Fact]]] = [_dues_facts, _meeting_facts]


def platform_facts(question: str, today: dt.date | None = None) -> list[Fact]:
    qterms = set(terms(question)) | set(segment(question))
    today = today or timezone.localdate()
    out: list[Fact] = []
    for provider in FACT_PROVIDERS:
        out.extend(provider(qterms, today))
    return out


def answer(question: str, *, use_model: bool | None = None, today: dt.date | None = None) -> Answer:
    """The cited answer to ``question``: quotes from the top articles and the platform's values."""
    hits = search(question, limit=5, at=today)
    result = Answer(question=question, hits=hits, facts=platform_facts(question, today))
    if not hits:
        return result
    qterms = query_terms(question)
    top = hits[0]
    result.quotes = [Quote(top.article, s) for s in best_sentences(top.article, qterms, 2)]
    if len(hits) > 1 and hits[1].score >= 0.8 * top.score:
        result.quotes += [Quote(hits[1].article, s) for s in best_sentences(hits[1].article, qterms, 1)]
    if not result.quotes:
        result.quotes = [Quote(top.article, s) for s in sentences(top.article.text)[:1]]
    from dangjian.library import llm

    if llm.enabled() if use_model is None else use_model:
        phrased = llm.phrase(question, [h.article for h in hits[:3]])
        if phrased:
            result.quotes, result.phrased_by_model = phrased, True
    return result


def answer_is_extractive(result: Answer) -> bool:
    """Every quoted sentence is present, verbatim, in the article it cites."""
    return all(q.text and q.text in q.article.text for q in result.quotes)


def as_dict(result: Answer) -> dict[str, Any]:
    def art(a: Article | None) -> dict[str, Any] | None:
        if a is None:
            return None
        return {"id": a.pk, "citation": a.citation_text, "url": a.get_absolute_url()}

    return {
        "question": result.question,
        "phrased_by_model": result.phrased_by_model,
        "quotes": [{"text": q.text, "article": art(q.article)} for q in result.quotes],
        "facts": [{"label": f.label, "value": f.value, "rule": f.rule, "article": art(f.article)} for f in result.facts],
        "articles": [{"score": h.score, "text": h.article.text, **(art(h.article) or {})} for h in result.hits],
    }
