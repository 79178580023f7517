"""One benchmark probe, run in its own process by bench/run.py (prints one JSON object).

    python bench/measure.py pages      # list page, API page, roll-ups (with their floors)
    python bench/measure.py export-app # the platform's export of every member (time, peak RSS)
    python bench/measure.py export-bare
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

PASSWORD = "Hongqi#2026"  # noqa: S105  (benchmark database only)


def median_ms(fn: Callable[[], Any], runs: int = 15, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def client_for(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def ok(response: Any) -> Any:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response


def pages() -> dict[str, Any]:
    from dangjian.accounts.models import User
    from dangjian.members.models import Member
    from dangjian.members.rules import composition
    from dangjian.orgs.models import Organization

    city = Organization.objects.filter(depth=2).order_by("path").first()
    assert city is not None
    client = client_for("sheng")
    user = User.objects.get(username="sheng")
    total = Member.objects.filter(org__path__startswith=city.path, status="full").count()
    deep = max(1, total // 25 // 2)
    results: dict[str, Any] = {"city_members": total, "deep_page": deep}
    for label, page in (("page 1", 1), (f"page {deep}", deep)):
        results[f"list {label}"] = (
            median_ms(lambda p=page: ok(client.get(f"/members/?within={city.pk}&status=full&page={p}"))),
            median_ms(lambda p=page: ok(client.get(f"/bench/floor/members/?path={city.path}&status=full&page={p}"))),
        )
        results[f"api {label}"] = (
            median_ms(lambda p=page: ok(client.get(f"/api/v1/members/?within={city.pk}&status=full&page={p}"))),
            median_ms(lambda p=page: ok(client.get(f"/bench/floor/api/members/?path={city.path}&status=full&page={p}"))),
        )
    today = timezone.localdate()
    for label, prefix in (("roll-up city", city.path), ("roll-up province", "")):
        def orm(prefix: str = prefix) -> Any:
            qs = Member.objects.visible_to(user, "view")
            if prefix:
                qs = qs.filter(org__path__startswith=prefix)
            return composition(qs, today)

        results[label] = (median_ms(orm, runs=7, warmup=1), median_ms(lambda p=prefix: hand_rollup(p, today), runs=7, warmup=1))
        assert orm() == hand_rollup(prefix, today), "the roll-up and its hand SQL disagree"
    # The city committee's screen of organizational life: the compliance matrix of the city's
    # subtree for this year (page 1 of its rows; the engine covers the whole subtree) beside the
    # floor in bench/floors.py (one grouped query of the confirmed meetings; see its docstring).
    year = today.year
    results["compliance city"] = (
        median_ms(lambda: ok(client.get(f"/meetings/compliance/?org={city.pk}&year={year}")), runs=7, warmup=1),
        median_ms(lambda: ok(client.get(f"/bench/floor/compliance/?path={city.path}&year={year}")), runs=7, warmup=1),
    )
    return results


def hand_rollup(prefix: str, today: dt.date) -> dict[str, int]:
    """The best hand-written SQL for the composition roll-up."""
    from dangjian.members.rules import filters

    # Build the same SUM(CASE ...) list the ORM builds, but by hand.
    def years_ago(n: int) -> str:
        try:
            return today.replace(year=today.year - n).isoformat()
        except ValueError:
            return today.replace(year=today.year - n, day=28).isoformat()

    cases: list[tuple[str, str, list[Any]]] = []
    for key in filters(today):
        kind, _, value = key.partition("_")
        if kind == "status":
            cases.append((key, "m.status = %s", [value]))
        elif kind == "type":
            cases.append((key, "m.personnel_type = %s", [value]))
        elif kind == "education":
            cases.append((key, "m.education = %s", [value]))
        elif kind == "age":
            upper = int(value)
            lowers = {30: 0, 40: 31, 50: 41, 200: 51}
            cond, params = "m.birth_date > %s", [years_ago(upper + 1)]
            if lowers[upper]:
                cond += " AND m.birth_date <= %s"
                params.append(years_ago(lowers[upper]))
            cases.append((key, cond, params))
    select = ", ".join(f"COUNT(CASE WHEN {cond} THEN 1 END)" for _, cond, _ in cases)
    params = [p for _, _, ps in cases for p in ps]
    if prefix:
        sql = (f"SELECT COUNT(*), {select} FROM members_member m JOIN orgs_organization o ON o.id = m.org_id "  # noqa: S608
               "WHERE m.is_active AND o.path LIKE %s")
        params.append(prefix + "%")
    else:
        sql = f"SELECT COUNT(*), {select} FROM members_member m WHERE m.is_active"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {"total": row[0], **{key: row[i + 1] for i, (key, _, _) in enumerate(cases)}}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def export_app() -> dict[str, Any]:
    """The platform's export of every member as a user gets it: above EXPORT_JOB_ROWS the link
    starts the export job (run here in-process, as a worker would) and the file is downloaded
    from the storage; the time covers both."""
    client = client_for("sheng")
    started = time.perf_counter()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        response = client.get("/members/export.xlsx")
    if response.status_code == 302:  # the job's page: the job already ran, fetch its file
        response = client.get(response["Location"].rstrip("/") + "/file/")
    assert response.status_code == 200
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": peak_rss_mb(), "bytes": size}


def export_bare() -> dict[str, Any]:
    from dangjian.core.crypto import get_provider
    from dangjian.core.excel import Column, write_xlsx
    from dangjian.core.idcard import mask

    provider = get_provider()
    sql = ("SELECT m.name, m.gender, m.ethnicity, m.birth_date, m.id_number, m.police_number, m.personnel_type, "
           "m.rank, m.job_title, m.education, m.phone, m.joined_party_on, m.full_member_on, m.status, o.name, g.name "
           "FROM members_member m JOIN orgs_organization o ON o.id = m.org_id "
           "LEFT JOIN orgs_organization g ON g.id = m.group_id ORDER BY o.path, m.name, m.id")

    def rows() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    row = list(row)
                    row[4] = mask(provider.decrypt(row[4], context="member.id_number"))
                    yield row

    columns = [Column(str(i), lambda r, i=i: r[i]) for i in range(16)]
    started = time.perf_counter()
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    count = write_xlsx(path, "members", columns, rows())
    size = os.path.getsize(path)
    os.unlink(path)
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": peak_rss_mb(), "bytes": size,
            "rows": count}


def points() -> dict[str, Any]:
    """The points ranking of a subtree (issue 13) beside its hand SQL: one RANK() over the maintained
    balance table (index year, org_path, score). Balances missing for the year are added first in
    bulk (base 60 plus a deterministic spread), so the probe runs on any built database."""
    import random

    from dangjian.members.models import Member
    from dangjian.orgs.models import Organization
    from dangjian.points.models import PointBalance, PointScheme

    year = timezone.localdate().year
    scheme = PointScheme.in_force(year)
    assert scheme is not None
    rng = random.Random(13)
    have = set(PointBalance.objects.filter(year=year).values_list("member_id", flat=True))
    rows = []
    for m in Member.objects.filter(is_active=True).select_related("org").only("id", "org__path", "org_id").iterator():
        if m.pk not in have:
            ledger = rng.randint(-10, 40)
            rows.append(PointBalance(member_id=m.pk, year=year, org_id=m.org_id, org_path=m.org.path, scheme=scheme,
                                     base=scheme.base, floor=scheme.floor, ledger=ledger,
                                     score=max(scheme.floor, scheme.base + ledger)))
    PointBalance.objects.bulk_create(rows, batch_size=5000)
    city = Organization.objects.filter(depth=2).order_by("path").first()
    assert city is not None
    username = sys.argv[2] if len(sys.argv) > 2 else "sheng"
    client = client_for(username)
    members = PointBalance.objects.filter(year=year, org_path__startswith=city.path).count()

    def hand() -> list[Any]:
        with connection.cursor() as cur:
            cur.execute("SELECT b.member_id, b.score, RANK() OVER (ORDER BY b.score DESC) FROM points_pointbalance b "
                        "WHERE b.year = %s AND b.org_path LIKE %s ORDER BY b.score DESC, b.member_id LIMIT 100",
                        [year, city.path + "%"])
            return cur.fetchall()

    page = f"/points/ranking/?org={city.pk}&year={year}"
    with CaptureQueriesContext(connection) as small:
        ok(client.get(page))
    # the explanation page of one member of the city (its rank is one grouped count, not the ranking)
    member_id = PointBalance.objects.filter(year=year, org_path__startswith=city.path).values_list(
        "member_id", flat=True).first()
    explain = f"/points/members/{member_id}/?year={year}"
    return {"points_city_members": members, "added_balances": len(rows), "points ranking queries": len(small),
            "points ranking city": (
                median_ms(lambda: ok(client.get(page)), runs=7, warmup=1),
                median_ms(lambda: ok(client.get(f"/bench/floor/points/ranking/?path={city.path}&year={year}")),
                          runs=7, warmup=1)),
            "points ranking sql": median_ms(hand, runs=7, warmup=1),
            "points explanation": median_ms(lambda: ok(client.get(explain)), runs=7, warmup=1)}


def coverage() -> dict[str, Any]:
    """The coverage report of the city committee's inspection term (issue 14) beside its hand SQL:
    the targets under the committee that a coverage rule names, the inspections done per target,
    what is required and missing. A bench plan with rounds and inspections of two thirds of the
    targets is added first where the build has none. The planner's proposal (a greedy schedule in
    Python over the remaining rounds) is timed on its own."""
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Organization
    from dangjian.supervision import coverage as cov
    from dangjian.supervision.models import CoverageRule, Inspection, InspectionPlan, InspectionRound

    today = timezone.localdate()
    city = Organization.objects.filter(depth=2).order_by("path").first()
    assert city is not None
    plan = InspectionPlan.objects.filter(committee=city, title="bench").first()
    if plan is None:
        plan = InspectionPlan(committee=city, title="bench", term_start=today.year, term_years=5, rounds_per_year=2,
                              capacity=max(4, city.numchild // 4))
        plan.save()
        leader = User.objects.get(username="sheng")
        rounds = [InspectionRound(plan=plan, year=today.year, number=n, starts_on=dt.date(today.year, 3 * n, 1))
                  for n in (1, 2)]
        for r in rounds:
            r.save()
        rules = list(CoverageRule.rows_in_force(plan.term_start))
        targets = cov.targets_of(plan, rules)
        Inspection.objects.bulk_create([
            Inspection(round=rounds[i % 2], target_id=t.pk, leader=leader, stage="stationed",
                       stationed_on=dt.date(today.year, 3 * (i % 2 + 1), 10))
            for i, t in enumerate(targets) if i % 3])

    def app_report() -> list[Any]:
        rules = list(CoverageRule.rows_in_force(plan.term_start))
        done = list(Inspection.objects.filter(round__plan=plan).exclude(stage="preparation", stationed_on__isnull=True)
                    .values_list("pk", "target_id", "stationed_on", "round__year"))
        return cov.report(cov.targets_of(plan, rules), done)

    def hand() -> list[Any]:
        sql = ("SELECT o.id, o.name, COUNT(i.id) FROM orgs_organization o LEFT JOIN supervision_inspection i "
               "ON i.target_id = o.id AND NOT (i.stage = 'preparation' AND i.stationed_on IS NULL) AND i.round_id IN "
               "(SELECT r.id FROM supervision_inspectionround r WHERE r.plan_id = %s) "
               "WHERE o.path LIKE %s AND o.depth = %s AND o.is_active GROUP BY o.id, o.name ORDER BY o.path")
        with connection.cursor() as cur:
            cur.execute(sql, [plan.pk, city.path + "%", city.depth + 1])
            return cur.fetchall()

    rows = app_report()
    assert {r.target.pk: r.done_count for r in rows} == {pk: n for pk, _name, n in hand() if pk in
                                                         {r.target.pk for r in rows}}, "report and hand SQL disagree"
    return {"coverage targets": len(rows),
            "coverage report city": (median_ms(app_report, runs=7, warmup=1), median_ms(hand, runs=7, warmup=1)),
            "coverage sql": median_ms(hand, runs=7, warmup=1),
            "coverage planner": median_ms(lambda: cov.coverage_for_plan(plan, today), runs=7, warmup=1)}


def main() -> None:
    probe = sys.argv[1]
    with override_settings(ROOT_URLCONF="bench.urls"):
        result = {"pages": pages, "export-app": export_app, "export-bare": export_bare, "points": points,
                  "coverage": coverage}[probe]()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
