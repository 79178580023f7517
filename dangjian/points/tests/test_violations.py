"""Violation scoring (F6): thresholds make exactly one proposal each; an upheld appeal removes the
violation's points and the member-point deduction; records are hidden from peers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.testing.personas import Personas
from dangjian.points import services, violations
from dangjian.points.models import PointEntry, ViolationKind, ViolationProposal, ViolationRecord
from dangjian.points.tests.conftest import balance

pytestmark = pytest.mark.django_db


def _kind(code: str) -> ViolationKind:
    return ViolationKind.objects.get(year=2026, code=code)


def _confirmed(p: Personas, member: Any, code: str, day: dt.date) -> ViolationRecord:
    inspector, staff = p.user("inspector_c1"), p.user("c1_staff")
    with acting_as(inspector, reason="test"):
        row = violations.record(actor=inspector, member=member, kind=_kind(code), occurred_on=day, description="督察发现")
    with acting_as(staff, reason="test"):
        return violations.confirm(actor=staff, record=row, accept=True, today=day)


def test_thresholds_create_exactly_one_proposal_each(personas: Personas) -> None:
    p = personas
    zhang = p.members["m_b1"]
    _confirmed(p, zhang, "absenteeism", dt.date(2026, 2, 1))      # 4: reminder talk
    _confirmed(p, zhang, "uniform", dt.date(2026, 3, 1))          # 5: nothing new
    _confirmed(p, zhang, "case_handling", dt.date(2026, 4, 1))    # 9: admonition talk
    proposals = list(ViolationProposal.objects.filter(member=zhang).order_by("threshold")
                     .values_list("threshold", "measure", "status", "decision_maker__username"))
    assert proposals == [(4, "reminder_talk", "open", "c1_staff"), (8, "admonition_talk", "open", "c1_staff")]
    assert balance(zhang).score == 60 - 9  # member points deducted per violation point
    ViolationProposal.objects.get(member=zhang, threshold=4)  # exactly one, never a sanction


def test_an_upheld_appeal_removes_the_points_and_the_deduction(personas: Personas) -> None:
    p = personas
    zhang, member = p.members["m_b1"], p.user("member_b1")
    row = _confirmed(p, zhang, "absenteeism", dt.date(2026, 5, 4))
    assert balance(zhang).score == 56 and ViolationProposal.objects.get(member=zhang).status == "open"
    with acting_as(member, reason="test"):
        row = violations.appeal(actor=member, record=row, reason="有请假记录", today=dt.date(2026, 5, 6))
    with pytest.raises(RuleError, match="以外"), acting_as(p.user("c1_staff"), reason="test"):
        violations.decide_appeal(actor=p.user("c1_staff"), record=row, upheld=True, decision="x")
    root = p.user("root_staff")
    with acting_as(root, reason="test"):
        violations.decide_appeal(actor=root, record=row, upheld=True, decision="请假手续齐全", today=dt.date(2026, 5, 8))
    assert balance(zhang).score == 60
    assert list(PointEntry.objects.filter(member=zhang).order_by("id").values_list("points", flat=True)) == [-4, 4]
    assert ViolationProposal.objects.get(member=zhang).status == "withdrawn"
    assert violations.cycle_total(zhang, dt.date(2026, 6, 1), services.scheme_for(2026)) == ("2026", 0)


def test_an_appeal_after_the_window_is_refused(personas: Personas) -> None:
    p = personas
    row = _confirmed(p, p.members["m_b1"], "uniform", dt.date(2026, 5, 4))
    with pytest.raises(RuleError, match="申诉期"), acting_as(p.user("member_b1"), reason="test"):
        violations.appeal(actor=p.user("member_b1"), record=row, reason="迟了", today=dt.date(2026, 5, 20))


def test_violation_records_are_hidden_from_peers_in_the_same_branch(personas: Personas, client_for: Any) -> None:
    p = personas
    row = _confirmed(p, p.members["m_b1_2"], "uniform", dt.date(2026, 5, 4))  # 李四's record
    assert client_for("member_b1").get(f"/points/violations/{row.pk}/").status_code == 404
    listed = client_for("member_b1").get("/points/violations/")
    assert row.pk not in {r.record.pk for r in listed.context["table"].rows}
    assert client_for("officer_b1").get(f"/points/violations/{row.pk}/").status_code == 200  # the branch secretary
    assert client_for("officer_b2").get(f"/points/violations/{row.pk}/").status_code == 404  # another branch


def test_the_recorder_never_confirms(personas: Personas) -> None:
    p, inspector = personas, personas.user("inspector_c1")
    with acting_as(inspector, reason="test"):
        row = violations.record(actor=inspector, member=p.members["m_b1"], kind=_kind("uniform"),
                                occurred_on=dt.date(2026, 5, 4), description="着装")
    officer = p.user("officer_b1")
    with acting_as(officer, reason="test"):
        violations.confirm(actor=officer, record=row, accept=True)
    with pytest.raises(RuleError, match="以外"), acting_as(officer, reason="test"):
        row2 = violations.record(actor=officer, member=p.members["m_b1"], kind=_kind("uniform"),
                                 occurred_on=dt.date(2026, 5, 5), description="着装")
        violations.confirm(actor=officer, record=row2, accept=True)
