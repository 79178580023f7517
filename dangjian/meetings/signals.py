"""Events organizational life emits; other modules (points, assessment) subscribe.

Declared with the core contract (:mod:`dangjian.core.events`): each carries the evidence row and
the actor. A points entry subscribes with ``derive`` and commits or rolls back together with the
attendance or confirmation that caused it; an inbox message subscribes with ``notify``.
"""

from dangjian.core.events import Event

attendance_recorded = Event(
    "meetings.attendance_recorded", evidence="meetings.Attendance",
    doc="An attendance row changed status (a check-in, the organizer's grid, an approved leave, an "
        "amendment). evidence: the ``Attendance`` (its ``meeting`` is loaded). The same row may be "
        "sent again by a later change: derived entries are idempotent by (rule, evidence, subject).",
)

meeting_confirmed = Event(
    "meetings.meeting_confirmed", evidence="meetings.Meeting", data=("attendances",),
    doc="A meeting was confirmed and its record locked. evidence: the ``Meeting``; ``attendances``: "
        "its final attendance rows (members loaded).",
)
