"""Events the members module emits; other modules (points, dues) subscribe. Members imports none of them
(docs/events.md)."""

from dangjian.core.events import Event

member_moved = Event(
    "members.member_moved", evidence="members.Transfer",
    doc="A member moved to another branch of the installation (an internal transfer). evidence: the "
        "``Transfer`` (``member``, ``from_org``, ``to_org``, ``transferred_on``). Rows kept per member "
        "and period (a points balance) follow the member from the transfer's year on.",
)
