"""Floors: bare Django views returning the same rows with hand-written SQL.

They skip the ORM, scoping, templates and the filter machinery, but pass the same
middleware, so the ratio measures what the platform's generic machinery costs.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from zoneinfo import ZoneInfo

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

PAGE = 25
SHANGHAI = ZoneInfo("Asia/Shanghai")
COLUMNS = ("m.id", "m.name", "m.gender", "m.police_number", "m.personnel_type", "m.status", "o.name",
           "m.job_title", "m.education", "m.joined_party_on")
SQL = (
    f"SELECT {', '.join(COLUMNS)} FROM members_member m JOIN orgs_organization o ON o.id = m.org_id "  # noqa: S608
    "WHERE o.path LIKE %s AND m.status = %s ORDER BY o.path, m.name, m.id LIMIT %s OFFSET %s"
)
COUNT_SQL = ("SELECT COUNT(*) FROM members_member m JOIN orgs_organization o ON o.id = m.org_id "
             "WHERE o.path LIKE %s AND m.status = %s")


def _rows(request: HttpRequest) -> tuple[int, list[tuple[object, ...]]]:
    prefix = request.GET["path"] + "%"
    status = request.GET.get("status", "full")
    page = int(request.GET.get("page", "1"))
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, [prefix, status])
        total = cursor.fetchone()[0]
        cursor.execute(SQL, [prefix, status, PAGE, (page - 1) * PAGE])
        return total, cursor.fetchall()


def member_page(request: HttpRequest) -> HttpResponse:
    total, rows = _rows(request)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return HttpResponse(f"<html><body><p>{total}</p><table>{body}</table></body></html>")


def member_api_page(request: HttpRequest) -> JsonResponse:
    total, rows = _rows(request)
    keys = [c.split(".")[1] if c != "o.name" else "org_name" for c in COLUMNS]
    results = [dict(zip(keys, row, strict=True)) for row in rows]
    return JsonResponse({"count": total, "results": json.loads(json.dumps(results, default=str))})


def compliance_page(request: HttpRequest) -> HttpResponse:
    """Floor of the compliance matrix of a subtree: ONE hand-written query that fetches the
    confirmed meetings of the year under the path prefix, counted per organization, kind and
    month, rendered as a bare table. It does NOT include what the platform adds on top: the
    requirements and organizations (which obligations exist, founding dates, committees), the
    attendance counts for the quorum, the matching of meetings to periods, the statuses, the
    totals and chart, scoping and the template."""
    prefix = request.GET["path"] + "%"
    year = int(request.GET["year"])
    if connection.vendor == "postgresql":
        month = "to_char(m.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
    else:  # SQLite stores UTC text
        month = "strftime('%%Y-%%m', m.starts_at, '+8 hours')"
    sql = (f"SELECT o.id, o.name, m.kind_id, {month} AS period, COUNT(*) FROM meetings_meeting m "  # noqa: S608
           "JOIN orgs_organization o ON o.id = m.org_id WHERE o.path LIKE %s AND m.status = 'confirmed' "
           "AND m.starts_at >= %s AND m.starts_at < %s GROUP BY o.id, o.name, m.kind_id, period "
           "ORDER BY o.id, m.kind_id, period")
    with connection.cursor() as cursor:
        low, high = (connection.ops.adapt_datetimefield_value(dt.datetime(y, 1, 1, tzinfo=SHANGHAI))
                     for y in (year, year + 1))
        cursor.execute(sql, [prefix, low, high])
        rows = cursor.fetchall()
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return HttpResponse(f"<html><body><table>{body}</table></body></html>")


def points_ranking_page(request: HttpRequest) -> HttpResponse:
    """Floor of the points ranking of a subtree (issue 13): ONE hand-written query over the
    maintained balance table (RANK() over the year's balances under the path prefix, the page's
    100 rows joined to their member and branch names), rendered as a bare table. It does not
    include the percentile, the stars, the branch averages, scoping or the template."""
    prefix = request.GET["path"] + "%"
    year = int(request.GET["year"])
    sql = ("SELECT r.rank, m.name, o.name, r.score FROM (SELECT b.member_id, b.org_id, b.score, "
           "RANK() OVER (ORDER BY b.score DESC) AS rank FROM points_pointbalance b "
           "WHERE b.year = %s AND b.org_path LIKE %s ORDER BY b.score DESC, b.member_id LIMIT 100) r "
           "JOIN members_member m ON m.id = r.member_id JOIN orgs_organization o ON o.id = r.org_id "
           "ORDER BY r.score DESC, r.member_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, prefix])
        rows = cursor.fetchall()
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return HttpResponse(f"<html><body><table>{body}</table></body></html>")
