"""Bench of grading (issue 17 item 10): every organization of a generated province graded in one
job, and a city's grade table page, each beside its hand SQL.

    .venv/bin/python bench/assessment.py [--db sqlite|postgres] [--cities 20] [--units 25] [--branches 19]

It builds its own throwaway database (SQLite under bench/out/assessment, or the PostgreSQL
database ``dangjian_bench_assessment``): a province of 1 + cities + cities×units committees and
cities×units×branches branches (10,021 organizations by default) written directly, every branch
with its 17 basic and mandated item evaluations and a bonus for one branch in five; no meetings
are held, so the compliance engine owes every branch its missed 三会一课 of the year. Then:

- ``services.recompute`` of every organization (the ``recompute_year`` job's body: rules, the six
  deduction sources, lines, totals, grades, written in bulk) — against the floor: the hand SQL
  that writes the same evaluation and bonus lines with ``INSERT … SELECT`` and sums them per
  organization (no deductions: the floor does not run the compliance engine);
- the grade table page of one city (GET, as the province's staff), median of 7 — against the
  floor: the one ``SELECT`` of that city's results joined to their organizations and levels.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import median_ms, prepare  # noqa: E402

TODAY = dt.date(2026, 12, 1)


def setup(db: str, pg_name: str = "dangjian_bench_assessment") -> None:
    prepare("assessment", db, pg_name)


def build(cities: int, units: int, branches: int) -> tuple[Any, list[Any]]:
    from decimal import Decimal

    from dangjian.assessment.models import BonusEntry, ItemEvaluation, ListItem
    from dangjian.orgs.models import Organization

    def node(path: str, kind: str, name: str) -> Organization:
        return Organization(path=path, depth=len(path) // 4, numchild=0, name=name, code=f"X{path}", kind=kind,
                            founded_on=dt.date(2000, 1, 1))

    rows = [node("0001", "committee", "省厅党委")]
    city_rows = []
    for c in range(cities):
        cp = f"0001{c + 1:04d}"
        city_rows.append(node(cp, "committee", f"市局党委{c}"))
        for u in range(units):
            up = f"{cp}{u + 1:04d}"
            rows.append(node(up, "committee", f"单位党委{c}-{u}"))
            rows.extend(node(f"{up}{b + 1:04d}", "branch", f"党支部{c}-{u}-{b}") for b in range(branches))
    Organization.objects.bulk_create(rows + city_rows, batch_size=2000)
    items = list(ListItem.objects.filter(year=2026, kind__in=("basic", "mandated")))
    press = ListItem.objects.get(year=2026, code="b_press")
    ids = list(Organization.objects.filter(kind="branch").values_list("id", flat=True))
    ItemEvaluation.objects.bulk_create([ItemEvaluation(org_id=o, item=i, score=Decimal(i.score) - (o % 3),
                                                       self_score=Decimal(i.score)) for o in ids for i in items],
                                       batch_size=5000)
    BonusEntry.objects.bulk_create([BonusEntry(org_id=o, item=press, year=2026, label="刊发", on=dt.date(2026, 6, 1))
                                    for o in ids[::5]], batch_size=5000)
    root = Organization.objects.get(path="0001")
    return root, list(Organization.objects.filter(depth=2).order_by("path"))


def floor_grading() -> float:
    from django.db import connection, transaction

    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE floor_line (org_id integer, kind varchar(10), label varchar(300), "
                    "points numeric(7,2), evidence varchar(120))")
        cur.execute("INSERT INTO floor_line SELECT e.org_id, i.kind, i.name, "
                    f"{least}(COALESCE(e.score, e.self_score), i.score), 'assessment.itemevaluation:' || e.id "
                    "FROM assessment_itemevaluation e JOIN assessment_listitem i ON i.id = e.item_id")
        cur.execute(f"INSERT INTO floor_line SELECT b.org_id, 'bonus', i.name, {least}(i.score, COALESCE(i.cap, i.score)), "
                    "'assessment.bonusentry:' || b.id FROM assessment_bonusentry b JOIN assessment_listitem i "
                    "ON i.id = b.item_id")
        cur.execute("SELECT org_id, SUM(points) FROM floor_line GROUP BY org_id")
        cur.fetchall()
        cur.execute("DROP TABLE floor_line")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--cities", type=int, default=20)
    parser.add_argument("--units", type=int, default=25)
    parser.add_argument("--branches", type=int, default=19)
    args = parser.parse_args()
    setup(args.db)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dangjian.accounts.models import RoleGrant, User
    from dangjian.assessment import services
    from dangjian.core.context import acting_as
    from dangjian.core.testing.personas import PASSWORD

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    with acting_as(None, reason="bench"):
        root, cities = build(args.cities, args.units, args.branches)
    print(f"built in {time.perf_counter() - t0:.1f} s")
    ids = list(services.graded().values_list("id", flat=True))
    start = time.perf_counter()
    with acting_as(None, reason="bench"):
        done = services.recompute(actor=None, year=2026, org_ids=ids, today=TODAY)
    grading_s = time.perf_counter() - start
    floor_s = floor_grading()
    from dangjian.assessment.models import ResultLine

    lines = ResultLine.objects.count()
    with acting_as(None, reason="bench"):
        user = User(username="bench", password_changed_at=timezone.now())
        user.set_password(PASSWORD)
        user.save()
        RoleGrant.objects.create(user=user, role="committee_staff", org=root)
    client = Client()
    client.post("/accounts/login/", {"username": "bench", "password": PASSWORD})
    city = cities[0]
    url = f"/assessment/grades/table/?year=2026&org={city.pk}"
    assert client.get(url).status_code == 200
    page_ms = median_ms(lambda: client.get(url))

    def floor_page() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT o.id, o.name, r.total, l.name, r.why FROM assessment_graderesult r "
                        "JOIN orgs_organization o ON o.id = r.org_id LEFT JOIN assessment_gradelevel l ON l.id = r.level_id "
                        "WHERE r.year = 2026 AND o.path LIKE %s ORDER BY r.total DESC", [city.path + "%"])
            cur.fetchall()

    floor_ms = median_ms(floor_page)
    rows = sum(1 for _ in services.graded().filter(path__startswith=city.path))
    print(f"| {args.db} | grade {done} organizations in one job ({lines} lines) | {grading_s:.1f} s | "
          f"{floor_s:.2f} s (lines without deductions) | {grading_s / max(floor_s, 1e-9):.1f}x (< 60 s) "
          f"{'✓' if grading_s < 60 else '✗'} |")
    print(f"| {args.db} | grade table page of a city ({rows} organizations) | {page_ms:.1f} ms | {floor_ms:.2f} ms | "
          f"{page_ms / max(floor_ms, 1e-9):.1f}x (< 1 s) {'✓' if page_ms < 1000 else '✗'} |")


if __name__ == "__main__":
    main()
