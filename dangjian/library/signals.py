"""Events of the library: a confirmed record-quality flag is evidence for the filing review and
for organization grading (they subscribe; the library never imports them)."""

from dangjian.core.events import Event

flag_confirmed = Event(
    "library.flag_confirmed", evidence="library.QualityFlag",
    doc="A reviewer confirmed a record-quality flag (a copied, empty or after-the-fact record). "
        "evidence: the ``QualityFlag`` (``meeting``, ``check``, ``matched``, ``similarity``, ``rule``).",
)
