"""Search of the library: the inverted index and BM25 ranking, the same on SQLite and PostgreSQL.

An article's terms (:func:`dangjian.library.text.terms`: jieba words plus character bigrams) are
written to ``Posting`` when the article is saved through :func:`index_articles`. A query reads
only the postings of its own terms (one indexed ``term IN (...)`` query restricted to the
versions in force), scores them with Okapi BM25 (k1 = 1.2, b = 0.75) in Python and loads the
top articles. An article number in the question ("第十二条") and a verbatim phrase lift the
articles that hold them above the purely statistical ranking.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dangjian.core.bulk import insert
from dangjian.library.models import Article, Document, Posting, Version
from dangjian.library.text import ARTICLE_REF, chinese_number, query_terms, term_counts

K1 = 1.2
B = 0.75
NUMBER_BOOST = 25.0
PHRASE_BOOST = 10.0


def index_articles(articles: Iterable[Article]) -> int:
    """(Re)write the postings of ``articles``; returns the number of postings written."""
    rows: list[Posting] = []
    changed: list[Article] = []
    ids = []
    for article in articles:
        counts = term_counts(f"{article.chapter}\n{article.text}")
        article.length = sum(counts.values())
        changed.append(article)
        ids.append(article.pk)
        rows.extend(Posting(term=t[:40], article_id=article.pk, tf=min(n, 32767)) for t, n in counts.items())
    with transaction.atomic():
        Posting.objects.filter(article_id__in=ids).delete()
        insert(rows, returning=False)
        Article.objects.bulk_update(changed, ["length"], batch_size=1000)
    return len(rows)


def versions_in_force(at: dt.date | None = None) -> dict[int, int]:
    """document id -> id of its version in force at ``at`` (the earliest one before any)."""
    at = at or timezone.localdate()
    chosen: dict[int, tuple[dt.date, int]] = {}
    earliest: dict[int, tuple[dt.date, int]] = {}
    for pk, doc, start in Version.objects.values_list("pk", "document_id", "effective_from"):
        if start <= at and (doc not in chosen or start > chosen[doc][0]):
            chosen[doc] = (start, pk)
        if doc not in earliest or start < earliest[doc][0]:
            earliest[doc] = (start, pk)
    return {doc: (chosen.get(doc) or earliest[doc])[1] for doc in earliest}


@dataclass
class Hit:
    article: Article
    score: float
    matched: list[str] = field(default_factory=list)

    @property
    def highlighted(self) -> SafeString:
        return highlight(self.article.text, self.matched)


def highlight(text: str, words: Iterable[str]) -> SafeString:
    """The text HTML-escaped with the matched words in ``<mark>`` (longest first)."""
    escaped = html.escape(text)
    found = sorted({w for w in words if len(w) > 1 and w in text}, key=len, reverse=True)
    if not found:
        return mark_safe(escaped.replace("\n", "<br>"))  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(html.escape(w)) for w in found))
    marked = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return mark_safe(marked.replace("\n", "<br>"))  # noqa: S308 - escaped above, marks are ours


def _documents_named(query: str, prefix: str) -> list[int]:
    """Regulations the question names: by their title or short title, or whose title holds the
    words written before the article number ("党建工作办法第三条")."""
    prefix = re.sub(r"[\W_]+", "", prefix)
    found = []
    for pk, title, short in Document.objects.values_list("pk", "title", "short_title"):
        names = [title, *(s for s in short.split() if s)]
        if any(n and n in query for n in names) or (len(prefix) >= 2 and prefix in title):
            found.append(pk)
    return found


def search(query: str, *, limit: int = 10, at: dt.date | None = None, version_ids: Iterable[int] | None = None) -> list[Hit]:
    """The articles best matching ``query`` among the versions in force (or ``version_ids``)."""
    query = query.strip()[:500]
    if not query:
        return []
    versions = list(version_ids) if version_ids is not None else list(versions_in_force(at).values())
    if not versions:
        return []
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, list[str]] = defaultdict(list)

    # 1. An article number ("第十二条", "第12条"), optionally with the regulation's name.
    for m in ARTICLE_REF.finditer(query):
        number = chinese_number(m.group(1))
        if number is None:
            continue
        named = _documents_named(query, query[: m.start()])
        rows = Article.objects.filter(edition_id__in=versions, number=number)
        if named:
            rows = rows.filter(edition__document_id__in=named)
        for pk in rows.values_list("pk", flat=True):
            scores[pk] += NUMBER_BOOST
    rest = ARTICLE_REF.sub(" ", query)

    # 2. BM25 over the postings of the query's terms.
    qterms = query_terms(rest)
    if qterms:
        stats = Article.objects.filter(edition_id__in=versions).aggregate(n=Count("pk"), avg=Avg("length"))
        total, avgdl = stats["n"] or 0, float(stats["avg"] or 1.0)
        postings = list(Posting.objects.filter(term__in=qterms, article__edition_id__in=versions)
                        .values_list("term", "article_id", "tf", "article__length"))
        df = Counter(term for term, _a, _t, _l in postings)
        weight = Counter(qterms)
        for term, article_id, tf, length in postings:
            idf = math.log(1 + (total - df[term] + 0.5) / (df[term] + 0.5))
            norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * (length or 0) / avgdl))
            scores[article_id] += weight[term] * idf * norm
            matched[article_id].append(term)

    if not scores:
        return []
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[: max(limit * 3, 30)]
    articles = Article.objects.select_related("edition__document").in_bulk([pk for pk, _s in ranked])

    # 3. A verbatim phrase lifts the articles that hold it.
    phrase = re.sub(r"[\s?？!！。，,]+", "", rest)  # zh-ok: text pattern of regulations, not a message
    final = []
    for pk, score in ranked:
        article = articles[pk]
        if len(phrase) >= 4 and phrase in re.sub(r"\s+", "", article.text):
            score += PHRASE_BOOST
        final.append(Hit(article=article, score=round(score, 4), matched=matched.get(pk, [])))
    final.sort(key=lambda h: (-h.score, h.article.pk))
    return final[:limit]
