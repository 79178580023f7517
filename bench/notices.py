"""Bench of the one inbox (issue 18 item 6): materializing every declared reminder source for a
generated province (10,000 organizations, ``--members`` members, 100,000 by default) in one job,
beside the raw SQL that writes the same rows; then the navigation-bar count.

    .venv/bin/python bench/notices.py [--members 100000] [--db postgres] [--pg-name NAME]

It builds its own throwaway database (SQLite under bench/out/notices, or the PostgreSQL database
``dangjian_bench_notices``) with the province builder (``dangjian.members.province``: the tree,
the members, the terms of office), then adds what falls due for everyone: a province-wide test
open today (one item per member who has not taken it: ~100,000 items), an opinion solicitation
open in every branch, and the seeded meeting requirements of every organization. Figures:

- ``reminders.materialize`` of every source, first run (everything new) and second run (nothing
  changed: the job's nightly cost), against the floor: one ``INSERT ... SELECT`` that writes the
  test's member items straight from the member table (no source code, no dedup);
- ``inbox.open_count`` (the navigation bar) for the province staff and a branch officer, cold
  (the cache cleared), against the floor: the bare ``COUNT(*)`` over the same rows.
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


def setup(db: str, pg_name: str) -> None:
    prepare("notices", db, pg_name)


def build(members: int) -> Any:
    from django.utils import timezone

    from dangjian.core.context import acting_as
    from dangjian.meetings.models import Solicitation
    from dangjian.members.province import build_province
    from dangjian.orgs.models import Organization
    from dangjian.study.models import Exam

    build_province(members_total=members, log=lambda _line: None)
    root = Organization.objects.get(depth=1)
    now = timezone.now()
    today = timezone.localdate()
    with acting_as(None, reason="bench"):
        Exam(org=root, title="全省理论测试", opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=5),
             published=True).save()
        branches = Organization.objects.filter(kind="branch").values_list("pk", flat=True)
        Solicitation.objects.bulk_create([Solicitation(org_id=pk, title="征求意见：年度工作", opens_on=today,
                                                       closes_on=today + dt.timedelta(days=10), token=f"b{pk:08d}")
                                          for pk in branches], batch_size=2000)
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pg-name", default="dangjian_bench_notices", help="throwaway database (dropped and created)")
    args = parser.parse_args()
    setup(args.db, args.pg_name)
    t0 = time.perf_counter()
    build(args.members)
    print(f"built the province ({args.members} members) in {time.perf_counter() - t0:.0f} s")

    from django.core.cache import cache
    from django.db import connection, transaction
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.notices import inbox, reminders
    from dangjian.notices.models import Reminder

    today = timezone.localdate()
    rows = []
    for label in ("first run (all new)", "second run (nothing changed)"):
        start = time.perf_counter()
        results = reminders.materialize(actor=None, day=today)
        seconds = time.perf_counter() - start
        rows.append((label, seconds, sum(r.yielded for r in results), sum(r.created for r in results)))
        if label.startswith("first"):
            per_source = {r.source: r.created for r in results}
    total = Reminder.objects.count()

    from dangjian.study.models import Exam

    exam = Exam.objects.get()
    with transaction.atomic(), connection.cursor() as cur:
        start = time.perf_counter()
        cur.execute(
            "INSERT INTO notices_reminder (source, object_key, recipient, due_on, title, url, org_id, org_path, area, "
            "action, member_id, first_on, cleared_on) SELECT 'raw', 'study.exam:' || %s, 'm:' || m.id, %s, 't', '/', "
            "m.org_id, o.path, '', '', m.id, %s, NULL FROM members_member m JOIN orgs_organization o ON o.id = m.org_id "
            "WHERE m.is_active", [exam.pk, today, today])
        raw_seconds = time.perf_counter() - start
        raw_rows = cur.rowcount
        transaction.set_rollback(True)

    counts = []
    for username in ("sheng", "zhibu"):
        user = User.objects.get(username=username)

        def cold(user: Any = user) -> int:
            cache.clear()
            fresh = User.objects.get(pk=user.pk)
            return inbox.open_count(fresh)

        n = cold()
        app_ms = median_ms(cold, args.repeat)
        q = inbox.open_for(User.objects.get(pk=user.pk)).query
        sql, params = q.sql_with_params()

        def floor(sql: str = sql, params: Any = params) -> None:
            with connection.cursor() as cur:
                cur.execute(f"SELECT COUNT(*) FROM ({sql}) t", params)
                cur.fetchone()

        counts.append((username, n, app_ms, median_ms(floor, args.repeat)))

    print(f"\n{'materialize (every source)':<34}{'seconds':>9}{'items yielded':>15}{'rows inserted':>15}")
    for label, seconds, yielded, created in rows:
        print(f"{label:<34}{seconds:>9.1f}{yielded:>15}{created:>15}")
    print(f"{'raw INSERT ... SELECT (test items)':<34}{raw_seconds:>9.1f}{'':>15}{raw_rows:>15}")
    print(f"rows stored: {total}; new per source: {per_source}")
    print(f"\n{'open_count (cold)':<20}{'items':>8}{'app ms':>10}{'raw ms':>10}")
    for username, n, app_ms, raw_ms in counts:
        print(f"{username:<20}{n:>8}{app_ms:>10}{raw_ms:>10}")
    print(f"\ndatabase: {connection.vendor}")


if __name__ == "__main__":
    main()
