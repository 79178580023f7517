"""The declared-event API itself: what ``send`` refuses, and the registry. (Delivery timing on
real transactions is tested where the events are sent: meetings and dues ``test_events.py``.)"""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.core.events import Event, Occurrence, Timing, declared_events
from dangjian.orgs.models import Organization

sample = Event("coretest.sample", evidence="orgs.Organization", data=("why",))


def test_every_module_event_is_declared_once_with_its_evidence() -> None:
    events = declared_events()
    assert events["meetings.attendance_recorded"].evidence == "meetings.Attendance"
    assert events["meetings.meeting_confirmed"].evidence == "meetings.Meeting"
    assert events["dues.bill_paid"].evidence == "dues.DuesBill"
    assert events["dues.arrears_warning"].evidence == "members.Member"
    with pytest.raises(ValueError, match="declared twice"):
        Event("dues.bill_paid", evidence="dues.DuesBill")
    with pytest.raises(ValueError, match="module.what_happened"):
        Event("paid", evidence="dues.DuesBill")


def test_send_refuses_a_wrong_evidence_or_undeclared_facts() -> None:
    with pytest.raises(TypeError, match="evidence must be a orgs.Organization"):
        sample.send(actor=None, evidence=object(), why="x")
    with pytest.raises(TypeError, match="carries"):
        sample.send(actor=None, evidence=Organization(pk=1), why="x", extra=1)
    with pytest.raises(TypeError, match="carries"):
        sample.send(actor=None, evidence=Organization(pk=1))


def test_send_outside_a_transaction_is_refused_before_any_receiver_runs() -> None:
    heard: list[Occurrence] = []
    with sample.subscribed(heard.append, timing=Timing.DERIVE), pytest.raises(RuntimeError, match="inside the writing"):
        sample.send(actor=None, evidence=Organization(pk=1), why="x")
    assert heard == []


@pytest.mark.django_db
def test_receivers_are_called_in_subscription_order_and_once_each(django_capture_on_commit_callbacks: Any) -> None:
    calls: list[str] = []

    def first(o: Occurrence) -> None:
        calls.append(f"derive:{o['why']}:{o.evidence_key}")

    def later(o: Occurrence) -> None:
        calls.append(f"notify:{o.actor}")

    sample.derive(first)
    sample.derive(first)  # a second subscription of the same function is ignored
    sample.notify(later)
    try:
        assert sample.receivers(Timing.DERIVE) == [first] and sample.receivers(Timing.NOTIFY) == [later]
        with django_capture_on_commit_callbacks(execute=True):
            sample.send(actor="officer", evidence=Organization(pk=7), why="test")
            assert calls == ["derive:test:orgs.organization:7"]  # notify waits for the commit
    finally:
        sample.disconnect(first)
        sample.disconnect(later)
    assert calls == ["derive:test:orgs.organization:7", "notify:officer"]
    assert sample.receivers() == []


@pytest.mark.django_db
def test_send_batch_gives_batch_forms_every_occurrence_at_once_and_others_each(
        django_capture_on_commit_callbacks: Any) -> None:
    calls: list[Any] = []

    def single(o: Occurrence) -> None:
        calls.append(("single", o.evidence.pk))

    def plain(o: Occurrence) -> None:
        calls.append(("plain", o.evidence.pk))

    def told(o: Occurrence) -> None:
        calls.append(("notify", o.evidence.pk))

    sample.derive(single)
    sample.derive(plain)
    sample.notify(told)

    @sample.batch_for(single)
    def many(occurrences: list[Occurrence]) -> None:
        calls.append(("batch", [o.evidence.pk for o in occurrences], occurrences[0]["why"]))

    try:
        with django_capture_on_commit_callbacks(execute=True):
            sent = sample.send_batch(actor=None, evidences=[Organization(pk=1), Organization(pk=2)], why="book")
            assert [o.evidence_key for o in sent] == ["orgs.organization:1", "orgs.organization:2"]
            assert calls == [("batch", [1, 2], "book"), ("plain", 1), ("plain", 2)]
            sample.send(actor=None, evidence=Organization(pk=3), why="one")  # single sends use the single form
    finally:
        for receiver in (single, plain, told):
            sample.disconnect(receiver)
    assert calls[3:] == [("single", 3), ("plain", 3), ("notify", 1), ("notify", 2), ("notify", 3)]
    assert sample.send_batch(actor=None, evidences=[], why="none") == []


def test_a_batch_form_needs_its_derive_receiver_and_the_facts_are_checked() -> None:
    with pytest.raises(ValueError, match="subscribe"):
        sample.batch_for(print)
    with pytest.raises(TypeError, match="carries"):
        sample.send_batch(actor=None, evidences=[Organization(pk=1)])
