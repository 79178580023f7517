"""The library listens to organizational life: a confirmed meeting record is checked at once
(after commit: a check never blocks or rolls back the record)."""

from __future__ import annotations

from dangjian.core.events import Occurrence
from dangjian.library import quality
from dangjian.meetings.signals import meeting_confirmed


@meeting_confirmed.notify
def check_confirmed_record(occurrence: Occurrence) -> None:
    meeting = occurrence.evidence
    if quality.already_checked(meeting):  # e.g. records entered and checked in one batch
        return
    quality.check_meeting(meeting)
