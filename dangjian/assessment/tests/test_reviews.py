"""述职评议 ballots (anonymous, once, tally after close), 民主评议党员 and 处置, commendations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from dangjian.assessment import services
from dangjian.assessment.models import (
    BallotCount,
    MemberReview,
    MemberReviewRound,
    ReviewAttendee,
    ReviewOption,
    ReviewReport,
    ReviewRound,
)
from dangjian.assessment.tests.conftest import YEAR, lines, live
from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import make_member

pytestmark = pytest.mark.django_db


def _round(p: Any) -> tuple[ReviewRound, list[ReviewReport]]:
    with acting_as(None, reason="test"):
        row = ReviewRound(org=p.c1, year=YEAR, title="2026年度书记抓党建述职评议", opens_on=dt.date(2026, 11, 1),
                          closes_on=dt.date(2026, 12, 31))
        row.save()
        reports = []
        for org, member in ((p.b1, p.members["m_b1"]), (p.b2, p.members["m_b2"])):
            report = ReviewReport(round=row, org=org, secretary=member, summary="述职报告")
            report.save()
            services.open_counters(report)
            reports.append(report)
        for name in ("officer_b1", "officer_b2", "c1_staff", "inspector_c1"):
            ReviewAttendee(round=row, user=p.user(name)).save()
    return row, reports


def _options() -> dict[str, ReviewOption]:
    return {o.code: o for o in ReviewOption.rows_in_force(YEAR)}


def _vote(p: Any, name: str, round_: ReviewRound, reports: list[ReviewReport], codes: tuple[str, str]) -> None:
    user, options = p.user(name), _options()
    with acting_as(user, reason="test"):
        services.vote(actor=user, round=round_, choices={r.pk: options[c].pk for r, c in zip(reports, codes, strict=True)})


def test_ballots_are_counted_once_each_and_the_tally_waits_for_the_close(p: Any, client_for: Any) -> None:
    round_, reports = _round(p)
    _vote(p, "officer_b1", round_, reports, ("good", "fair"))
    _vote(p, "officer_b2", round_, reports, ("good", "poor"))
    with pytest.raises(RuleError, match="投过票"):
        _vote(p, "officer_b1", round_, reports, ("poor", "poor"))
    outsider = p.user("root_staff")
    with acting_as(outsider, reason="test"), pytest.raises(RuleError, match="参会人员"):
        services.vote(actor=outsider, round=round_, choices={})
    assert services.tally(round_) == []
    page = client_for("c1_staff").get(f"/assessment/rounds/{round_.pk}/").content.decode()
    assert 'id="tally-hidden"' in page and 'id="tally"' not in page
    _vote(p, "c1_staff", round_, reports, ("fair", "average"))
    staff = p.user("c1_staff")
    with acting_as(staff, reason="test"):
        services.close_round(actor=staff, round=round_)
    with pytest.raises(RuleError, match="已结束"):
        _vote(p, "inspector_c1", round_, reports, ("good", "good"))
    round_.refresh_from_db()
    tally = {r.org_id: ({o.code: n for o, n in counts}, total) for r, counts, total in services.tally(round_)}
    assert tally[p.b1.pk] == ({"good": 2, "fair": 1, "average": 0, "poor": 0}, 3)
    first = ReviewReport.objects.get(pk=reports[0].pk)
    assert first.average == Decimal("93.33") and first.rating.code == "good"  # type: ignore[union-attr]
    second = ReviewReport.objects.get(pk=reports[1].pk)
    assert second.average == Decimal("60.00") and second.rating.code == "average"  # type: ignore[union-attr]
    page = client_for("c1_staff").get(f"/assessment/rounds/{round_.pk}/").content.decode()
    assert 'id="tally"' in page
    # the rating feeds the grade
    review = [ln for ln in lines(live(p.b1)) if ln.kind == "review"]
    assert [ln.points for ln in review] == [Decimal("10.00")]


def test_nothing_stored_links_a_vote_to_a_voter(p: Any) -> None:
    round_, reports = _round(p)
    _vote(p, "officer_b1", round_, reports, ("poor", "good"))
    # the counters carry no voter, no time and no ballot row
    fields = {f.name for f in BallotCount._meta.get_fields()}
    assert fields == {"id", "report", "option", "count"}
    # the voter's flag carries no choice (its times are the flag's; the counters have none to match)
    assert {f.name for f in ReviewAttendee._meta.get_fields()} == {"id", "version", "round", "user", "has_voted",
                                                                    "created_at", "updated_at"}
    # the audit log has the flag (who voted) and nothing of the counts or the options chosen
    entries = AuditEntry.objects.filter(object_type__startswith="assessment.")
    assert not entries.filter(object_type="assessment.ballotcount").exists()
    poor = _options()["poor"]
    for entry in entries:
        text = str(entry.changes)
        assert f'"option": {poor.pk}' not in text and "ballot" not in entry.object_type
    # every counter of the round was written by the ballot's one statement (same +0 / +1 pass)
    counts = BallotCount.objects.filter(report__round=round_)
    assert counts.count() == 2 * len(_options())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(DISTINCT b.xmin::text) FROM assessment_ballotcount b JOIN assessment_reviewreport r "
                           "ON r.id = b.report_id WHERE r.round_id = %s", [round_.pk])
            assert cursor.fetchone()[0] == 1


def test_the_ballot_page_is_for_attendees_only(p: Any, client_for: Any) -> None:
    round_, reports = _round(p)
    assert client_for("root_staff").get(f"/assessment/rounds/{round_.pk}/ballot/").status_code == 404
    client = client_for("officer_b1")
    assert client.get(f"/assessment/rounds/{round_.pk}/ballot/").status_code == 200
    options = _options()
    response = client.post(f"/assessment/rounds/{round_.pk}/ballot/",
                           {f"report_{r.pk}": options["good"].pk for r in reports})
    assert response.status_code == 302
    assert ReviewAttendee.objects.get(round=round_, user=p.user("officer_b1")).has_voted


def _member_round(p: Any, n: int) -> tuple[MemberReviewRound, list[MemberReview]]:
    with acting_as(None, reason="test"):
        row = MemberReviewRound(org=p.b1, year=YEAR)
        row.save()
        reviews = []
        for k in range(n):
            member = p.members["m_b1"] if k == 0 else make_member(p.b1, name=f"评议党员{k}")
            review = MemberReview(round=row, member=member, self_assessment="对照党员标准自评",
                                  proposal="excellent" if k < 3 else "qualified")
            review.save()
            reviews.append(review)
    return row, reviews


def test_excellent_is_at_most_a_third_and_never_a_quota(p: Any) -> None:
    _round_, reviews = _member_round(p, 7)                     # 7 members: at most floor(7/3) = 2 excellent
    officer = p.user("officer_b1")
    with acting_as(officer, reason="test"):
        services.set_member_grade(actor=officer, review=reviews[0], grade="excellent", decision_ref="支部党员大会")
        services.set_member_grade(actor=officer, review=reviews[1], grade="excellent", decision_ref="支部党员大会")
        with pytest.raises(RuleError, match="最多2名"):
            services.set_member_grade(actor=officer, review=reviews[2], grade="excellent", decision_ref="支部党员大会")
        services.set_member_grade(actor=officer, review=reviews[2], grade="qualified", decision_ref="支部党员大会")
    assert MemberReview.objects.filter(grade="excellent").count() == 2


def test_disposal_steps_are_recorded_decisions_in_order(p: Any) -> None:
    _round_, reviews = _member_round(p, 3)
    officer = p.user("officer_b1")
    review = reviews[2]
    with acting_as(officer, reason="test"):
        with pytest.raises(RuleError, match="不合格"):
            services.record_disposal(actor=officer, review=review, step="correct", decided_on=dt.date(2026, 12, 1),
                                     decision_ref="支部大会决议")
        services.set_member_grade(actor=officer, review=review, grade="unqualified", decision_ref="支部党员大会")
        with pytest.raises(RuleError, match="之后"):
            services.record_disposal(actor=officer, review=review, step="persuade", decided_on=dt.date(2026, 12, 1),
                                     decision_ref="支部大会决议")
        services.record_disposal(actor=officer, review=review, step="correct", decided_on=dt.date(2026, 12, 1),
                                 decision_ref="支部大会决议：限期三个月改正")
    assert [d.step for d in review.disposals.all()] == ["correct"]
    # nothing is taken automatically: the member is still a member
    review.member.refresh_from_db()
    assert review.member.is_active


def test_another_branchs_officer_cannot_grade_or_dispose(p: Any) -> None:
    _round_, reviews = _member_round(p, 2)
    other = p.user("officer_b2")
    with acting_as(other, reason="test"), pytest.raises(RuleError):
        services.set_member_grade(actor=other, review=reviews[0], grade="qualified", decision_ref="x")


def test_a_confirmed_commendation_becomes_a_bonus_and_a_revoked_one_leaves(p: Any) -> None:
    from dangjian.core import approvals
    from dangjian.honors import services as honors
    from dangjian.honors.models import Commendation, CommendationKind

    officer, staff = p.user("officer_b1"), p.user("c1_staff")
    with acting_as(officer, reason="test"):
        row = honors.nominate(actor=officer, row=Commendation(
            org=p.b1, kind=CommendationKind.objects.get(year=2026, code="five_good_branch"), nominee_org=p.b1,
            merits="事迹", review_from=dt.date(2026, 6, 1), review_until=dt.date(2026, 6, 7)))
    with acting_as(staff, reason="test"):
        approvals.decide(actor=staff, row=row, approve=True, reference="党委会议纪要", decided_on=dt.date(2026, 6, 10))
    bonus = [ln for ln in lines(live(p.b1)) if ln.kind == "bonus"]
    assert [ln.points for ln in bonus] == [Decimal("3.00")]
    with acting_as(staff, reason="test"):
        honors.revoke(actor=staff, row=row, reason="材料不实")
    assert not [ln for ln in lines(live(p.b1)) if ln.kind == "bonus"]
