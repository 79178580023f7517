"""REL-03 over the API: a change must say which version it was made on (issue 8).

A PATCH without If-Match (and without a body ``version``) used to skip the check, and a stale
client overwrote a newer change with 200. Now: missing or zero answers 428 with the one error
shape, stale answers 412, and the row is unchanged — for one model of every module whose API
accepts changes. (Screens: the generated suite's ``test_edit_with_zero_or_missing_version``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas
from tests.api.test_api import api_as


def _term(p: Personas) -> Any:
    from dangjian.orgs.models import OrganizationTerm

    return OrganizationTerm.objects.create(org=p.b1, number=1, started_on=dt.date(2024, 1, 1),
                                           ends_on=dt.date(2027, 1, 1))


def _post(p: Personas) -> Any:
    from dangjian.members.models import CommitteePost

    return CommitteePost.objects.create(org=p.b1, member=p.members["m_b1"], post="secretary",
                                        started_on=dt.date(2024, 1, 1))


def _meeting(p: Personas) -> Any:
    from django.utils import timezone

    from dangjian.meetings.models import Meeting, MeetingKind

    kind = MeetingKind.objects.order_by("pk").first()
    start = dt.datetime(2026, 3, 5, 15, 0, tzinfo=timezone.get_current_timezone())
    return Meeting.objects.create(org=p.b1, kind=kind, topic="支部党员大会", starts_at=start,
                                  ends_at=start + dt.timedelta(hours=2), status="planned")


#: module -> (API resource, a row maker, a field change)
CASES: dict[str, tuple[str, Callable[[Personas], Any], dict[str, Any]]] = {
    "orgs": ("organizations", lambda p: p.b1, {"short_name": "一大队"}),
    "orgs terms": ("terms", _term, {"extension_reason": "延期换届"}),
    "members": ("members", lambda p: p.members["m_b1"], {"phone": "13800000001"}),
    "members posts": ("posts", _post, {"ended_on": "2026-06-30"}),
    "meetings": ("meetings", _meeting, {"place": "三楼会议室"}),
}


def snapshot(row: Any) -> dict[str, Any]:
    return type(row)._base_manager.filter(pk=row.pk).values().get()


@pytest.mark.parametrize("case", list(CASES))
def test_a_change_without_its_version_is_428_and_a_stale_one_412(personas: Personas, case: str) -> None:
    resource, make, change = CASES[case]
    with acting_as(None, reason="fixture"):
        row = make(personas)
    row.refresh_from_db()
    url = f"/api/v1/{resource}/{row.pk}/"
    client = api_as("c1_staff")
    before = snapshot(row)
    for headers in ({}, {"HTTP_IF_MATCH": '"0"'}, {"HTTP_IF_MATCH": "0"}):
        response = client.patch(url, change, format="json", **headers)
        assert response.status_code == 428, (case, headers, response.status_code)
        body = response.json()
        assert body["code"] == "precondition_required" and "If-Match" in body["detail"], body
    response = client.patch(url, {**change, "version": 0}, format="json")
    assert response.status_code == 428, (case, response.status_code)
    assert snapshot(row) == before
    response = client.patch(url, change, format="json", HTTP_IF_MATCH=f'"{row.version + 5}"')
    assert response.status_code == 412, (case, response.status_code)
    assert snapshot(row) == before
    etag = client.get(url)["ETag"]
    response = client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, (case, response.content)
    again = client.patch(url, change, format="json", HTTP_IF_MATCH=etag)  # the same client, now stale
    assert again.status_code == 412
