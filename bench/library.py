"""Bench of the rules library (issue 22 item 4): article search and the near-duplicate look-up of
one record, at province scale, each as a ratio to its bare SQL floor.

    .venv/bin/python bench/library.py --articles 10000 --records 100000 [--db postgres]

It builds its own throwaway database (SQLite under bench/out/library, or the PostgreSQL database
``dangjian_bench_library``): the seeded regulations plus ``--articles`` synthetic articles made of
real regulation sentences (indexed by the real code), and ``--records`` record signatures with
their 16 LSH band keys (random signatures, plus 20 planted copies of the probe). Then it times

- ``search(question)`` for the fixed question set, against the floor: the one indexed
  ``SELECT term, article_id, tf FROM library_posting WHERE term IN (...)`` the search must do;
- ``quality.candidates(...)`` of one record, against the floor: the bare
  ``SELECT meeting_id FROM library_recordband WHERE band_key IN (...)``.

Median of repeated runs, milliseconds. Signatures are random (real minutes share more bands:
more candidates to compare, still bounded by ``MAX_CANDIDATES``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import median_ms, prepare  # noqa: E402


def setup(db: str) -> None:
    prepare("library", db)


def build_articles(n: int, rng: random.Random) -> None:
    from dangjian.library.models import Article, Document, Version
    from dangjian.library.search import index_articles
    from dangjian.library.text import sentences

    pool = [s for a in Article.objects.all() for s in sentences(a.text)]
    doc = Document(code="bench", title="bench")
    doc.save()
    version = Version(document=doc, label="1", effective_from=__import__("datetime").date(2020, 1, 1))
    version.save()
    rows = [Article(edition=version, number=i + 1, label=str(i + 1), text="".join(rng.sample(pool, 3)))
            for i in range(n)]
    Article.objects.bulk_create(rows, batch_size=2000)
    ids = list(Article.objects.filter(edition=version).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        index_articles(Article.objects.filter(pk__in=ids[start:start + 2000]))


def build_records(n: int, rng: random.Random) -> list[int]:
    from django.db import connection

    from dangjian.library import minhash

    probe = [rng.getrandbits(32) for _ in range(minhash.PERMUTATIONS)]
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA foreign_keys=OFF")
        else:
            cur.execute("ALTER TABLE library_recordprint DROP CONSTRAINT IF EXISTS "
                        "library_recordprint_meeting_id_key CASCADE")
            cur.execute("SET session_replication_role = replica")  # no FK checks for synthetic ids
        batch_p, batch_b = [], []
        for i in range(1, n + 1):
            if i <= 20:  # planted copies: the probe with a few values changed
                sig = list(probe)
                for j in rng.sample(range(len(sig)), 8):
                    sig[j] = rng.getrandbits(32)
            else:
                sig = [rng.getrandbits(32) for _ in range(minhash.PERMUTATIONS)]
            batch_p.append((i, i, 1, "2026-03-01 09:00:00+00:00", minhash.pack(sig), 100, b""))
            batch_b.extend((k, i) for k in minhash.band_keys(sig))
            if len(batch_p) >= 5000 or i == n:
                cur.executemany("INSERT INTO library_recordprint (id, meeting_id, org_id, starts_at, signature, shingles,"
                                " digest) VALUES (%s, %s, %s, %s, %s, %s, %s)", batch_p)
                cur.executemany("INSERT INTO library_recordband (band_key, meeting_id) VALUES (%s, %s)", batch_b)
                batch_p, batch_b = [], []
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")
            cur.execute("ANALYZE library_recordband")
            cur.execute("ANALYZE library_posting")
        else:
            cur.execute("ANALYZE")
    return probe


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup(args.db)
    rng = random.Random(22)
    started = time.perf_counter()
    build_articles(args.articles, rng)
    probe = build_records(args.records, rng)
    print(f"built {args.articles} articles and {args.records} record signatures in {time.perf_counter() - started:.0f} s")

    from django.db import connection

    from dangjian.library import minhash, quality
    from dangjian.library.search import search, versions_in_force
    from dangjian.library.tests.test_library import QUESTIONS
    from dangjian.library.text import query_terms

    versions = list(versions_in_force().values())
    search("warm up")

    def floor_search(q: str) -> None:
        terms = query_terms(q)
        marks = ",".join(["%s"] * len(terms))
        vmarks = ",".join(["%s"] * len(versions))
        with connection.cursor() as cur:
            cur.execute(f"SELECT p.term, p.article_id, p.tf, a.length FROM library_posting p JOIN library_article a "  # noqa: S608
                        f"ON a.id = p.article_id WHERE p.term IN ({marks}) AND a.edition_id IN ({vmarks})",
                        [*terms, *versions])
            cur.fetchall()

    ours = statistics.median(median_ms(lambda q=q: search(q), args.repeat) for q, _c, _n in QUESTIONS)
    floor = statistics.median(median_ms(lambda q=q: floor_search(q), args.repeat) for q, _c, _n in QUESTIONS)
    print(f"search ({args.articles + 39} articles, {len(QUESTIONS)} questions): {ours:.1f} ms, floor {floor:.1f} ms, "
          f"ratio {ours / floor:.2f}")

    keys = minhash.band_keys(probe)

    def floor_dup() -> None:
        marks = ",".join(["%s"] * len(keys))
        with connection.cursor() as cur:
            cur.execute(f"SELECT meeting_id FROM library_recordband WHERE band_key IN ({marks})", keys)  # noqa: S608
            cur.fetchall()

    found = quality.candidates(0, probe)
    ours_d = median_ms(lambda: quality.candidates(0, probe), args.repeat)
    floor_d = median_ms(floor_dup, args.repeat)
    planted = sum(1 for m, _s in found if m <= 20)
    print(f"duplicate look-up ({args.records} records): {ours_d:.1f} ms, floor {floor_d:.1f} ms, "
          f"ratio {ours_d / floor_d:.2f}; candidates {len(found)}, planted copies found {planted}/20")
    sig_ms = median_ms(lambda: minhash.signature(minhash.shingles(minhash.normalise("会议" * 400))), 5)
    print(f"signature of an 800-character record: {sig_ms:.1f} ms")


if __name__ == "__main__":
    main()
