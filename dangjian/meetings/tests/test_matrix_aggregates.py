"""The compliance matrix of a stored year (issue 20 item 1): tallies and unit lines aggregated
in SQL, only the page's rows fetched. What a user sees is what the engine derives for the same
year, whatever the view, and the queries do not grow with organizations or rows."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.testing.personas import Personas
from dangjian.meetings.models import Obligation, ObligationYear
from dangjian.meetings.tests.factories import at, make_meeting
from dangjian.meetings.tests.test_api_compliance import api_as
from dangjian.meetings.tests.test_rules import _branches_with_meetings

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


def _shown(body: str) -> str:
    """The part of the matrix page that depends on the obligations: rate, chart data, table, legend."""
    start = body.index('id="compliance-rate"')
    return body[start:body.index("</dl>", start)]


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]


def test_the_stored_matrix_shows_what_the_engine_derives(personas: Personas, client_for: Login) -> None:
    make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    make_meeting(personas.b1, "branch_general_meeting", at(2026, 3, 10), present=0)  # without quorum
    make_meeting(personas.b2, "themed_party_day", at(2026, 9, 10))
    urls = ["?year=2026", "?year=2026&view=flat", "?year=2026&by=quarter&view=flat",
            f"?year=2026&org={personas.c1.pk}", f"?year=2026&org={personas.b1.pk}&by=quarter",
            f"?year=2026&org={personas.c2.pk}&view=flat"]
    with time_machine.travel(at(2026, 10, 5), tick=False):  # the 组织生活会 due soon, earlier months overdue
        client = client_for("root_staff")
        pages = [client.get("/meetings/compliance/" + url).content.decode() for url in urls]
        sheet = _sheet(client.get(f"/meetings/compliance/?year=2026&org={personas.c1.pk}&format=xlsx"))
        api = api_as("root_staff").get("/api/v1/compliance/?year=2026&period=quarter").json()
        ObligationYear.objects.filter(year=2026).delete()  # the same year, now derived by the engine
        derived = [client.get("/meetings/compliance/" + url).content.decode() for url in urls]
        derived_sheet = _sheet(client.get(f"/meetings/compliance/?year=2026&org={personas.c1.pk}&format=xlsx"))
        derived_api = api_as("root_staff").get("/api/v1/compliance/?year=2026&period=quarter").json()
    for url, stored_page, derived_page in zip(urls, pages, derived, strict=True):
        assert _shown(stored_page) == _shown(derived_page), url
    top = _shown(pages[0])
    rows = re.findall(r'<tr class="rollup-row">.*?</tr>', top, re.S)
    assert len(rows) == 2 and "ob-overdue" in rows[0] and "ob-due_soon" in rows[0]
    assert "即将到期" in top and "已逾期" in top
    assert sheet == derived_sheet and len(sheet) > 20
    assert api == derived_api and api["overdue"] > 0 and api["done"] == 2


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def test_the_stored_matrix_costs_constant_queries_in_organizations_and_rows(personas: Personas,
                                                                           client_for: Login) -> None:
    with time_machine.travel(at(2026, 6, 1), tick=False):
        client = client_for("root_staff")
        api = api_as("root_staff")
        views = ["/meetings/compliance/?year=2026", "/meetings/compliance/?year=2026&view=flat&by=quarter",
                 f"/meetings/compliance/?year=2026&org={personas.c2.pk}",
                 f"/meetings/compliance/?year=2026&org={personas.c2.pk}&format=xlsx"]
        client.get(views[0])  # per-user caches (the navigation's counts) filled once
        counts, stored_rows = [], []
        for n in (1, 6):
            _branches_with_meetings(personas, n)
            counts.append([_queries(client, url) for url in views] + [_queries(api, "/api/v1/compliance/?year=2026")])
            stored_rows.append(Obligation.objects.filter(year=2026).count())
        flat = client.get(views[1]).content.decode()
    assert counts[0] == counts[1], counts
    assert stored_rows[1] > stored_rows[0]
    assert "批量支部5" in flat and "ob-done" in flat
