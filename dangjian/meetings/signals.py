"""Events organizational life emits; other modules (points, assessment) subscribe.

Both are sent inside the writing transaction, so a subscriber's own writes (a points entry,
say) commit or roll back together with the attendance or confirmation that caused them.
Subscribers receive the rows themselves as evidence, never ids to look up again.

- ``attendance_recorded(sender=Meeting, meeting=..., attendance=...)``: an attendance row
  changed status (a check-in, the organizer's grid, an approved leave, an amendment).
- ``meeting_confirmed(sender=Meeting, meeting=..., attendances=[...])``: a meeting was
  confirmed and its record locked; ``attendances`` are its final attendance rows.
"""

from django.dispatch import Signal

attendance_recorded = Signal()
meeting_confirmed = Signal()
