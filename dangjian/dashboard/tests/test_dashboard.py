"""The dashboard over a generated city: every figure equals the list it opens into; scoping;
cache invalidation; constant queries."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from dangjian.core.modules import dashboard_figures
from dangjian.core.views import ObjectListView
from dangjian.dashboard import compose
from dangjian.dashboard.tests.conftest import context_count

pytestmark = pytest.mark.django_db


def _is_generic_list(url: str) -> bool:
    view_class = getattr(resolve(urlsplit(url).path).func, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, ObjectListView)


def test_every_module_declares_its_figures() -> None:
    keys = {f.key for f in dashboard_figures()}
    assert {"members_composition", "meetings_compliance", "dues_collection", "points_distribution",
            "points_violations", "development_pipeline", "study_tests", "supervision_inspections",
            "supervision_rectification"} <= keys


def test_every_figure_equals_the_list_it_opens(city: Any, client_for: Any) -> None:
    """For the city (root staff) and one unit committee: each number that opens a generic list
    equals that list's row count; compliance numbers equal the compliance matrix's tallies."""
    client = client_for("root_staff")
    checked = 0
    for org in (city.root, city.c1):
        page = client.get(reverse("dashboard:index"), {"org": org.pk})
        assert page.status_code == 200
        shown = page.context["shown"]
        assert {s.figure.key for s in shown} >= {"members_composition", "development_pipeline"}
        for s in shown:
            for item in [*s.data.items, *s.data.headline]:
                if not item.url or not _is_generic_list(item.url):
                    continue
                response = client.get(item.url)
                assert response.status_code == 200, item.url
                assert context_count(response) == item.value, (s.figure.key, item.label, item.url)
                checked += 1
            if s.figure.key == "meetings_compliance":
                matrix = client.get(s.data.headline[0].url)
                tally = matrix.context["grid"].total
                assert s.data.headline[0].note == f"{tally.done}/{tally.done + tally.overdue}"
                assert s.data.headline[1].value == tally.overdue
    assert checked > 40
    members = next(s for s in compose.dashboard(city.user("root_staff"), compose.subtree_for(city.user("root_staff"), None))
                   if s.figure.key == "members_composition")
    assert members.data.headline[0].value > 18  # the generated members are counted


def test_a_number_opens_from_the_page(city: Any, client_for: Any) -> None:
    page = client_for("root_staff").get(reverse("dashboard:index")).content.decode()
    assert 'class="dash-drill"' in page and "dashboard-data" in page
    assert "<script>" not in page.replace('<script src=', "")  # no inline script under the CSP


def test_branch_officer_sees_only_their_branch(city: Any, client_for: Any) -> None:
    client = client_for("officer_b1")
    page = client.get(reverse("dashboard:index"))
    assert page.status_code == 200
    assert page.context["subtree"].org_id == city.b1.pk
    assert [o.pk for o in page.context["picker"]] == [city.b1.pk]
    for org in (city.b2, city.c1, city.root):
        assert client.get(reverse("dashboard:index"), {"org": org.pk}).status_code == 404
        assert client.get(reverse("dashboard:screen"), {"org": org.pk}).status_code == 404
        assert client.get(reverse("dashboard:figure_xlsx", args=["members_composition"]),
                          {"org": org.pk}).status_code == 404
        assert client.get(reverse("dashboard:report_file", args=["statistics", "docx"]),
                          {"org": org.pk}).status_code == 404
    members = next(s for s in page.context["shown"] if s.figure.key == "members_composition")
    from dangjian.members.models import Member

    assert members.data.headline[0].value == Member.objects.filter(org__path__startswith=city.b1.path,
                                                                   is_active=True).count()


def test_committee_staff_cannot_open_a_sibling_subtree(city: Any, client_for: Any) -> None:
    client = client_for("c1_staff")
    assert client.get(reverse("dashboard:index"), {"org": city.c1.pk}).status_code == 200
    assert client.get(reverse("dashboard:index"), {"org": city.c2.pk}).status_code == 404
    assert client.get(reverse("dashboard:index"), {"org": city.root.pk}).status_code == 404


@pytest.mark.parametrize("name", ["member_b1", "sysadmin", "secadmin", "auditadmin"])
def test_no_dashboard_without_a_grant_on_business_data(p: Any, client_for: Any, name: str) -> None:
    assert client_for(name).get(reverse("dashboard:index")).status_code == 404


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_figure_export_is_an_excel_sheet_of_its_numbers(city: Any, client_for: Any) -> None:
    import io

    from openpyxl import load_workbook

    response = client_for("root_staff").get(reverse("dashboard:figure_xlsx", args=["development_pipeline"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    shown = compose.figure(city.user("root_staff"), compose.subtree_for(city.user("root_staff"), None),
                           "development_pipeline")
    assert [v[2] for v in values] == [i.value for i in [*shown.data.headline, *shown.data.items]]


def test_figures_are_cached_and_a_write_invalidates_them(city: Any, django_capture_on_commit_callbacks: Any) -> None:
    from dangjian.core.context import acting_as
    from dangjian.core.testing.personas import make_member

    user = city.user("root_staff")
    subtree = compose.subtree_for(user, None)
    first = {s.figure.key: s.data for s in compose.dashboard(user, subtree)}
    with CaptureQueriesContext(connection) as warm:
        again = {s.figure.key: s.data for s in compose.dashboard(user, subtree)}
    assert again == first
    assert not [q for q in warm.captured_queries if "members_member" in q["sql"]]  # served from the cache
    with django_capture_on_commit_callbacks(execute=True), acting_as(None, reason="test"):
        make_member(city.b2, name="新党员")
    after = {s.figure.key: s.data for s in compose.dashboard(user, subtree)}
    assert after["members_composition"].headline[0].value == first["members_composition"].headline[0].value + 1
    assert after["development_pipeline"] == first["development_pipeline"]


def _queries(client: Any, org: Any) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard:index"), {"org": org.pk}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_in_organizations(city: Any, client_for: Any) -> None:
    from dangjian.core.context import acting_as
    from dangjian.core.testing.personas import make_member
    from dangjian.orgs.models import Organization

    client = client_for("root_staff")
    client.get(reverse("dashboard:index"))
    before = _queries(client, city.root)
    with acting_as(None, reason="test"):
        for n in range(12):
            parent = Organization.objects.get(pk=city.c2.pk)
            branch = parent.add_child(name=f"新增党支部{n}", code=f"NB{n}", kind="branch")
            make_member(branch, name=f"新增党员{n}")
    assert _queries(client, city.root) == before


def test_screen_has_no_navigation_and_refreshes(city: Any, client_for: Any) -> None:
    page = client_for("root_staff").get(reverse("dashboard:screen"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-refresh="300"' in html and "navbar" not in html and "dashboard/screen.css" in html


def test_province_shape_is_timed(city: Any, client_for: Any) -> None:
    """A smoke timing on the test city (the province figures are in bench/dashboard.py)."""
    client = client_for("root_staff")
    start = time.perf_counter()
    assert client.get(reverse("dashboard:index")).status_code == 200
    cold = time.perf_counter() - start
    start = time.perf_counter()
    assert client.get(reverse("dashboard:index")).status_code == 200
    warm = time.perf_counter() - start
    assert warm < cold + 0.5


def test_drill_links_keep_the_subtree(city: Any) -> None:
    user = city.user("root_staff")
    shown = compose.dashboard(user, compose.subtree_for(user, city.c1.pk))
    urls = [i.url for s in shown for i in s.data.items if i.url]
    assert urls and all(parse_qs(urlsplit(u).query).get("within", parse_qs(urlsplit(u).query).get("org")) for u in urls
                        if "inspection_list" not in u)
