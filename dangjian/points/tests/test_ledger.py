"""The ledger's rules: events to entries to balances to ranks, caps, reversals, the governed flow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.testing.personas import Personas, make_member
from dangjian.points import rules, services
from dangjian.points.choices import EntryStatus
from dangjian.points.models import PointEntry, PointRule, PointScheme
from dangjian.points.tests.conftest import attend, award, balance, meeting, rule, to_final

pytestmark = pytest.mark.django_db


def ledger_sum(member: Any, year: int = 2026) -> int:
    return PointEntry.objects.filter(member=member, year=year, status=EntryStatus.FINAL)\
        .aggregate(s=Sum("points"))["s"] or 0


def test_attendance_event_to_entry_to_balance_to_rank_and_a_replay_counts_once(personas: Personas) -> None:
    p, officer = personas, personas.user("officer_b1")
    zhang, li = p.members["m_b1"], p.members["m_b1_2"]
    m = meeting(p.b1)
    row = attend(officer, m, zhang, "present")
    entry = PointEntry.objects.get(member=zhang)
    assert (entry.rule.code, entry.points, entry.status, entry.evidence) == (
        "attend_meeting", 1, "final", f"meetings.attendance:{row.pk}")
    assert balance(zhang).score == 61
    # the same event again (an amendment re-sends the row): still one entry
    from dangjian.meetings import signals
    with acting_as(officer, reason="test"), transaction.atomic():
        signals.attendance_recorded.send(actor=officer, evidence=row)
    assert PointEntry.objects.filter(member=zhang).count() == 1
    assert balance(zhang).score == 61
    attend(officer, m, li, "absent")
    assert balance(li).score == 58  # 60 - 2 for absence without leave
    ranked = list(rules.ranking(2026, [p.b1.path]))
    assert [(r.member_id, r.rank, r.score) for r in ranked] == [(zhang.pk, 1, 61), (li.pk, 2, 58)]


def test_an_attendance_changed_to_absent_reverses_the_award_and_deducts(personas: Personas) -> None:
    p, officer = personas, personas.user("officer_b1")
    zhang = p.members["m_b1"]
    m = meeting(p.b1)
    attend(officer, m, zhang, "present")
    attend(officer, m, zhang, "absent")
    rows = list(PointEntry.objects.filter(member=zhang).order_by("id").values_list("kind", "points", "rule__code"))
    assert rows == [("auto", 1, "attend_meeting"), ("reversal", -1, "attend_meeting"), ("auto", -2, "absent_meeting")]
    assert balance(zhang).score == 58
    attend(officer, m, zhang, "present")  # back to present: the award counts again, once
    assert balance(zhang).score == 61 == 60 + ledger_sum(zhang)


def test_dues_paid_on_time_and_late(personas: Personas, dues_seed_db: None) -> None:
    from dangjian.dues.tests.conftest import assess, bill_months, pay

    p, officer = personas, personas.user("officer_b1")
    zhang = p.members["m_b1"]
    assess(officer, zhang, 2026, "4000.00")
    bill_months(officer, p.b1, 2026, range(1, 3))
    pay(officer, zhang, "80.00", dt.date(2026, 2, 5), months=[dt.date(2026, 1, 1), dt.date(2026, 2, 1)])
    codes = sorted(PointEntry.objects.filter(member=zhang).values_list("rule__code", "points"))
    assert codes == [("dues_late", -2), ("dues_on_time", 1)]
    assert balance(zhang).score == 59


def test_a_voided_payment_reverses_its_dues_points_once_and_a_new_payment_earns_them_again(
        personas: Personas, dues_seed_db: None, client_for: Any) -> None:
    from dangjian.dues import services as dues
    from dangjian.dues.signals import bill_unpaid
    from dangjian.dues.tests.conftest import assess, bill_months, pay

    p, officer = personas, personas.user("officer_b1")
    zhang = p.members["m_b1"]
    assess(officer, zhang, 2026, "4000.00")
    bill_months(officer, p.b1, 2026, range(3, 4))
    paid = pay(officer, zhang, "40.00", dt.date(2026, 3, 5), months=[dt.date(2026, 3, 1)])
    assert balance(zhang).score == 61
    with acting_as(officer, reason="test"):
        dues.void_payment(actor=officer, payment=paid.payment, reason="收款录错人")
    entries = list(PointEntry.objects.filter(member=zhang).order_by("id").values_list("rule__code", "points", "live"))
    assert entries == [("dues_on_time", 1, False), ("dues_on_time", -1, False)]
    assert balance(zhang).score == 60 == 60 + ledger_sum(zhang)
    # the same event again (a replay) reverses nothing more
    bill = paid.settled[0]
    with transaction.atomic(), acting_as(officer, reason="test"):
        bill_unpaid.send(actor=officer, evidence=bill, reason="replay")
    assert PointEntry.objects.filter(member=zhang).count() == 2
    assert balance(zhang).score == 60
    # paid again: the bill earns its point again, once
    pay(officer, zhang, "40.00", dt.date(2026, 3, 6), months=[dt.date(2026, 3, 1)])
    assert balance(zhang).score == 61 == 60 + ledger_sum(zhang)
    page = client_for("officer_b1").get(f"/points/members/{zhang.pk}/?year=2026")
    assert "收款录错人" in page.content.decode()


def test_a_member_moved_to_another_branch_takes_the_years_balance_along(personas: Personas) -> None:
    from dangjian.members import services as members

    p, officer, staff = personas, personas.user("officer_b1"), personas.user("c1_staff")
    zhang = p.members["m_b1"]
    row = meeting(p.b1, day=dt.date(2026, 3, 10))
    attend(officer, row, zhang, "present")
    with acting_as(None, reason="test"):  # last year's balance stays where it was earned
        services.locked_balance(services._member(zhang.pk), 2025)
    assert balance(zhang).org_id == p.b1.pk
    with acting_as(staff, reason="test"):
        members.record_transfer(actor=staff, member=zhang, direction="internal", to_org=p.b2, external_org="",
                                transferred_on=dt.date(2026, 6, 1))
    moved = balance(zhang)
    assert (moved.org_id, moved.org_path, moved.score) == (p.b2.pk, p.b2.path, 61)
    assert balance(zhang, 2025).org_id == p.b1.pk
    assert [r.member_id for r in rules.ranking(2026, [p.b2.path])] == [zhang.pk]
    assert zhang.pk not in [r.member_id for r in rules.ranking(2026, [p.b1.path])]
    averages = {a["org_id"]: a["members"] for a in rules.branch_averages(2026, [p.c1.path])}
    assert averages.get(p.b2.pk) == 1 and p.b1.pk not in averages


def test_a_category_cap_counts_the_excess_as_zero_with_the_reason(personas: Personas) -> None:
    p, officer = personas, personas.user("officer_b1")
    zhang = p.members["m_b1"]
    for i in range(9):  # themed party days: capped at 8 a year
        attend(officer, meeting(p.b1, "themed_party_day", dt.date(2026, 1 + i, 3)), zhang, "present")
    last = PointEntry.objects.filter(member=zhang).order_by("-id")[0]
    assert (last.rule_points, last.points) == (1, 0)
    assert "8" in last.capped_reason and "主题党日" in last.capped_reason
    assert balance(zhang).score == 68


def test_a_reversal_returns_the_balance_and_the_history_keeps_both(personas: Personas, client_for: Any) -> None:
    p, officer = personas, personas.user("officer_b1")
    zhang = p.members["m_b1"]
    entry = to_final(p, award(officer, zhang, "invited_lecture"), p.user("member_b1"))
    assert (entry.status, balance(zhang).score) == ("final", 65)
    response = client_for("officer_b1").post(f"/points/entries/{entry.pk}/reverse/", {"note": "重复登记"})
    assert response.status_code == 302
    assert balance(zhang).score == 60
    history = list(PointEntry.objects.filter(member=zhang).order_by("id").values_list("points", "reverses_id"))
    assert history == [(5, None), (-5, entry.pk)]
    page = client_for("member_b1").get("/points/mine/?year=2026").content.decode()
    assert "重复登记" in page and 'id="sum">60<' in page
    with pytest.raises(RuleError, match="已冲正"), acting_as(officer, reason="test"):
        services.reverse(actor=officer, entry=PointEntry.objects.get(pk=entry.pk), reason="again")


def test_entries_count_only_when_final_and_the_scorer_never_approves(personas: Personas) -> None:
    p, officer = personas, personas.user("officer_b1")
    zhang, member = p.members["m_b1"], p.user("member_b1")
    entry = award(officer, zhang, "commendation")
    assert (entry.status, balance(zhang).score, balance(zhang).pending) == ("recorded", 60, 5)
    with acting_as(member, reason="test"):
        entry = services.confirm(actor=member, entry=entry, accept=True)
    with pytest.raises(RuleError, match="登记人以外"), acting_as(officer, reason="test"):
        services.approve(actor=officer, entry=entry, accept=True)
    final = to_final(p, entry, member)
    assert final.status == "final" and balance(zhang).score == 65 and balance(zhang).pending == 0


def test_an_objection_within_the_window_changes_the_outcome_and_after_it_is_refused(personas: Personas,
                                                                                   client_for: Any) -> None:
    p, officer, staff = personas, personas.user("officer_b1"), personas.user("c1_staff")
    zhang, member = p.members["m_b1"], p.user("member_b1")
    entry = award(officer, zhang, "commitment_unkept", day=dt.date(2026, 3, 5))  # -3
    with acting_as(member, reason="test"):
        services.confirm(actor=member, entry=entry, accept=True)
    with acting_as(staff, reason="test"):
        services.approve(actor=staff, entry=PointEntry.objects.get(pk=entry.pk), accept=True)
    with acting_as(officer, reason="test"):
        pub = services.publish(actor=officer, org=p.b1, month=dt.date(2026, 3, 1), today=dt.date(2026, 4, 3))  # a Friday
    assert pub.window_ends_on == dt.date(2026, 4, 8)  # three working days: Mon, Tue, Wed
    with acting_as(member, reason="test"):
        objection = services.object_to(actor=member, entry=PointEntry.objects.get(pk=entry.pk), reason="已兑现",
                                       today=dt.date(2026, 4, 8))
    with acting_as(officer, reason="test"):
        services.answer(actor=officer, objection=objection, upheld=True, text="核实已兑现", today=dt.date(2026, 4, 9))
        services.close(actor=officer, publication=pub, today=dt.date(2026, 4, 9))
    entry.refresh_from_db()
    assert entry.status == "rejected" and balance(zhang).score == 60  # the deduction never counted
    # a second entry of the same publication: objection after the window is refused, clearly
    other = award(officer, zhang, "commitment_unkept", day=dt.date(2026, 4, 6))
    pub2_entry = to_final(p, other, member, today=dt.date(2026, 5, 4))
    assert balance(zhang).score == 57
    client = client_for("member_b1")
    response = client.post(f"/points/entries/{pub2_entry.pk}/object/", {"note": "不服"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "异议期已于" in page and not pub2_entry.objections.exists()


def test_a_member_sees_only_their_own_ledger(personas: Personas, client_for: Any) -> None:
    p, officer = personas, personas.user("officer_b1")
    m = meeting(p.b1)
    attend(officer, m, p.members["m_b1"], "present")
    attend(officer, m, p.members["m_b1_2"], "present")
    others = PointEntry.objects.get(member=p.members["m_b1_2"])
    client = client_for("member_b1")
    listed = client.get("/points/entries/")
    assert listed.status_code == 200
    assert {row.record.member_id for row in listed.context["table"].rows} == {p.members["m_b1"].pk}
    assert client.get(f"/points/entries/{others.pk}/").status_code == 404
    assert client.get(f"/points/members/{p.members['m_b1_2'].pk}/").status_code == 404
    assert client.get("/points/ranking/").status_code == 404  # rankings are for officers


def test_the_explanation_sums_to_the_balance_for_every_member_of_a_generated_branch(personas: Personas,
                                                                                  client_for: Any) -> None:
    p, officer = personas, personas.user("officer_b1")
    import random

    rng = random.Random(13)
    members = [p.members["m_b1"], p.members["m_b1_2"], *[make_member(p.b1) for _ in range(4)]]
    for month in range(1, 5):
        m = meeting(p.b1, rng.choice(["branch_general_meeting", "themed_party_day"]), dt.date(2026, month, 2))
        for member in members:
            attend(officer, m, member, rng.choice(["present", "present", "absent"]))
    client = client_for("officer_b1")
    for member in members:
        page = client.get(f"/points/members/{member.pk}/?year=2026")
        x = page.context["x"]
        assert x.total == x.stored == balance(member).score == max(0, 60 + ledger_sum(member))
        assert f'id="sum">{x.total}<' in page.content.decode()


def test_rankings_are_off_for_members_until_switched_on(personas: Personas, client_for: Any) -> None:
    from dangjian.points.models import OrgPointSettings

    p, officer = personas, personas.user("officer_b1")
    attend(officer, meeting(p.b1), p.members["m_b1"], "present")
    client = client_for("member_b1")
    assert 'id="rank"' not in client.get("/points/mine/").content.decode()
    with acting_as(officer, reason="test"):
        OrgPointSettings(org=p.b1, rankings_public=True).save()
    assert 'id="rank">1<' in client.get("/points/mine/").content.decode()


def test_a_new_year_copies_the_catalog_and_past_years_keep_theirs(personas: Personas) -> None:
    staff = personas.user("root_staff")
    with acting_as(staff, reason="test"):
        copied = services.copy_catalog(actor=staff, year=2027)
    assert copied == 1 + 6 + PointRule.objects.filter(year=2026).count() + 12
    new = rule("invited_lecture", 2027)
    with acting_as(staff, reason="test"):
        new.points = 8
        new.save()
    assert rule("invited_lecture", 2026).points == 5
    assert PointScheme.objects.get(year=2027).base == 60
    with pytest.raises(RuleError, match="已存在"), acting_as(staff, reason="test"):
        services.copy_catalog(actor=staff, year=2027)


def test_a_claim_needs_evidence_and_goes_to_the_branch(personas: Personas) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    p, member = personas, personas.user("member_b1")
    zhang = p.members["m_b1"]
    with pytest.raises(RuleError, match="佐证材料"), acting_as(member, reason="test"):
        services.record(actor=member, member=zhang, rule=rule("article"), day=dt.date(2026, 3, 1), note="心得")
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%test\n")
    with acting_as(member, reason="test"):
        entry = services.record(actor=member, member=zhang, rule=rule("article"), day=dt.date(2026, 3, 1),
                                note="心得", uploads=[pdf])
    assert entry.status == "confirmed" and entry.kind == "claim" and entry.attachments.count() == 1


def test_the_facts_of_an_entry_never_change(personas: Personas) -> None:
    p, officer = personas, personas.user("officer_b1")
    attend(officer, meeting(p.b1), p.members["m_b1"], "present")
    entry = PointEntry.objects.get()
    entry.points = 5
    with pytest.raises(ValueError, match="never change"), acting_as(officer, reason="test"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        PointEntry.objects.get().delete()


@pytest.fixture
def dues_seed_db(db: Any) -> None:
    from dangjian.dues.models import DuesStandard

    assert DuesStandard.objects.exists()


__all__ = ["Decimal"]
