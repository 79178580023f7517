"""Bench of the dashboard (issue 18 item 6): the province dashboard cold and warm, beside the
hand SQL of its figures.

    .venv/bin/python bench/dashboard.py [--db sqlite|postgres] [--orgs 10000] [--members 100000]

It builds its own throwaway database (SQLite under bench/out/dashboard, or the PostgreSQL
database ``dangjian_bench_dashboard``): the test personas, then a province under their root
written directly (bulk inserts, no audit): ``--orgs`` organizations (cities, county committees,
branches), ``--members`` members on the roll and one development case for every tenth member.
Then it times, median of repeated runs, the dashboard page of the root as its committee staff:

- cold: the Django cache cleared before each request (every figure computed);
- warm: the figures served from the cache (the page and the two cache round trips);
- floor: the bare aggregate SQL of the member composition and the development stages over the
  path prefix (what the cold page cannot do with less).

The meetings compliance figures are timed on their own: they derive every obligation of the
year (organizations x kinds x periods) in Python (bench/RESULTS.md "compliance city").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import median_ms, prepare  # noqa: E402

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def setup(db: str, pg_name: str = "dangjian_bench_dashboard") -> None:
    prepare("dashboard", db, pg_name)


def step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def build(orgs: int, members: int, rng: random.Random) -> Any:
    from dangjian.core.testing.personas import build_personas

    return build_personas()


def build_province(p: Any, orgs: int, members: int, rng: random.Random) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from dangjian.development.models import Case
    from dangjian.members.models import Member, id_number_index
    from dangjian.orgs.models import Organization

    root = Organization.objects.get(pk=p.root.pk)
    existing = root.numchild
    cities, per_city = 14, 35
    branches_total = max(orgs - 1 - cities - cities * per_city, cities * per_city)
    per_committee = max(branches_total // (cities * per_city), 1)
    rows: list[Organization] = []
    branch_paths: list[str] = []
    n = 0
    for c in range(cities):
        city_path = root.path + step(existing + c + 1)
        rows.append(Organization(path=city_path, depth=2, numchild=per_city, name=f"第{c + 1}市公安局党委",
                                 code=f"P{c}", kind="committee"))
        for k in range(per_city):
            county_path = city_path + step(k + 1)
            rows.append(Organization(path=county_path, depth=3, numchild=per_committee,
                                     name=f"第{c + 1}市第{k + 1}分局党委", code=f"P{c}-{k}", kind="committee"))
            for b in range(per_committee):
                n += 1
                path = county_path + step(b + 1)
                branch_paths.append(path)
                rows.append(Organization(path=path, depth=4, numchild=0, name=f"第{n}党支部", code=f"P{c}-{k}-{b}",
                                         kind="branch", founded_on=dt.date(2015, 1, 1)))
    with transaction.atomic():
        Organization.objects.bulk_create(rows, batch_size=2000)
        Organization.objects.filter(pk=root.pk).update(numchild=existing + cities)
    by_path = dict(Organization.objects.filter(kind="branch", path__in=branch_paths).values_list("path", "id"))
    branch_ids = [by_path[path] for path in branch_paths]
    today = timezone.localdate()
    batch: list[Member] = []
    cases: list[Case] = []
    with transaction.atomic():
        for i in range(members):
            org_id = branch_ids[i % len(branch_ids)]
            number = f"11010119{rng.randint(60, 99)}0101{i:04d}"[-18:]
            probationary = rng.random() < 0.05
            batch.append(Member(
                name=f"党员{i}", name_initials="dy", gender=rng.choice("MF"), ethnicity="汉族" if rng.random() < 0.93 else "回族",
                birth_date=dt.date(rng.randint(1962, 2001), rng.randint(1, 12), 1), id_number=number,
                id_number_index=id_number_index(f"X{i:017d}"), police_number=f"B{i:07d}",
                personnel_type="police" if rng.random() < 0.8 else "auxiliary",
                education=rng.choice(("postgraduate", "bachelor", "bachelor", "college", "secondary", "")),
                joined_party_on=dt.date(rng.randint(1985, 2025), 7, 1),
                full_member_on=None if probationary else dt.date(2000, 7, 1),
                status="probationary" if probationary else "full", org_id=org_id))
            if i % 10 == 0:
                cases.append(Case(org_id=org_id, name=f"申请人{i}", gender="M", ethnicity="汉族",
                                  birth_date=dt.date(1995, 1, 1), id_number=number, personnel_type="police",
                                  applied_on=today - dt.timedelta(days=rng.randint(10, 900)),
                                  stage=rng.choice(("applicant", "activist", "candidate", "probationary", "full")),
                                  stage_since=today - dt.timedelta(days=rng.randint(1, 300))))
            if len(batch) >= 5000:
                Member.objects.bulk_create(batch)
                batch = []
        Member.objects.bulk_create(batch)
        Case.objects.bulk_create(cases, batch_size=5000)
    return {"orgs": Organization.objects.count(), "members": Member.objects.count(), "cases": Case.objects.count()}


def floor_sql(path: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*), SUM(CASE WHEN m.status = 'full' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN m.status = 'probationary' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN m.gender = 'F' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN m.personnel_type = 'police' THEN 1 ELSE 0 END)"
            " FROM members_member m JOIN orgs_organization o ON o.id = m.org_id"
            " WHERE o.path LIKE %s AND m.is_active", [path + "%"])
        cur.fetchall()
        cur.execute("SELECT c.stage, COUNT(*) FROM development_case c JOIN orgs_organization o ON o.id = c.org_id"
                    " WHERE o.path LIKE %s GROUP BY c.stage", [path + "%"])
        cur.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup(args.db)
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from dangjian.core.context import acting_as
    from dangjian.core.figures import Subtree
    from dangjian.dashboard import compose

    rng = random.Random(18)
    started = time.perf_counter()
    with acting_as(None, reason="bench"):
        p = build(args.orgs, args.members, rng)
        sizes = build_province(p, args.orgs, args.members, rng)
    build_s = round(time.perf_counter() - started, 1)
    from dangjian.core.testing.personas import PASSWORD

    client = Client()
    login = client.post(reverse("accounts:login"), {"username": "root_staff", "password": PASSWORD})
    assert login.status_code == 302, login.status_code
    url = reverse("dashboard:index")

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page()
    root = p.root
    subtree = Subtree(root.pk, root.path, root.name, root.kind, timezone.localdate())
    figures = {f.key: f for f in compose.visible_figures(p.user("root_staff"), subtree)}
    per_figure = {}
    for key, figure in figures.items():
        per_figure[key] = median_ms(lambda f=figure: f.compute(subtree), 3)
    result = {
        "db": args.db, **sizes, "build_s": build_s,
        "cold_ms": median_ms(page, args.repeat, before=cache.clear),
        "warm_ms": median_ms(page, args.repeat),
        "floor_ms": median_ms(lambda: floor_sql(root.path), args.repeat),
        "figures_ms": per_figure,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
