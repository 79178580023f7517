"""The benchmark harness: build a province, measure pages and jobs against their floors, on
SQLite and PostgreSQL, in one run; print one table and write bench/RESULTS.md.

    .venv/bin/python bench/run.py                 # both databases
    .venv/bin/python bench/run.py --db sqlite     # one
    .venv/bin/python bench/run.py --rebuild       # rebuild the province first

The province (10,000 organizations, 100,000 members) is built once per database with
``manage.py demo --scale province`` and kept in bench/out/ (SQLite) or the database
``dangjian_bench`` (PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PG_URL = "postgres://postgres@127.0.0.1:5432/dangjian_bench"

TARGETS = {  # figure -> maximum ratio to its floor
    "list": 1.5, "api": 1.5, "roll-up": 1.2, "export": 1.3, "compliance": 1.5, "points": 1.5, "coverage": 1.5,
}


def env_for(db: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DANGJIAN_TESTING": "1", "DEBUG": "0", "ALLOWED_HOSTS": "testserver,127.0.0.1",
                "DJANGO_SETTINGS_MODULE": "dangjian.settings"})
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env["DANGJIAN_VAR_DIR"] = str(OUT / "sqlite")
    return env


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return done.stdout


def ensure_pg_database(rebuild: bool) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'dangjian_bench'").fetchone()
        if exists and rebuild:
            conn.execute("DROP DATABASE dangjian_bench WITH (FORCE)")
            exists = None
        if not exists:
            conn.execute("CREATE DATABASE dangjian_bench")


def build(db: str, rebuild: bool) -> float | None:
    """Migrate and build the province if it is not there; returns the build time (s) or None."""
    env = env_for(db)
    if db == "postgres":
        ensure_pg_database(rebuild)
    else:
        if rebuild and (OUT / "sqlite").exists():
            shutil.rmtree(OUT / "sqlite")
        (OUT / "sqlite").mkdir(parents=True, exist_ok=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    probe = run([PYTHON, "-c", "import django,os;django.setup();"
                 "from dangjian.orgs.models import Organization as O;print(O.objects.count())"], env)
    if int(probe.strip().splitlines()[-1]) >= 10_000:
        return None
    started = time.perf_counter()
    run([PYTHON, "manage.py", "demo", "--scale", "province"], env)
    return round(time.perf_counter() - started, 1)


def measure(db: str) -> dict[str, Any]:
    env = env_for(db)
    result: dict[str, Any] = json.loads(run([PYTHON, "bench/measure.py", "pages"], env).strip().splitlines()[-1])
    result["export-app"] = json.loads(run([PYTHON, "bench/measure.py", "export-app"], env).strip().splitlines()[-1])
    result["export-bare"] = json.loads(run([PYTHON, "bench/measure.py", "export-bare"], env).strip().splitlines()[-1])
    # issue 13: the points ranking of the city (balances added in bulk where the build has none)
    result.update(json.loads(run([PYTHON, "bench/measure.py", "points"], env).strip().splitlines()[-1]))
    # issue 14: the coverage planner of a term over the city's targets
    result.update(json.loads(run([PYTHON, "bench/measure.py", "coverage"], env).strip().splitlines()[-1]))
    result["import"] = import_seconds(env)
    return result


def import_seconds(env: dict[str, str]) -> float | None:
    """Import 10,000 members through the API (the import suite's timing test, on a test database)."""
    test_env = {**env, "RUN_SLOW": "1", "DJANGO_SETTINGS_MODULE": "dangjian.settings_test"}
    out = run([PYTHON, "-m", "pytest", "tests/imports/test_speed.py", "-s", "-q", "-p", "no:randomly",
               "-o", "addopts=", "--create-db"], test_env)
    match = re.search(r"imported in ([0-9.]+) s", out)
    return float(match.group(1)) if match else None


def rows_for(db: str, build_s: float | None, r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    if build_s is not None:
        rows.append((db, "build province (10,000 orgs, 100,000 members)", f"{build_s} s", "—", "< 300 s"))
    for key, value in r.items():
        if not isinstance(value, list):
            continue
        figure, floor = value
        ratio = figure / floor if floor else float("inf")
        kind = key.split()[0]
        target = TARGETS.get(kind, 0)
        extra = ""
        if kind == "roll-up":
            extra = f", < {300 if db == 'postgres' else 500} ms"
        ok = ratio <= target and (kind != "roll-up" or figure < (300 if db == "postgres" else 500))
        rows.append((db, key, f"{figure} ms", f"{floor} ms",
                     f"{ratio:.2f}x (≤ {target}x{extra}) {'✓' if ok else '✗'}"))
    if r.get("import") is not None:
        limit = 30 if db == "sqlite" else 60
        rows.append((db, "import 10,000 members (.xlsx, validated, audited)", f"{r['import']} s", "—",
                     f"< {limit} s {'✓' if r['import'] < limit else '✗'}"))
    app, bare = r["export-app"], r["export-bare"]
    ratio = app["seconds"] / bare["seconds"] if bare["seconds"] else float("inf")
    ok = ratio <= TARGETS["export"] and app["peak_rss_mb"] <= 150
    rows.append((db, f"export {bare['rows']} members (.xlsx)", f"{app['seconds']} s, {app['peak_rss_mb']} MB",
                 f"{bare['seconds']} s, {bare['peak_rss_mb']} MB",
                 f"{ratio:.2f}x (≤ 1.3x, ≤ 150 MB) {'✓' if ok else '✗'}"))
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} — {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    table: list[tuple[str, str, str, str, str]] = []
    notes: list[str] = []
    for db in dbs:
        build_s = build(db, args.rebuild)
        r = measure(db)
        notes.append(f"{db}: city has {r['city_members']} full members; deep page = page {r['deep_page']}")
        notes.append(f"{db}: points ranking of {r.get('points_city_members')} city balances in "
                     f"{r.get('points ranking queries')} queries (the same for any size); the ranking SQL alone "
                     f"{r.get('points ranking sql')} ms; a member's explanation page {r.get('points explanation')} ms; "
                     f"coverage of {r.get('coverage targets')} targets: the planner with its proposal "
                     f"{r.get('coverage planner')} ms, the report's hand SQL alone {r.get('coverage sql')} ms")
        table.extend(rows_for(db, build_s, r))
    header = ("database", "figure", "platform", "floor", "ratio (target)")
    widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(5)]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *table]]
    print("\n".join(lines))
    md = [
        "# Benchmark results",
        "",
        f"- machine: {machine()}",
        f"- date: {dt.datetime.now(dt.UTC).astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- databases: {', '.join(dbs)} (PostgreSQL with persistent connections)",
        "- command: `.venv/bin/python bench/run.py`",
        "- floors: list/API pages vs a bare Django view running hand SQL through the same middleware; roll-ups "
        "vs the best hand-written aggregate SQL; export vs writing the same rows (decrypted and masked) "
        "directly with xlsxwriter in constant-memory mode. Medians of 15 runs (roll-ups 7).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * 5,
        *["| " + " | ".join(row) + " |" for row in table],
        "",
        *[f"- {n}" for n in notes],
        "",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(md) + _analysis(), encoding="utf-8")


def _analysis() -> str:
    path = ROOT / "bench" / "ANALYSIS.md"
    return "\n" + path.read_text(encoding="utf-8") if path.exists() else ""


if __name__ == "__main__":
    main()
