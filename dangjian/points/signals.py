"""Events of violation scoring; the points ledger (and later F7 grading) subscribes.

Declared with the core contract (:mod:`dangjian.core.events`). The ledger's receivers are in
``receivers.py`` beside those for organizational life and dues, exactly as a later module
(study, development, care) would subscribe.
"""

from dangjian.core.events import Event

violation_confirmed = Event(
    "points.violation_confirmed", evidence="points.ViolationRecord",
    doc="A violation record was confirmed by someone other than its recorder. evidence: the "
        "``ViolationRecord`` (``member``, ``points``, ``occurred_on``). Member points deduct per violation point.",
)

violation_withdrawn = Event(
    "points.violation_withdrawn", evidence="points.ViolationRecord",
    doc="An appeal against a confirmed violation was upheld. evidence: the ``ViolationRecord``; what was "
        "derived from its confirmation is reversed.",
)
