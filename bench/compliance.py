"""Bench of the compliance matrix on the stored obligations (issue 20 item 1).

    .venv/bin/python bench/compliance.py [--db sqlite|postgres]

Its own throwaway database (SQLite under bench/out/compliance, or the PostgreSQL database
``dangjian_bench_compliance``): the province builder's 10,000 organizations and 100,000 members,
then a year of confirmed meetings written in bulk (主题党日 most months, 党课 most quarters,
支部党员大会 in half the branches with everyone's attendance, some of them short of their
quorum), then the stored obligations rebuilt (``stored.rebuild``, as the builder does).

Measured, median of 7 after a warm-up, as the province's committee staff through the test client:

- the city's matrix page (a city committee of ~520 organizations: its unit committees' roll-up
  lines and the city's own row), beside the **floor**: a bare view through the same middleware
  running ONE hand-written query that computes the same matrix from the meetings, attendance,
  requirements, settings, organizations and committee posts over a calendar table
  (``generate_series`` on PostgreSQL, a recursive CTE on SQLite) — obligations per organization,
  requirement and period, founding and committee rules, quorums, status on the day, summed per
  unit, kind and column — rendered as a bare table;
- the province's roll-up (the root's matrix: 20 city lines), beside the same floor for the root;
- the floor's query alone, and the platform's aggregates alone.

Before timing, the platform's roll-up and the floor's are compared cell by cell (they must agree).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import median_ms, prepare  # noqa: E402

FLOOR_PATH = "/bench/floor/compliance-matrix/"


def add_meetings(year: int, today: dt.date, seed: int = 20) -> dict[str, int]:
    """Confirmed meetings of the year so far in bulk (no signals: the caller rebuilds the rows)."""
    from django.utils import timezone

    from dangjian.meetings.models import Attendance, Meeting, MeetingKind
    from dangjian.members.models import Member
    from dangjian.orgs.models import Organization

    rng = random.Random(seed)
    kinds = {k.code: k for k in MeetingKind.objects.all()}
    tz = timezone.get_current_timezone()
    branches = list(Organization.objects.filter(kind="branch").order_by("path").values_list("id", flat=True))
    members: dict[int, list[int]] = {}
    for member_id, org_id in Member.objects.filter(is_active=True).values_list("id", "org_id"):
        members.setdefault(org_id, []).append(member_id)
    meetings: list[Meeting] = []
    with_attendance: list[tuple[int, float]] = []  # (index in meetings, share present)

    def meeting(org_id: int, code: str, day: dt.date) -> None:
        start = dt.datetime(day.year, day.month, day.day, 9, tzinfo=tz)
        meetings.append(Meeting(org_id=org_id, kind=kinds[code], topic=f"{kinds[code].name}基准", starts_at=start,
                                ends_at=start + dt.timedelta(hours=2), minutes="会议记录", status="confirmed",
                                confirmed_at=start + dt.timedelta(hours=3)))

    last_month = today.month if today.year == year else 12
    for i, org_id in enumerate(branches):
        for month in range(1, last_month + 1):
            if rng.random() < 0.85:
                meeting(org_id, "themed_party_day", dt.date(year, month, rng.randint(1, 28)))
        for quarter in range(4):
            month = quarter * 3 + rng.randint(1, 3)
            if month <= last_month and rng.random() < 0.75:
                meeting(org_id, "party_lecture", dt.date(year, month, rng.randint(1, 28)))
            if i % 2 == 0 and month <= last_month and rng.random() < 0.8:
                meeting(org_id, "branch_general_meeting", dt.date(year, month, rng.randint(1, 28)))
                with_attendance.append((len(meetings) - 1, rng.choice([0.3, 0.6, 0.8, 1.0])))
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    rows: list[Attendance] = []
    attendances = 0
    for index, share in with_attendance:
        m = meetings[index]
        ids = members.get(m.org_id, [])
        present = round(len(ids) * share)
        rows.extend(Attendance(meeting_id=m.pk, member_id=mid, expected=True,
                               status="present" if n < present else "absent") for n, mid in enumerate(ids))
        if len(rows) >= 5000:
            Attendance.objects.bulk_create(rows)
            attendances += len(rows)
            rows.clear()
    Attendance.objects.bulk_create(rows)
    attendances += len(rows)
    return {"meetings": len(meetings), "attendances": attendances}


# --- The floor: the matrix from meetings and requirements in one hand-written query ----------------


def floor_sql(vendor: str) -> str:
    """Per (unit prefix, kind, period end): done, overdue, due, due soon; and per unit the number of
    organizations owing something (rows with kind NULL). Parameters: year (x4), prefix, meeting
    bounds (low, high), today (x4), unit prefix length (x2)."""
    if vendor == "postgresql":
        calendar = "cal AS (SELECT EXTRACT(MONTH FROM d)::int AS m FROM generate_series(make_date(%(y)s, 1, 1), make_date(%(y)s, 12, 1), interval '1 month') AS d)"
        ps = "make_date(%(y)s, cal.m, 1)"
        pe = f"(({ps} + make_interval(months => req.step))::date - 1)"
        first_of_month = "EXTRACT(DAY FROM o.founded_on) = 1"
        next_month = "(date_trunc('month', o.founded_on) + interval '1 month')::date"
        minus_days = "({d} - {n})"
        remind_date = "make_date(EXTRACT(YEAR FROM p.pe)::int, p.remind_from_month, p.remind_from_day)"
        least = "LEAST"
        local_day = "(m.starts_at AT TIME ZONE 'Asia/Shanghai')::date"
        truth = "{}"
    else:
        calendar = "cal(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM cal WHERE m < 12)"
        ps = "printf('%%04d-%%02d-01', %(y)s, cal.m)"
        pe = f"date({ps}, '+' || req.step || ' months', '-1 day')"
        first_of_month = "strftime('%%d', o.founded_on) = '01'"
        next_month = "date(o.founded_on, 'start of month', '+1 month')"
        minus_days = "date({d}, '-' || {n} || ' days')"
        remind_date = ("printf('%%04d-%%02d-%%02d', CAST(strftime('%%Y', p.pe) AS integer), p.remind_from_month, "
                       "p.remind_from_day)")
        least = "MIN"
        local_day = "date(m.starts_at, '+8 hours')"
        truth = "{} = 1"
    pick = ("COALESCE((SELECT MAX(x.year) FROM {t} x {j} WHERE x.year <= %(y)s{w}), "
            "(SELECT MIN(x.year) FROM {t} x {j}{w0}))")
    req_year = pick.format(t="meetings_meetingrequirement", j="JOIN meetings_meetingkind xk ON xk.id = x.kind_id",
                           w=f" AND {truth.format('xk.is_active')}", w0=f" WHERE {truth.format('xk.is_active')}")
    rules_year = pick.format(t="meetings_meetingrules", j="", w="", w0="")
    due_on = minus_days.format(d="p.pe", n="p.due_days_before_end")
    return f"""
WITH RECURSIVE {calendar},
req AS (
  SELECT r.id, r.kind_id, r.org_kinds, r.needs_committee, r.times, r.due_days_before_end, r.remind_days,
         r.remind_from_month, r.remind_from_day,
         CASE r.frequency WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'half_year' THEN 6 ELSE 12 END AS step
  FROM meetings_meetingrequirement r JOIN meetings_meetingkind k ON k.id = r.kind_id
  WHERE {truth.format('k.is_active')} AND r.year = {req_year}),
sett AS (SELECT owe_from_first_full_month AS owe_full, committee_min_members AS cmin, reminder_days
         FROM meetings_meetingrules WHERE year = {rules_year}),
periods AS (SELECT req.*, {ps} AS ps, {pe} AS pe FROM req JOIN cal ON (cal.m - 1) %% req.step = 0),
orgs AS (SELECT o.id, o.path, o.kind, o.founded_on FROM orgs_organization o
         WHERE o.path LIKE %(prefix)s AND {truth.format('o.is_active')}),
ob AS MATERIALIZED (
  SELECT o.id AS org_id, o.path, p.id AS req_id, p.kind_id, p.times, p.ps, p.pe,
         CASE WHEN o.founded_on IS NOT NULL AND o.founded_on > p.ps THEN o.founded_on ELSE p.ps END AS ws,
         {due_on} AS due_on,
         CASE WHEN p.remind_from_month IS NOT NULL THEN {least}({remind_date}, {due_on})
              ELSE {minus_days.format(d=due_on, n="COALESCE(p.remind_days, s.reminder_days)")} END AS remind_on
  FROM orgs o JOIN periods p ON (',' || p.org_kinds || ',') LIKE ('%%,' || o.kind || ',%%') CROSS JOIN sett s
  WHERE (o.founded_on IS NULL OR
         (CASE WHEN {first_of_month} OR NOT {truth.format('s.owe_full')} THEN o.founded_on ELSE {next_month} END) <= p.pe)
    AND (NOT {truth.format('p.needs_committee')} OR
         (SELECT COUNT(DISTINCT c.member_id) FROM members_committeepost c WHERE c.org_id = o.id
            AND c.post <> 'group_leader' AND c.started_on <= p.pe AND (c.ended_on IS NULL OR c.ended_on >= p.pe))
         >= s.cmin)),
held AS (
  SELECT m.org_id, m.kind_id, {local_day} AS day, k.quorum,
         CASE WHEN {truth.format('k.quorum_voting_only')}
              THEN SUM(CASE WHEN {truth.format('a.expected')} AND mm.status = 'full' THEN 1 ELSE 0 END)
              ELSE SUM(CASE WHEN {truth.format('a.expected')} THEN 1 ELSE 0 END) END AS ne,
         CASE WHEN {truth.format('k.quorum_voting_only')}
              THEN SUM(CASE WHEN {truth.format('a.expected')} AND a.status = 'present' AND mm.status = 'full' THEN 1 ELSE 0 END)
              ELSE SUM(CASE WHEN {truth.format('a.expected')} AND a.status = 'present' THEN 1 ELSE 0 END) END AS np
  FROM meetings_meeting m JOIN orgs o ON o.id = m.org_id JOIN meetings_meetingkind k ON k.id = m.kind_id
  LEFT JOIN meetings_attendance a ON a.meeting_id = m.id LEFT JOIN members_member mm ON mm.id = a.member_id
  WHERE m.status = 'confirmed' AND m.starts_at >= %(low)s AND m.starts_at < %(high)s
  GROUP BY m.id, m.org_id, m.kind_id, {local_day}, k.quorum, k.quorum_voting_only),
valid AS MATERIALIZED (
  SELECT org_id, kind_id, day FROM held
  WHERE quorum = 'none' OR (ne > 0 AND ((quorum = 'at_least_half' AND np * 2 >= ne)
        OR (quorum = 'more_than_half' AND np * 2 > ne) OR (quorum = 'two_thirds' AND np * 3 >= ne * 2)))),
judged AS MATERIALIZED (
  SELECT ob.org_id, SUBSTR(ob.path, 1, %(unit_len)s) AS unit, ob.kind_id, ob.pe, ob.due_on, ob.remind_on,
         CASE WHEN COUNT(v.org_id) >= ob.times THEN 1 ELSE 0 END AS done
  FROM ob LEFT JOIN valid v ON v.org_id = ob.org_id AND v.kind_id = ob.kind_id AND v.day >= ob.ws AND v.day <= ob.pe
  GROUP BY ob.org_id, ob.path, ob.req_id, ob.kind_id, ob.ps, ob.pe, ob.due_on, ob.remind_on, ob.times)
SELECT unit, kind_id, pe, SUM(done),
       SUM(CASE WHEN done = 0 AND due_on < %(today)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN done = 0 AND due_on >= %(today)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN done = 0 AND due_on >= %(today)s AND remind_on <= %(today)s THEN 1 ELSE 0 END), NULL
FROM judged GROUP BY unit, kind_id, pe
UNION ALL
SELECT unit, NULL, NULL, NULL, NULL, NULL, NULL, COUNT(DISTINCT org_id) FROM judged GROUP BY unit
"""


def floor_rows(path: str, year: int, today: dt.date, unit_len: int) -> list[tuple[Any, ...]]:
    from django.db import connection
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    low, high = (connection.ops.adapt_datetimefield_value(dt.datetime(y, 1, 1, tzinfo=tz)) for y in (year, year + 1))
    params = {"y": year, "prefix": path + "%", "low": low, "high": high, "today": today.isoformat()
              if connection.vendor == "sqlite" else today, "unit_len": unit_len}
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(connection.vendor), params)
        return cursor.fetchall()


def floor_view(request: Any) -> Any:
    """The floor as a bare view: the one query, rendered as a bare table."""
    from django.http import HttpResponse
    from django.utils import timezone

    path = request.GET["path"]
    rows = floor_rows(path, int(request.GET["year"]), timezone.localdate(), len(path) + 4)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return HttpResponse(f"<html><body><table>{body}</table></body></html>")


def compare(root: Any, year: int, today: dt.date) -> int:
    """The platform's roll-up of ``root`` equals the floor's, unit by unit and column by column."""
    from dangjian.meetings import aggregates, rules
    from dangjian.orgs.models import Organization

    cols = rules.columns(year, "month")
    units = list(Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1, is_active=True)
                 .order_by("path").values_list("id", "name", "path", "kind"))
    summary = aggregates.summary([root.path], year, today, cols, units)
    mine = {}
    for line in summary.rolled:
        mine[(line.org_path, "branches")] = line.branches
        for i, t in enumerate(line.cells):
            if t.total:
                mine[(line.org_path, i)] = (t.done, t.overdue, t.due, t.due_soon)
    theirs: dict[Any, Any] = {}
    for unit, kind, pe, done, overdue, due, soon, owing in floor_rows(root.path, year, today, len(root.path) + 4):
        if unit == root.path:
            continue
        if kind is None:
            theirs[(unit, "branches")] = owing
            continue
        day = pe if isinstance(pe, dt.date) else dt.date.fromisoformat(pe)
        i = day.month - 1
        old = theirs.get((unit, i), (0, 0, 0, 0))
        theirs[(unit, i)] = tuple(a + int(b) for a, b in zip(old, (done, overdue, due, soon), strict=True))
    assert mine == theirs, sorted(set(mine.items()) ^ set(theirs.items()))[:6]
    return sum(t.total for t in summary.by_kind.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--cities", type=int, default=20)
    parser.add_argument("--units", type=int, default=25)
    parser.add_argument("--keep", action="store_true", help="reuse the database built by an earlier run")
    args = parser.parse_args()
    os.environ["DEBUG"] = "0"
    if args.keep:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
        os.environ["DANGJIAN_TESTING"] = "1"
        if args.db == "postgres":
            os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/dangjian_bench_compliance"
        else:
            os.environ["DANGJIAN_VAR_DIR"] = str(ROOT / "bench" / "out" / "compliance")
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
    else:
        prepare("compliance", args.db)
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import path as url_path
    from django.utils import timezone

    from dangjian.members.demo import DEMO_PASSWORD
    from dangjian.orgs.models import Organization

    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    year = today.year
    if not args.keep:
        from dangjian.meetings import stored
        from dangjian.members.province import build_province

        t0 = time.perf_counter()
        build_province(orgs_total=args.orgs, members_total=args.members, cities=args.cities,
                       units_per_city=args.units, log=lambda s: print(s, flush=True), store_obligations=False)
        made = add_meetings(year, today)
        t1 = time.perf_counter()
        rows = stored.rebuild(stored.stored_years() or stored.default_years())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"built in {t1 - t0:.1f} s ({made}); stored {rows} obligations of {stored.stored_years()} "
              f"in {time.perf_counter() - t1:.1f} s", flush=True)

    import bench.urls

    patterns = [url_path(FLOOR_PATH.strip("/") + "/", floor_view), *bench.urls.urlpatterns]
    module = type(sys)("bench_compliance_urls")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    sys.modules["bench_compliance_urls"] = module
    root = Organization.objects.get(depth=1)
    city = Organization.objects.filter(depth=2).order_by("path").first()
    assert city is not None
    city_orgs = Organization.objects.filter(path__startswith=city.path).count()
    obligations_city = compare(city, year, today)
    obligations_root = compare(root, year, today)
    print(f"platform and floor agree: city {city_orgs} organizations, {obligations_city} obligations; "
          f"province {obligations_root}", flush=True)
    from dangjian.meetings import aggregates, rules

    results: dict[str, tuple[float, float]] = {}
    with override_settings(ROOT_URLCONF="bench_compliance_urls"):
        client = Client()
        assert client.post("/accounts/login/", {"username": "sheng", "password": DEMO_PASSWORD}).status_code == 302

        def ok(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:200])

        for label, org in (("city matrix", city), ("province roll-up", root)):
            page = f"/meetings/compliance/?org={org.pk}&year={year}"
            floor = f"{FLOOR_PATH}?path={org.path}&year={year}"
            ok(page), ok(floor)
            results[label] = (median_ms(lambda page=page: ok(page)), median_ms(lambda floor=floor: ok(floor)))
            cols = rules.columns(year, "month")
            units = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                         .order_by("path").values_list("id", "name", "path", "kind"))
            results[f"{label}: SQL only"] = (
                median_ms(lambda org=org, cols=cols, units=units: aggregates.summary([org.path], year, today, cols, units)),
                median_ms(lambda org=org: floor_rows(org.path, year, today, len(org.path) + 4)))
        flat = f"/meetings/compliance/?org={city.pk}&year={year}&view=flat"
        results["city matrix, flat view (page 1 of 100 organizations)"] = (median_ms(lambda: ok(flat)), results["city matrix"][1])
    db = args.db
    for label, (mine, floor) in results.items():
        target = ""
        if label == "city matrix":
            target = f"≤ 1.5x, < 100 ms {'✓' if mine <= 1.5 * floor and mine < 100 else '✗'}"
        elif label == "province roll-up":
            target = f"< 500 ms {'✓' if mine < 500 else '✗'}"
        print(f"| {db} | {label} | {mine:.1f} ms | {floor:.1f} ms | {mine / floor:.2f}x {target} |", flush=True)


if __name__ == "__main__":
    main()
