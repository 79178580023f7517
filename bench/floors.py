"""Floors: bare Django views returning the same rows with hand-written SQL.

They skip the ORM, scoping, templates and the filter machinery, but pass the same
middleware, so the ratio measures what the platform's generic machinery costs.
"""

from __future__ import annotations

import html
import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

PAGE = 25
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
