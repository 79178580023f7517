"""Events supervision emits (dangjian.core.events); the grading module subscribes to use
findings, late rectification and returned filings as deductions or evidence."""

from dangjian.core.events import Event

finding_confirmed = Event(
    "supervision.finding_confirmed", evidence="supervision.Finding", data=("target", "area"),
    doc="An inspection finding was confirmed by its team. evidence: the ``Finding``; ``target``: the "
        "inspected organization; ``area``: one of the seven areas.",
)

rectification_closed = Event(
    "supervision.rectification_closed", evidence="supervision.InspectionRectification", data=("late",),
    doc="A rectification item was closed (销号) with the inspector's sign-off. ``late``: closed after "  # zh-ok: term of art
        "its deadline (a deduction for grading).",
)

filing_returned = Event(
    "supervision.filing_returned", evidence="supervision.Filing", data=("round", "items"),
    doc="A quarterly filing was returned for correction. ``round``: the submission returned; ``items``: "
        "the number of items returned.",
)

filing_accepted = Event(
    "supervision.filing_accepted", evidence="supervision.Filing", data=("round",),
    doc="A quarterly filing was accepted by the level above; ``round``: the submission accepted "
        "(1: accepted first time).",
)
