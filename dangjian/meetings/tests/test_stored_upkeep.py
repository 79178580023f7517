"""Upkeep of the stored obligations (issue 20 item 1): a confirmation refreshes its slice once,
a minutes book entered at once refreshes once per year, the once-per-transaction memory does not
outlive its transaction, and the schedule stores the coming year in December."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from dangjian.core.testing.personas import Personas
from dangjian.meetings import services, stored
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import Obligation, ObligationYear
from dangjian.meetings.tests.factories import at, kind, make_meeting
from dangjian.meetings.tests.test_stored_obligations import assert_in_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshes(monkeypatch: Any) -> list[tuple[set[int] | None, list[int]]]:
    """Every call of ``stored.refresh`` (organizations, years), the real refresh still done."""
    calls: list[tuple[set[int] | None, list[int]]] = []
    real = stored.refresh

    def counting(org_ids: Any, years: Any) -> int:
        calls.append((None if org_ids is None else set(org_ids), list(years)))
        return real(org_ids, years)

    monkeypatch.setattr(stored, "refresh", counting)
    return calls


def _recorded(personas: Personas) -> Any:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 4, 20), status=MeetingStatus.PLANNED)
    meeting.attendances.update(status=AttendanceStatus.PRESENT)
    return meeting


def test_confirming_a_meeting_refreshes_its_slice_once(personas: Personas, refreshes: list[Any]) -> None:
    meeting = _recorded(personas)
    refreshes.clear()
    services.confirm_meeting(actor=None, meeting=meeting, now=at(2026, 4, 21))
    assert refreshes == [({personas.b1.pk}, [2026])]  # the save's refresh; the event's is skipped
    lecture = Obligation.objects.get(org=personas.b1, requirement__kind__code="party_lecture",
                                     period_start=dt.date(2026, 4, 1))
    assert lecture.done
    assert_in_step()


def test_the_memory_ends_with_its_transaction(personas: Personas, refreshes: list[Any]) -> None:
    meeting = _recorded(personas)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.confirm_meeting(actor=None, meeting=meeting, now=at(2026, 4, 21))
        assert meeting.pk in (stored._covered() or set())
        raise RuntimeError
    assert meeting.pk not in (stored._covered() or set())  # rolled back: nothing is taken as refreshed
    refreshes.clear()
    with transaction.atomic():
        stored.meeting_confirmed(type("Occurrence", (), {"evidence": meeting})())
    assert len(refreshes) == 1


def test_a_minutes_book_refreshes_once_per_year(personas: Personas, refreshes: list[Any]) -> None:
    book = [services.PastMeeting(org=org, kind=kind(code), topic=f"{code}{month}", starts_at=at(2026, month, 8, 9),
                                 ends_at=at(2026, month, 8, 10), minutes="记录", host=None, recorder=None)
            for org in (personas.b1, personas.b2) for month in (2, 3, 5)
            for code in ("themed_party_day", "party_lecture")]
    services.enter_past_meetings(actor=None, meetings=book, now=at(2026, 6, 1, 9))
    assert refreshes == [({personas.b1.pk, personas.b2.pk}, [2026])]
    assert_in_step()


def test_the_schedule_stores_the_coming_year_in_december(personas: Personas) -> None:
    from dangjian.core import jobs
    from dangjian.core.jobs.models import ScheduledTask
    from dangjian.meetings.jobs import store_next_year

    line = ScheduledTask.objects.get(name="meetings_store_next_year")
    assert line.enabled and line.every_minutes == 24 * 60 and line.handler == "dangjian.meetings.jobs.store_next_year"
    coming = max(stored.stored_years()) + 1
    admin = personas.user("sysadmin")
    jobs.start(store_next_year, actor=admin, params={"today": f"{coming - 1}-11-30"})
    assert coming not in stored.stored_years()  # not before December
    row = jobs.start(store_next_year, actor=admin, params={"today": f"{coming - 1}-12-01"})
    row.refresh_from_db()
    assert row.status == "succeeded", row.result
    assert coming in stored.stored_years() and Obligation.objects.filter(year=coming).exists()
    ObligationYear.objects.filter(year=coming).delete()
    assert_in_step()
