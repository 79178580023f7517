"""What member development announces to other modules (docs/events.md)."""

from dangjian.core.events import Event

stage_reached = Event(
    "development.stage_reached", evidence="development.Case", data=("stage", "step"),
    doc="A development case reached a stage (activist, candidate, probationary, full, cancelled, closed) "
        "through the recorded step that decided it.",
)
member_converted = Event(
    "development.member_converted", evidence="members.Member", data=("case", "full_member_on"),
    doc="A probationary member became a full member through the approved full-membership step.",
)
