"""The compliance engine (rules.obligations), table-driven with DOMAIN.md 2.1 / 2.2 numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.testing.personas import Personas, make_member
from dangjian.meetings import rules, services
from dangjian.meetings.choices import MeetingStatus
from dangjian.meetings.models import MeetingRequirement
from dangjian.meetings.tests.factories import at, give_committee, kind, make_meeting
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def statuses(items: list[rules.Obligation], org: Any, code: str) -> dict[str, str]:
    """period key -> status of ``org``'s obligations of kind ``code``."""
    return {o.period.key: str(o.status) for o in items if o.org_id == org.pk and o.kind.code == code}


def add_branch(p: Personas, code: str, founded: dt.date | None = None) -> Organization:
    parent = Organization.objects.get(pk=p.c1.pk)
    branch = Organization.objects.add_child(parent, {"name": f"新建党支部{code}", "code": code, "kind": "branch",
                                                     "founded_on": founded})
    return Organization.objects.get(pk=branch.pk)


@dataclass
class Case:
    name: str
    setup: Callable[[Personas], Any]  # returns the organization to look at
    code: str  # meeting kind
    start: dt.date
    end: dt.date
    today: dt.date
    expected: dict[str, str]  # period key -> status ({} = owes nothing)


def _b1(p: Personas) -> Any:
    return p.b1


def _b1_lecture_q1(p: Personas) -> Any:
    make_meeting(p.b1, "party_lecture", at(2026, 2, 10))
    return p.b1


def _founded_in_may(p: Personas) -> Any:
    return add_branch(p, "NEW1", dt.date(2026, 5, 12))


def _founded_in_may_lecture_before(p: Personas) -> Any:
    branch = add_branch(p, "NEW2", dt.date(2026, 5, 12))
    make_member(branch)
    make_meeting(branch, "party_lecture", at(2026, 4, 20))  # before it existed: does not count
    return branch


def _b2_without_groups(p: Personas) -> Any:
    return p.b2


def _g1_group(p: Personas) -> Any:
    return p.g1


def _b1_committee_no_quorum(p: Personas) -> Any:
    give_committee(p.b1, 3)
    make_meeting(p.b1, "branch_committee", at(2026, 1, 15), present=1)  # 1 of 3: no quorum
    make_meeting(p.b1, "branch_committee", at(2026, 2, 15), present=2)  # 2 of 3: more than half
    return p.b1


def _b1_committee_of_four_half_present(p: Personas) -> Any:
    give_committee(p.b1, 4)
    make_meeting(p.b1, "branch_committee", at(2026, 1, 15), present=2)  # exactly half: flagged
    return p.b1


def _b1_without_committee(p: Personas) -> Any:
    give_committee(p.b1, 2)  # secretary + one: below the 3 posts of a committee
    return p.b1


def _b1_cancelled_by_amendment(p: Personas) -> Any:
    meeting = make_meeting(p.b1, "party_lecture", at(2026, 2, 10))
    services.amend_meeting(actor=None, meeting=meeting, reason="实际未召开，误录",
                           changes={"status": MeetingStatus.CANCELLED})
    return p.b1


def _b1_lecture_not_confirmed(p: Personas) -> Any:
    make_meeting(p.b1, "party_lecture", at(2026, 2, 10), status=MeetingStatus.HELD)
    return p.b1


def _b1_general_meeting_without_quorum(p: Personas) -> Any:
    for _ in range(2):
        make_member(p.b1)  # 4 members: 张三, 李四 + 2
    make_meeting(p.b1, "branch_general_meeting", at(2026, 3, 3), present=1)  # 1 of 4 < half
    make_meeting(p.b1, "branch_general_meeting", at(2026, 5, 3), present=2)  # 2 of 4 = half: enough
    return p.b1


Q1, Q2 = dt.date(2026, 1, 1), dt.date(2026, 6, 30)

CASES = [
    Case("a quarter with no 党课 is due until the quarter ends", _b1, "party_lecture",
         Q1, dt.date(2026, 3, 31), dt.date(2026, 3, 31), {"2026Q1": "due"}),
    Case("... and overdue the day after it ends", _b1, "party_lecture",
         Q1, dt.date(2026, 3, 31), dt.date(2026, 4, 1), {"2026Q1": "overdue"}),
    Case("a confirmed 党课 in the quarter satisfies it", _b1_lecture_q1, "party_lecture",
         Q1, Q2, dt.date(2026, 7, 1), {"2026Q1": "done", "2026Q2": "overdue"}),
    Case("a meeting not yet confirmed does not count", _b1_lecture_not_confirmed, "party_lecture",
         Q1, dt.date(2026, 3, 31), dt.date(2026, 4, 1), {"2026Q1": "overdue"}),
    Case("a branch founded in May owes nothing for Q1, and Q2 from its founding", _founded_in_may, "party_lecture",
         Q1, Q2, dt.date(2026, 5, 20), {"2026Q2": "due"}),
    Case("a meeting before the founding day does not count", _founded_in_may_lecture_before, "party_lecture",
         Q1, Q2, dt.date(2026, 7, 1), {"2026Q2": "overdue"}),
    Case("a branch founded on 12 May owes its monthly 主题党日 from June, its first full month", _founded_in_may,
         "themed_party_day", Q1, Q2, dt.date(2026, 5, 20), {"2026-06": "due"}),
    Case("a branch without groups owes no 党小组会", _b2_without_groups, "group_meeting",
         Q1, Q2, dt.date(2026, 7, 1), {}),
    Case("a party group owes its monthly 党小组会", _g1_group, "group_meeting",
         Q1, dt.date(2026, 2, 28), dt.date(2026, 2, 15), {"2026-01": "overdue", "2026-02": "due"}),
    Case("a 支委会 without quorum does not satisfy its obligation", _b1_committee_no_quorum, "branch_committee",
         Q1, dt.date(2026, 2, 28), dt.date(2026, 3, 1), {"2026-01": "overdue", "2026-02": "done"}),
    Case("a 支委会 with exactly half present is flagged", _b1_committee_of_four_half_present, "branch_committee",
         Q1, dt.date(2026, 1, 31), dt.date(2026, 2, 1), {"2026-01": "overdue"}),
    Case("a branch without a committee owes no 支委会", _b1_without_committee, "branch_committee",
         Q1, Q2, dt.date(2026, 7, 1), {}),
    Case("a 党员大会 needs half of the voting members", _b1_general_meeting_without_quorum, "branch_general_meeting",
         Q1, Q2, dt.date(2026, 7, 1), {"2026Q1": "overdue", "2026Q2": "done"}),
    Case("an amendment that cancels a meeting reopens the obligation", _b1_cancelled_by_amendment, "party_lecture",
         Q1, dt.date(2026, 3, 31), dt.date(2026, 3, 15), {"2026Q1": "due"}),
    Case("the yearly 组织生活会 is due until 12-31", _b1, "org_life_meeting",
         Q1, dt.date(2026, 12, 31), dt.date(2026, 12, 31), {"2026": "due"}),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_compliance(personas: Personas, case: Case) -> None:
    org = case.setup(personas)
    items = rules.obligations(personas.root, case.start, case.end, today=case.today)
    assert statuses(items, org, case.code) == case.expected


def test_the_satisfying_meetings_are_listed(personas: Personas) -> None:
    give_committee(personas.b1, 3)
    bad = make_meeting(personas.b1, "branch_committee", at(2026, 1, 10), present=1)
    good = make_meeting(personas.b1, "branch_committee", at(2026, 1, 20), present=3)
    items = rules.obligations(personas.b1, dt.date(2026, 1, 1), dt.date(2026, 1, 31), today=dt.date(2026, 2, 1))
    (ob,) = [o for o in items if o.kind.code == "branch_committee"]
    assert [m.id for m in ob.meetings] == [good.pk]
    assert [m.id for m in ob.without_quorum] == [bad.pk]
    assert ob.meetings[0].quorum.expected == 3 and ob.meetings[0].quorum.present == 3


def test_a_subtree_sees_only_its_organizations(personas: Personas) -> None:
    items = rules.obligations(personas.c2, dt.date(2026, 1, 1), dt.date(2026, 3, 31), today=dt.date(2026, 4, 1))
    assert {o.org_id for o in items} == {personas.b3.pk}


def test_years_without_rows_use_the_latest_earlier_year(personas: Personas) -> None:
    lecture = MeetingRequirement.objects.get(year=2026, kind__code="party_lecture", org_kinds="branch")
    MeetingRequirement.objects.create(year=2027, kind=lecture.kind, org_kinds="branch", frequency="half_year")
    y2026 = rules.obligations(personas.b1, dt.date(2026, 1, 1), dt.date(2026, 12, 31), today=dt.date(2026, 1, 1))
    y2027 = rules.obligations(personas.b1, dt.date(2027, 1, 1), dt.date(2027, 12, 31), today=dt.date(2027, 1, 1))
    y2030 = rules.obligations(personas.b1, dt.date(2030, 1, 1), dt.date(2030, 12, 31), today=dt.date(2030, 1, 1))
    assert len(statuses(y2026, personas.b1, "party_lecture")) == 4
    assert list(statuses(y2027, personas.b1, "party_lecture")) == ["2027H1", "2027H2"]
    assert statuses(y2030, personas.b1, "themed_party_day") == {}  # 2027 has only the 党课 row
    assert len(statuses(y2030, personas.b1, "party_lecture")) == 2


@pytest.mark.parametrize(("quorum", "expected", "present", "met"), [
    ("more_than_half", 3, 1, False), ("more_than_half", 3, 2, True), ("more_than_half", 4, 2, False),
    ("more_than_half", 5, 3, True), ("at_least_half", 4, 2, True), ("at_least_half", 5, 2, False),
    ("two_thirds", 6, 4, True), ("two_thirds", 6, 3, False), ("two_thirds", 7, 5, True), ("none", 0, 0, True),
    ("more_than_half", 0, 0, False),
])
def test_quorum(quorum: str, expected: int, present: int, met: bool) -> None:
    assert rules.quorum_met(quorum, expected, present) is met


def test_reminders_within_the_horizon(personas: Personas) -> None:
    items = rules.obligations(personas.b1, dt.date(2026, 1, 1), dt.date(2026, 12, 31), today=dt.date(2026, 3, 25))
    due = rules.reminders(items, dt.date(2026, 3, 25))
    kinds_due = {(o.kind.code, o.period.key) for o in due}
    assert ("party_lecture", "2026Q1") in kinds_due  # due 03-31, within the 7-day default
    assert ("themed_party_day", "2026-01") in kinds_due  # overdue
    assert ("party_lecture", "2026Q2") not in kinds_due  # due 06-30: too far
    assert ("org_life_meeting", "2026") not in kinds_due  # reminded from October (92 days)
    autumn = rules.reminders(rules.obligations(personas.b1, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                                               today=dt.date(2026, 10, 2)), dt.date(2026, 10, 2))
    assert ("org_life_meeting", "2026") in {(o.kind.code, o.period.key) for o in autumn}


def _branches_with_meetings(p: Personas, n: int) -> None:
    parent = Organization.objects.get(pk=p.c2.pk)
    for i in range(n):
        parent = Organization.objects.get(pk=p.c2.pk)
        branch = Organization.objects.add_child(parent, {"name": f"批量支部{i}", "code": f"BULK{n}-{i}", "kind": "branch"})
        branch = Organization.objects.get(pk=branch.pk)
        group = Organization.objects.add_child(branch, {"name": f"批量小组{i}", "code": f"BULKG{n}-{i}", "kind": "group"})
        give_committee(branch, 3)
        make_member(branch, group=Organization.objects.get(pk=group.pk))
        make_meeting(branch, "branch_committee", at(2026, 1, 5 + i % 20))
        make_meeting(branch, "party_lecture", at(2026, 2, 5 + i % 20))


def test_query_count_does_not_grow_with_organizations(personas: Personas) -> None:
    counts = []
    for n in (2, 10):
        _branches_with_meetings(personas, n)
        with CaptureQueriesContext(connection) as ctx:
            items = rules.obligations(personas.root, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                                      today=dt.date(2026, 6, 1))
            rules.matrix(items, rules.columns(2026, "month"))
        counts.append(len(ctx.captured_queries))
        assert sum(1 for o in items if o.is_done) >= 2 * n
    assert counts[0] == counts[1] <= 5, counts


def test_kind_lookup_is_seeded() -> None:
    names = {kind(code).name for code in ("branch_general_meeting", "branch_committee", "group_meeting",
                                           "party_lecture", "themed_party_day", "org_life_meeting",
                                           "democratic_life_meeting", "member_evaluation",
                                           "heart_to_heart_talk", "first_topic", "central_group_study",
                                           "red_morning_meeting")}
    assert names == {"支部党员大会", "支部委员会", "党小组会", "党课", "主题党日", "组织生活会", "民主生活会",
                     "民主评议党员", "谈心谈话", "第一议题", "中心组学习", "红色晨会"}
    assert MeetingRequirement.objects.get(year=2026, kind__code="branch_committee").needs_committee
