"""The one event contract: how a module tells others that something happened.

A module declares its events in its ``signals.py`` as :class:`Event` objects and sends them
from its services; other modules subscribe without the sender importing them (meetings never
imports points). Every event carries the **evidence** (the row that proves what happened: an
attendance, a paid bill) and the **actor** (the user who caused it, or ``None`` for a job).

A receiver chooses one of two timings, and the timing is part of the contract:

- ``@event.derive`` — the receiver writes records derived from the evidence (points, scoring,
  grading, obligations). It runs *inside the sender's transaction*, right away: what it writes
  commits or rolls back with the write that caused it, and a receiver that raises fails that
  write. Derived entries must be idempotent by (rule, evidence, subject) with a database
  constraint, because the same evidence may be sent again (an amendment re-records an
  attendance); :attr:`Occurrence.evidence_key` is the evidence part of that key.
- ``@event.notify`` — the receiver tells someone (inbox, SMS, 企业微信). It runs *after the
  transaction commits* and never when it rolls back; a failing notification is logged and
  does not affect the write or the other receivers.

:meth:`Event.send` must be called inside the writing transaction (``transaction.atomic``):
otherwise "a failing receiver fails the write" could not hold, so sending outside one is a
programming error and raises.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


class Timing(enum.Enum):
    """When a receiver runs relative to the sender's transaction."""

    DERIVE = "derive"  # inside the transaction; a failure rolls the write back
    NOTIFY = "notify"  # after commit; never for a rolled-back write


@dataclass(frozen=True)
class Occurrence:
    """One sending of an event, as a receiver gets it."""

    event: Event
    actor: Any
    evidence: Any
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def evidence_key(self) -> str:
        """``app_label.model:pk`` of the evidence: the evidence part of a derived entry's
        idempotency key (rule, evidence, subject)."""
        meta = self.evidence._meta
        return f"{meta.app_label}.{meta.model_name}:{self.evidence.pk}"

    def __getitem__(self, name: str) -> Any:
        return self.data[name]


Receiver = Callable[[Occurrence], None]
#: the batch form of a derive receiver: every occurrence of one :meth:`Event.send_batch`
BatchReceiver = Callable[[list[Occurrence]], None]

_REGISTRY: dict[str, Event] = {}


class Event:
    """A declared event: its name (``module.what_happened``), the model of its evidence and
    the names of the extra facts it carries beside evidence and actor.

    ``send`` checks the evidence type and the facts against the declaration, so a sender
    cannot drift from what its subscribers were written against.
    """

    def __init__(self, name: str, *, evidence: str, data: tuple[str, ...] = (), doc: str = "") -> None:
        if "." not in name:
            raise ValueError(f"event name {name!r} must be 'module.what_happened'")
        if name in _REGISTRY:
            raise ValueError(f"event {name!r} is declared twice")
        self.name = name
        self.evidence = evidence  # model label, e.g. "meetings.Attendance"
        self.data = tuple(data)
        self.__doc__ = doc or f"Event {name}."
        self._receivers: list[tuple[Receiver, Timing]] = []
        self._batch_forms: dict[Receiver, BatchReceiver] = {}
        _REGISTRY[name] = self

    def __repr__(self) -> str:
        return f"Event({self.name!r})"

    # --- subscribing ---------------------------------------------------------------------------

    def connect(self, receiver: Receiver, *, timing: Timing) -> Receiver:
        """Subscribe ``receiver`` with ``timing``; subscribing the same function twice is a no-op."""
        if not isinstance(timing, Timing):
            raise TypeError("timing must be Timing.DERIVE or Timing.NOTIFY")
        if all(existing is not receiver for existing, _ in self._receivers):
            self._receivers.append((receiver, timing))
        return receiver

    def disconnect(self, receiver: Receiver) -> None:
        self._receivers = [(r, t) for r, t in self._receivers if r is not receiver]
        self._batch_forms.pop(receiver, None)

    def derive(self, receiver: Receiver) -> Receiver:
        """Decorator: a receiver that writes derived records inside the sender's transaction."""
        return self.connect(receiver, timing=Timing.DERIVE)

    def notify(self, receiver: Receiver) -> Receiver:
        """Decorator: a receiver that notifies someone after the sender's transaction commits."""
        return self.connect(receiver, timing=Timing.NOTIFY)

    def batch_for(self, receiver: Receiver) -> Callable[[BatchReceiver], BatchReceiver]:
        """Decorator: the batch form of the derive ``receiver``. :meth:`send_batch` calls it once
        with every occurrence instead of calling ``receiver`` once per occurrence; it must write
        exactly what the single form would have written for each (tested per receiver)."""
        if receiver not in self.receivers(Timing.DERIVE):
            raise ValueError(f"{self.name}: subscribe {receiver!r} with derive before giving its batch form")

        def register(batch: BatchReceiver) -> BatchReceiver:
            self._batch_forms[receiver] = batch
            return batch

        return register

    @contextmanager
    def subscribed(self, receiver: Receiver, *, timing: Timing) -> Iterator[Receiver]:
        """Subscribe for the duration of a ``with`` block (tests, one-off scripts)."""
        self.connect(receiver, timing=timing)
        try:
            yield receiver
        finally:
            self.disconnect(receiver)

    def receivers(self, timing: Timing | None = None) -> list[Receiver]:
        return [r for r, t in self._receivers if timing is None or t is timing]

    # --- sending -------------------------------------------------------------------------------

    def _occurrence(self, actor: Any, evidence: Any, data: dict[str, Any], using: str | None) -> Occurrence:
        label = getattr(getattr(evidence, "_meta", None), "label", None)
        if label != self.evidence:
            raise TypeError(f"{self.name}: evidence must be a {self.evidence}, got {type(evidence).__name__}")
        if set(data) != set(self.data):
            raise TypeError(f"{self.name}: carries {sorted(self.data)}, got {sorted(data)}")
        if not transaction.get_connection(using).in_atomic_block:
            raise RuntimeError(f"{self.name} must be sent inside the writing transaction (transaction.atomic)")
        return Occurrence(self, actor, evidence, dict(data))

    def send(self, *, actor: Any, evidence: Any, using: str | None = None, **data: Any) -> Occurrence:
        """Deliver the event: derive receivers now, notify receivers on commit.

        Call it inside the writing transaction, after the evidence is saved. An exception of a
        derive receiver propagates to the sender, whose transaction then rolls back.
        """
        occurrence = self._occurrence(actor, evidence, data, using)
        for receiver, timing in list(self._receivers):
            if timing is Timing.DERIVE:
                receiver(occurrence)
            else:
                transaction.on_commit(_deferred(receiver, occurrence), using=using, robust=True)
        return occurrence

    def send_batch(self, *, actor: Any, evidences: Sequence[Any], using: str | None = None,
                   **data: Any) -> list[Occurrence]:
        """Deliver the event once per evidence row, as ``send`` would, in one pass: a derive
        receiver with a batch form (:meth:`batch_for`) gets every occurrence in one call (a
        year's minutes book entered at once derives its points in a few statements, not a few
        per attendance); the others, and every notify receiver, get each occurrence."""
        occurrences = [self._occurrence(actor, evidence, data, using) for evidence in evidences]
        if not occurrences:
            return []
        for receiver, timing in list(self._receivers):
            if timing is Timing.DERIVE:
                batch = self._batch_forms.get(receiver)
                if batch is not None:
                    batch(occurrences)
                else:
                    for occurrence in occurrences:
                        receiver(occurrence)
            else:
                for occurrence in occurrences:
                    transaction.on_commit(_deferred(receiver, occurrence), using=using, robust=True)
        return occurrences


def _deferred(receiver: Receiver, occurrence: Occurrence) -> Callable[[], None]:
    def run() -> None:
        receiver(occurrence)

    run.__qualname__ = f"notify:{occurrence.event.name}:{getattr(receiver, '__qualname__', receiver)}"
    return run


def declared_events() -> dict[str, Event]:
    """Every declared event by name (for documentation and checks)."""
    return dict(_REGISTRY)
