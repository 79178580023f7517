"""Events of the honors module (docs/events.md): points and grading subscribe."""

from dangjian.core.events import Event

commendation_confirmed = Event(
    "honors.commendation_confirmed", evidence="honors.Commendation",
    doc="A commendation was approved by the level above (the points ledger writes its entry; grading uses it "
        "as evidence of the encouragement list).",
)
commendation_revoked = Event(
    "honors.commendation_revoked", evidence="honors.Commendation", data=("reason",),
    doc="A confirmed commendation was revoked (the points ledger writes the reversing entry).",
)
