"""Bench of the hot standby's read path (issue 20 item 5, docs/replica.md): the dashboard page
read from the primary and from the standby, and the standby's replay lag under a write burst.

    scripts/pg-replica ensure
    .venv/bin/python bench/replica.py [--orgs 2000] [--members 20000] [--repeat 5]

It makes the database ``dangjian_bench_replica`` on the pair's primary (scripts/pg-replica:
PG_REPLICA_PRIMARY / PG_REPLICA_STANDBY, default dj_primary:5434 and dj_standby:5435), builds
the dashboard bench's province at the given size (bench/dashboard.py) and waits until the
standby has replayed it. Then, median of ``--repeat`` requests as the root's committee staff:

- the dashboard page cold (cache cleared) and warm, read from the standby (not pinned) and
  from the primary (the browser pinned by a fresh read-your-writes cookie);
- the replay lag while the primary takes a burst of small transactions (one member updated per
  commit) and then one large one (every member updated): the largest lag the primary reports
  (``pg_stat_replication.replay_lag`` and bytes not replayed), sampled every 20 ms, and how long
  the standby needed to catch up after the burst ended.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import median_ms  # noqa: E402

DB = "dangjian_bench_replica"


def ports() -> tuple[str, str]:
    primary = os.environ.get("PG_REPLICA_PRIMARY", "dj_primary:5434").rsplit(":", 1)[1]
    standby = os.environ.get("PG_REPLICA_STANDBY", "dj_standby:5435").rsplit(":", 1)[1]
    return primary, standby


def url(port: str, name: str = DB) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def setup() -> None:
    import psycopg

    primary, standby = ports()
    with psycopg.connect(url(primary, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    os.environ.update(DJANGO_SETTINGS_MODULE="dangjian.settings", DANGJIAN_TESTING="1", ALLOWED_HOSTS="testserver",
                      DATABASE_URL=url(primary), DATABASE_REPLICA_URL=url(standby))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def wait_replayed(timeout: float = 600) -> float:
    """Seconds until the standby has replayed what the primary has written so far."""
    import psycopg

    primary, standby = ports()
    started = time.perf_counter()
    with psycopg.connect(url(primary), autocommit=True) as p, psycopg.connect(url(standby), autocommit=True) as s:
        row = p.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        assert row is not None
        while True:
            done = s.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [row[0]]).fetchone()
            if done and done[0]:
                return round(time.perf_counter() - started, 3)
            assert time.perf_counter() - started < timeout, "the standby did not catch up"
            time.sleep(0.01)


class Sampler(threading.Thread):
    """The replication state on the primary every 20 ms: the largest replay lag seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.max_lag_s = 0.0
        self.max_bytes = 0
        self.samples = 0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(url(ports()[0]), autocommit=True) as conn:
            while not self.stop.is_set():
                row = conn.execute(
                    "SELECT coalesce(extract(epoch FROM replay_lag), 0)::float,"
                    " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint FROM pg_stat_replication"
                    " ORDER BY 2 DESC LIMIT 1").fetchone()
                if row:
                    self.max_lag_s, self.max_bytes = max(self.max_lag_s, row[0]), max(self.max_bytes, row[1])
                self.samples += 1
                time.sleep(0.02)


def burst(kind: str, count: int, member_ids: list[int]) -> dict[str, Any]:
    import psycopg

    sampler = Sampler()
    sampler.start()
    started = time.perf_counter()
    with psycopg.connect(url(ports()[0]), autocommit=True) as conn:
        if kind == "small":
            for i in range(count):
                conn.execute("UPDATE members_member SET ethnicity = %s WHERE id = %s",
                             ["回族" if i % 2 else "汉族", member_ids[i % len(member_ids)]])
        else:
            conn.execute("UPDATE members_member SET ethnicity = CASE WHEN ethnicity = '汉族' THEN '回族' ELSE '汉族' END")
    burst_s = time.perf_counter() - started
    catch_up_s = wait_replayed()
    sampler.stop.set()
    sampler.join()
    return {"kind": kind, "transactions": count if kind == "small" else 1,
            "rows": count if kind == "small" else len(member_ids), "burst_s": round(burst_s, 2),
            "commits_per_s": round(count / burst_s) if kind == "small" else None,
            "max_replay_lag_ms": round(sampler.max_lag_s * 1000, 1), "max_bytes_behind": sampler.max_bytes,
            "catch_up_after_burst_s": catch_up_s, "samples": sampler.samples}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=2_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--small", type=int, default=2_000, help="transactions of the small-commit burst")
    args = parser.parse_args()
    setup()
    from django.core import signing
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.dashboard import build, build_province
    from dangjian.core import replica
    from dangjian.core.context import acting_as
    from dangjian.core.testing.personas import PASSWORD
    from dangjian.members.models import Member

    rng = random.Random(20)
    started = time.perf_counter()
    with acting_as(None, reason="bench"):
        p = build(args.orgs, args.members, rng)
        sizes = build_province(p, args.orgs, args.members, rng)
    build_s = round(time.perf_counter() - started, 1)
    replayed_s = wait_replayed()

    client = Client()
    assert client.post(reverse("accounts:login"), {"username": "root_staff", "password": PASSWORD}).status_code == 302
    page_url = reverse("dashboard:index")
    name = replica.cookie_name()

    def unpinned() -> None:
        client.cookies.pop(name, None)

    def pinned() -> None:  # what a write sets (ReplicaMiddleware): fresh, so it holds for this request
        client.cookies[name] = signing.get_cookie_signer(salt=name + replica._SALT).sign("1")

    def page() -> None:
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code

    def where(before: Any) -> dict[str, int]:
        before()
        cache.clear()
        with CaptureQueriesContext(connections["replica"]) as r, CaptureQueriesContext(connections["default"]) as d:
            page()
        return {"replica_queries": len(r.captured_queries), "primary_queries": len(d.captured_queries)}

    def both(before: Any) -> None:
        before()
        cache.clear()

    result: dict[str, Any] = {"db": "postgres pair", **sizes, "build_s": build_s, "standby_replayed_build_s": replayed_s}
    result["route_replica"], result["route_primary"] = where(unpinned), where(pinned)
    page()
    result["cold_replica_ms"] = median_ms(page, args.repeat, before=lambda: both(unpinned))
    result["cold_primary_ms"] = median_ms(page, args.repeat, before=lambda: both(pinned))
    unpinned()
    page()
    result["warm_replica_ms"] = median_ms(page, args.repeat, before=unpinned)
    pinned()
    page()
    result["warm_primary_ms"] = median_ms(page, args.repeat, before=pinned)
    member_ids = list(Member.objects.using("default").values_list("id", flat=True))
    result["bursts"] = [burst("small", args.small, member_ids), burst("large", len(member_ids), member_ids)]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
