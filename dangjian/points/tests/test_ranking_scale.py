"""The ranking page at scale: its query count does not grow with the members ranked, and it reads
the maintained balance table (never the ledger). ``RANKING_MEMBERS=5000`` prints the page's time
beside the hand SQL of the same ranking (a local profile; the bench figure is bench/measure.py)."""

from __future__ import annotations

import itertools
import os
import random
import statistics
import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.testing.personas import Personas, make_member
from dangjian.points.models import PointBalance, PointScheme

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)


def _balances(p: Personas, n: int) -> None:
    """``n`` members spread over B1 and B2 (C1's subtree) with a balance each (ties included)."""
    from dangjian.members.models import Member

    template = make_member(p.b1)
    rows = []
    for _ in range(n):
        i = next(_seq)
        m = Member(**{f.attname: getattr(template, f.attname) for f in Member._meta.concrete_fields
                      if f.attname not in ("id", "name", "police_number", "org_id", "id_number_index")})
        m.name, m.police_number, m.org_id = f"排名党员{i:05d}", f"R{i:06d}", (p.b1 if i % 2 else p.b2).pk
        m.id_number_index = f"rank-{i}"
        rows.append(m)
    created = Member.objects.bulk_create(rows, batch_size=1000)
    scheme = PointScheme.objects.get(year=2026)
    rng = random.Random(13)
    paths = {p.b1.pk: p.b1.path, p.b2.pk: p.b2.path}
    PointBalance.objects.bulk_create(
        [PointBalance(member_id=m.pk, year=2026, org_id=m.org_id, org_path=paths[m.org_id], scheme=scheme, base=60,
                      floor=0, ledger=(d := rng.randint(-10, 30)), score=max(0, 60 + d)) for m in created],
        batch_size=1000)


def _page(client: Any, p: Personas) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/points/ranking/?org={p.c1.pk}&year=2026")
    assert response.status_code == 200
    return len(queries), response


def test_the_ranking_page_costs_the_same_queries_for_20_and_400_members(personas: Personas, client_for: Any) -> None:
    client = client_for("c1_staff")
    _balances(personas, 20)
    _page(client, personas)  # warm the caches of the session and the scope
    few, _r = _page(client, personas)
    _balances(personas, 380)
    more, response = _page(client, personas)
    assert more == few, f"{few} queries with 20 members, {more} with 400"
    page = response.content.decode()
    assert page.count('data-rank="') == 100  # one page of the ranking
    ranks = [int(x.split('"')[0]) for x in page.split('data-rank="')[1:]]
    assert ranks == sorted(ranks) and ranks[0] == 1


@pytest.mark.skipif(not os.environ.get("RANKING_MEMBERS"), reason="a local profile: RANKING_MEMBERS=5000")
def test_profile_the_ranking_page(personas: Personas, client_for: Any) -> None:  # pragma: no cover
    n = int(os.environ["RANKING_MEMBERS"])
    _balances(personas, n)
    client = client_for("c1_staff")

    def page() -> None:
        client.get(f"/points/ranking/?org={personas.c1.pk}&year=2026")

    def hand() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT b.member_id, b.score, RANK() OVER (ORDER BY b.score DESC) FROM points_pointbalance b "
                        "WHERE b.year = %s AND b.org_path LIKE %s ORDER BY b.score DESC, b.member_id LIMIT 100",
                        [2026, personas.c1.path + "%"])
            cur.fetchall()

    def median(fn: Any) -> float:
        fn()
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(samples), 2)

    if os.environ.get("RANKING_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(page)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    from dangjian.points import rules

    paths = [personas.c1.path]
    print(f"\nranking_page {median(lambda: rules.ranking_page(2026, paths, 0, 100))} ms, "
          f"branch_averages {median(lambda: rules.branch_averages(2026, paths))} ms")
    count, _r = _page(client, personas)
    print(f"\nranking of {n} members: page {median(page)} ms ({count} queries), hand SQL {median(hand)} ms, "
          f"the points start page (same middleware and navigation) {median(lambda: client.get('/points/'))} ms")
