"""Commendations feed points exactly once and a revocation reverses them; the review window
and the yearly cap hold; a unit's honors show on its organization page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from dangjian.core import approvals
from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.testing.personas import PASSWORD, Personas
from dangjian.honors import services, signals
from dangjian.honors.models import Commendation, CommendationKind, Pennant
from dangjian.points.choices import EntryKind
from dangjian.points.models import PointBalance, PointEntry

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def nominate(p: Personas, member: Any, code: str = "excellent_member", until: dt.date = dt.date(2026, 6, 7)) -> Any:
    row = Commendation(org=p.b1, kind=CommendationKind.objects.get(year=2026, code=code), member=member,
                       merits="事迹突出", review_from=until - dt.timedelta(days=6), review_until=until)
    with acting_as(p.user("officer_b1"), reason="test"):
        return services.nominate(actor=p.user("officer_b1"), row=row)


def decide(p: Personas, row: Any, approve: bool = True) -> Any:
    with acting_as(p.user("c1_staff"), reason="test"):
        return approvals.decide(actor=p.user("c1_staff"), row=row, approve=approve, reference="党委会议纪要第5号",
                                decided_on=dt.date(2026, 6, 10))


def entries(member: Any) -> list[PointEntry]:
    """The member's entries from commendations and their reversals."""
    from django.db.models import Q

    return list(PointEntry.objects.filter(member=member).filter(
        Q(evidence__startswith="honors.commendation:") | Q(reverses__evidence__startswith="honors.commendation:"))
        .order_by("id"))


def test_a_confirmed_commendation_yields_one_entry_and_a_revocation_reverses_it(personas: Personas) -> None:
    p = personas
    member = p.members["m_b1"]
    row = nominate(p, member)
    assert entries(member) == []  # a nomination alone earns nothing
    row = decide(p, row)
    [entry] = entries(member)
    assert entry.points == 5 and entry.rule.code == "commendation_confirmed" and entry.live
    assert PointBalance.objects.get(member=member, year=2026).ledger == 5
    # the event sent again (a replay) writes nothing more
    with acting_as(p.user("c1_staff"), reason="test"), transaction.atomic():
        signals.commendation_confirmed.send(actor=None, evidence=row)
    assert len(entries(member)) == 1
    # revoked through the screen: one reversing entry, the balance back to nothing
    response = login("c1_staff").post(f"/honors/commendations/{row.pk}/revoke/", {"reason": "事迹不实"})
    assert response.status_code == 302
    original, reversal = entries(member)
    assert reversal.kind == EntryKind.REVERSAL and reversal.reverses_id == original.pk and reversal.points == -5
    assert PointBalance.objects.get(member=member, year=2026).ledger == 0
    row.refresh_from_db()
    assert row.revoked_on is not None and not row.is_confirmed
    # revoking twice is refused with a sentence, nothing more written
    again = login("c1_staff").post(f"/honors/commendations/{row.pk}/revoke/", {"reason": "再次"})
    assert again.status_code == 400 and "只有已确认的表彰才能撤销" in again.content.decode()
    assert len(entries(member)) == 2


def test_a_rejected_nomination_and_an_organization_earn_no_points(personas: Personas) -> None:
    p = personas
    decide(p, nominate(p, p.members["m_b1"]), approve=False)
    row = Commendation(org=p.b1, kind=CommendationKind.objects.get(year=2026, code="five_good_branch"),
                       nominee_org=p.b1, merits="五好", review_from=dt.date(2026, 6, 1),
                       review_until=dt.date(2026, 6, 7))
    with acting_as(p.user("officer_b1"), reason="test"):
        services.nominate(actor=p.user("officer_b1"), row=row)
    decide(p, row)
    assert not PointEntry.objects.filter(evidence__startswith="honors.commendation:").exists()  # nothing at all


def test_the_branch_peer_cannot_revoke(personas: Personas) -> None:
    p = personas
    row = decide(p, nominate(p, p.members["m_b1"]))
    assert login("officer_b1").post(f"/honors/commendations/{row.pk}/revoke/", {"reason": "x"}).status_code == 400
    assert login("officer_b2").post(f"/honors/commendations/{row.pk}/revoke/", {"reason": "x"}).status_code == 404
    row.refresh_from_db()
    assert row.is_confirmed


def test_no_decision_while_the_review_window_is_open(personas: Personas) -> None:
    p = personas
    today = timezone.localdate()
    row = nominate(p, p.members["m_b1"], until=today)  # today is the window's last day
    with pytest.raises(RuleError, match=f"{today:%Y-%m-%d}"):
        decide(p, row)


def test_the_yearly_cap_is_data(personas: Personas) -> None:
    p = personas
    kind = CommendationKind.objects.get(year=2026, code="merit_second")
    assert kind.yearly_cap == 1
    decide(p, nominate(p, p.members["m_b1"], "merit_second"))
    second = nominate(p, p.members["m_b1_2"], "merit_second")
    response = login("c1_staff").post(f"/honors/commendations/{second.pk}/decide/", {
        "approve": "1", "reference": "党委会议纪要第6号", "decided_on": "2026-06-10", "version": second.version})
    assert response.status_code == 400 and "本年度" in response.content.decode()
    with acting_as(p.user("c1_staff"), reason="test"):
        kind.yearly_cap = 2
        kind.save()
    decide(p, Commendation.objects.get(pk=second.pk))


def test_a_units_honors_per_year_show_on_its_organization_page(personas: Personas) -> None:
    p = personas
    with acting_as(None, reason="test"):
        for day in (dt.date(2025, 5, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)):
            Pennant(org=p.b1, received_on=day, from_whom="群众", case="案件").save()
        Pennant(org=p.b2, received_on=dt.date(2026, 3, 1), from_whom="群众", case="案件").save()
    page = login("c1_staff").get(f"/orgs/{p.b1.pk}/").content.decode()
    assert f"/honors/unit-counts/?org={p.b1.pk}" in page
    counts = login("c1_staff").get(f"/honors/unit-counts/?org={p.b1.pk}").content.decode()
    assert f'?org={p.b1.pk}&year=2026">2<' in counts and f'?org={p.b1.pk}&year=2025">1<' in counts
    # another branch's officer gets nothing of B1
    assert login("officer_b2").get(f"/honors/unit-counts/?org={p.b1.pk}").status_code == 404
