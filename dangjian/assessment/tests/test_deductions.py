"""Each automatic deduction rule at its boundary, from a real record of the source module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dangjian.assessment.tests.conftest import full_marks, lines, live
from dangjian.core.context import acting_as

pytestmark = pytest.mark.django_db


def _deductions(result: Any, code_word: str) -> list[Any]:
    return [ln for ln in lines(result, "routine") if ln.points < 0 and code_word in ln.label]


def test_a_missed_party_lecture_quarter_deducts_from_the_day_after_its_deadline(p: Any) -> None:
    before = live(p.b1, today=dt.date(2026, 3, 31))
    assert not _deductions(before, "党课")
    after = live(p.b1, today=dt.date(2026, 4, 1))
    missed = _deductions(after, "党课")
    assert len(missed) == 1 and missed[0].points == Decimal("-1.00")
    assert missed[0].evidence.startswith("meetings.meetingrequirement:") and "2026Q1" in missed[0].evidence
    assert missed[0].url.startswith("/meetings/compliance/")


def test_meeting_deductions_stop_at_the_rules_cap(p: Any) -> None:
    result = live(p.b1, today=dt.date(2026, 12, 31))
    meetings = [ln for ln in lines(result, "routine") if ln.evidence.startswith("meetings.")]
    assert len(meetings) > 8
    assert sum(ln.points for ln in meetings) == Decimal("-8.00")  # d_meetings: 1 each, at most 8
    assert all(ln.points == 0 for ln in meetings[8:])


def _submitted_filing(p: Any, quarter: int, on: dt.date) -> Any:
    from dangjian.supervision.models import FilingRound
    from dangjian.supervision.services import filings
    from dangjian.supervision.tests import fixtures as fx

    officer = p.user("officer_b1")
    row = fx.filing(p.b1, quarter=quarter, due_on=dt.date(2026, 3 * quarter + 1, 15))
    with acting_as(officer, reason="test"):
        row = filings.submit(actor=officer, filing=row, texts={i.pk: "已完成" for i in row.items.all()})
    moment = timezone.make_aware(dt.datetime(on.year, on.month, on.day, 18))  # noqa: DTZ001
    FilingRound.objects.filter(filing=row).update(submitted_at=moment)  # the day it was filed
    return row


def test_a_filing_submitted_after_its_due_day_deducts(p: Any) -> None:
    _submitted_filing(p, 1, dt.date(2026, 4, 15))
    assert not _deductions(live(p.b1), "逾期报送")
    _submitted_filing(p, 2, dt.date(2026, 7, 16))
    late = _deductions(live(p.b1), "逾期报送")
    assert len(late) == 1 and late[0].evidence.startswith("supervision.filing:")


def test_a_returned_filing_deducts_half_a_point(p: Any) -> None:
    from dangjian.supervision.services import filings

    row = _submitted_filing(p, 1, dt.date(2026, 4, 10))
    assert not _deductions(live(p.b1), "退回")
    staff = p.user("c1_staff")
    first = row.items.first()
    with acting_as(staff, reason="test"):
        filings.review(actor=staff, filing=row, returns={first.pk: ("缺少会议记录", None)})
    returned = _deductions(live(p.b1), "退回")
    assert [ln.points for ln in returned] == [Decimal("-0.50")]
    assert returned[0].evidence.startswith("supervision.filinground:")


def _rectification(p: Any, closed_on: dt.date | None) -> Any:
    from dangjian.meetings.models import RectificationItem

    with acting_as(None, reason="test"):
        row = RectificationItem(org=p.b1, owner=p.members["m_b1"], content="整改学习制度落实不到位",
                                deadline=dt.date(2026, 5, 31), status="closed" if closed_on else "open",
                                evidence="整改报告" if closed_on else "", closed_on=closed_on)
        row.save()
    return row


def test_a_rectification_closed_on_its_deadline_does_not_deduct_one_day_later_does(p: Any) -> None:
    on_time = _rectification(p, dt.date(2026, 5, 31))
    assert not _deductions(live(p.b1), "整改")
    late = _rectification(p, dt.date(2026, 6, 1))
    found = _deductions(live(p.b1), "整改")
    assert [ln.evidence for ln in found] == [f"meetings.rectificationitem:{late.pk}"]
    assert on_time.pk != late.pk


def test_an_open_rectification_past_its_deadline_deducts(p: Any) -> None:
    _rectification(p, None)
    assert not _deductions(live(p.b1, today=dt.date(2026, 5, 31)), "整改")
    assert len(_deductions(live(p.b1, today=dt.date(2026, 6, 1)), "整改")) == 1


def _remit(p: Any, on: dt.date, start: dt.date) -> Any:
    from dangjian.dues.models import DuesRemittance

    with acting_as(None, reason="test"):
        row = DuesRemittance(from_org=p.b1, to_org=p.c1, period_start=start, period_end=start.replace(month=start.month + 2),
                             income=Decimal("300.00"), remit_percent=Decimal("50"), expected_amount=Decimal("150.00"),
                             amount=Decimal("150.00"), remitted_on=on)
        row.save()
    return row


def test_dues_remitted_more_than_thirty_days_after_the_period_deduct(p: Any) -> None:
    _remit(p, dt.date(2026, 4, 30), dt.date(2026, 1, 1))    # Q1 ends 03-31: 30 days of grace
    assert not _deductions(live(p.b1), "党费")
    late = _remit(p, dt.date(2026, 7, 31), dt.date(2026, 4, 1))  # Q2 ends 06-30: due by 07-30
    found = _deductions(live(p.b1), "党费")
    assert [ln.evidence for ln in found] == [f"dues.duesremittance:{late.pk}"]


def _violation(p: Any, code: str, day: dt.date) -> Any:
    from dangjian.points import violations
    from dangjian.points.models import ViolationKind

    inspector, staff = p.user("inspector_c1"), p.user("c1_staff")
    with acting_as(inspector, reason="test"):
        row = violations.record(actor=inspector, member=p.members["m_b1"], kind=ViolationKind.objects.get(
            year=2026, code=code), occurred_on=day, description="督察发现")
    with acting_as(staff, reason="test"):
        return violations.confirm(actor=staff, record=row, accept=True, today=day)


def test_violation_points_above_twelve_deduct_once_from_the_record_that_passed_it(p: Any) -> None:
    for code, day in (("absenteeism", dt.date(2026, 2, 1)), ("case_handling", dt.date(2026, 3, 1)),
                      ("absenteeism", dt.date(2026, 4, 1))):
        _violation(p, code, day)                             # 4 + 4 + 4 = 12: at the threshold
    assert not _deductions(live(p.b1), "违规记分")
    last = _violation(p, "uniform", dt.date(2026, 5, 1))      # 13
    found = _deductions(live(p.b1), "违规记分")
    assert [ln.evidence for ln in found] == [f"points.violationrecord:{last.pk}"]
    assert found[0].points == Decimal("-2.00")


def test_a_single_serious_violation_vetoes_above_three_stars(p: Any) -> None:
    full_marks(p.b1)
    assert live(p.b1, today=dt.date(2026, 1, 2)).level.code == "star5"  # type: ignore[union-attr]
    _violation(p, "drinking", dt.date(2026, 1, 1))            # 3 points: below the veto's 5
    assert live(p.b1, today=dt.date(2026, 1, 2)).level.code == "star5"  # type: ignore[union-attr]
    _violation(p, "confinement", dt.date(2026, 1, 2))         # 5 points: the veto holds
    result = live(p.b1, today=dt.date(2026, 1, 2))
    assert result.level_by_total.code == "star5" and result.level.code == "star3"  # type: ignore[union-attr]


def test_evidence_events_mark_the_organization_for_the_recompute_job(p: Any) -> None:
    from dangjian.assessment.models import PendingGrade

    PendingGrade.objects.all().delete()
    _violation(p, "uniform", dt.date(2026, 2, 1))
    assert PendingGrade.objects.filter(org=p.b1, year=2026).exists()
