"""Every declared reminder source produces its item on the day it should, not the day before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.modules import reminder_sources
from dangjian.core.periods import add_months
from dangjian.notices.tests.conftest import appears_on, yielded

pytestmark = pytest.mark.django_db

D = dt.date


def test_every_module_declares_its_sources() -> None:
    keys = {s.key for s in reminder_sources()}
    assert {"meetings_due", "solicitations_open", "terms_expiring", "probation_ending", "development_clocks",
            "dues_arrears", "filings", "rectification_deadlines", "tests_open", "approvals_waiting"} <= keys
    for s in reminder_sources():
        assert s.scope_pairs() or s.key in {"tests_open"}, f"{s.key} declares no scopes"


def test_terms_expiring_from_the_warning_window(p: Any) -> None:
    from dangjian.orgs.models import OrganizationTerm, OrgRules

    with acting_as(None, reason="test"):
        term = OrganizationTerm(org=p.b1, number=3, started_on=D(2024, 3, 15), ends_on=D(2027, 3, 15))
        term.save()
    months = OrgRules.for_year(2026).term_warning_months
    first = D(2027, 3, 15)
    while add_months(first - dt.timedelta(days=1), months) >= term.ends_on:
        first -= dt.timedelta(days=1)
    appears_on("terms_expiring", first, f"orgs.term:{term.pk}", "s:orgs:change")


def test_probation_ending_thirty_days_ahead(p: Any) -> None:
    from dangjian.development.models import Case
    from dangjian.development.tests.conftest import open_case

    case = open_case(p)
    Case.objects.filter(pk=case.pk).update(stage="probationary", probation_ends_on=D(2026, 9, 30))
    keys = {k for k, _r, _d in yielded("probation_ending", D(2026, 9, 1))}
    assert any(k.startswith(f"development.case:{case.pk}:") for k in keys)
    key = next(k for k in keys if k.startswith(f"development.case:{case.pk}:"))
    appears_on("probation_ending", D(2026, 8, 31), key, "s:development:change")
    assert not any(k.startswith(f"development.case:{case.pk}:") for k, _r, _d in yielded("development_clocks",
                                                                                          D(2026, 9, 1)))


def test_development_clock_of_the_talk(p: Any) -> None:
    from dangjian.development import rules
    from dangjian.development.tests.conftest import open_case

    case = open_case(p, applied_on=D(2026, 3, 2))
    talk_by = add_months(D(2026, 3, 2), rules.rules_for(p.b1, D(2026, 3, 2)).talk_within_months)
    first = talk_by - dt.timedelta(days=30)
    keys = {k for k, _r, d in yielded("development_clocks", first) if k.startswith(f"development.case:{case.pk}:")
            and d == talk_by}
    assert keys
    appears_on("development_clocks", first, keys.pop())


def test_dues_arrears_the_day_after_the_third_unpaid_month(p: Any) -> None:
    from dangjian.dues.models import DuesBill
    from dangjian.dues.tests.conftest import assess, bill_months

    officer = p.user("officer_b1")
    member = p.members["m_b1"]
    assess(officer, member, 2026, "8000.00")
    bill_months(officer, p.b1, 2026, range(1, 5))
    bills = list(DuesBill.objects.filter(member=member).order_by("month"))
    assert len(bills) == 4 and bills[0].amount_due > Decimal("0")
    third = bills[2].due_on
    key = f"dues.arrears:{member.pk}:{bills[0].month}"
    appears_on("dues_arrears", third + dt.timedelta(days=1), key, f"m:{member.pk}")
    appears_on("dues_arrears", third + dt.timedelta(days=1), key, "s:dues:change")


def test_filings_due_fourteen_days_ahead_and_to_review_once_submitted(p: Any) -> None:
    from dangjian.supervision.models import Filing
    from dangjian.supervision.tests import fixtures as fx

    with acting_as(None, reason="test"):
        filing = fx.filing(p.b1, 2026, 3, due_on=D(2026, 10, 15))
    appears_on("filings", D(2026, 10, 1), f"supervision.filing:{filing.pk}:draft:0", "s:filings:change")
    Filing.objects.filter(pk=filing.pk).update(status="submitted")
    found = {(k, r) for k, r, _d in yielded("filings", D(2026, 9, 1))}
    assert (f"supervision.filing:{filing.pk}:review:0", "s:filings:change") in found


def test_rectification_deadlines_fourteen_days_ahead(p: Any) -> None:
    from dangjian.supervision.tests import fixtures as fx

    with acting_as(None, reason="test"):
        rect = fx.item(fx.finding(fx.team_inspection(p)), p.members["m_b1"], deadline=D(2026, 7, 20))
    key = f"supervision.inspectionrectification:{rect.pk}"
    appears_on("rectification_deadlines", D(2026, 7, 6), key, "s:inspection:change")
    appears_on("rectification_deadlines", D(2026, 7, 6), key, f"m:{p.members['m_b1'].pk}")


def test_tests_open_on_their_first_day_for_each_member_of_the_subtree(p: Any) -> None:
    from dangjian.study.models import Exam
    from dangjian.study.tests.conftest import exam

    row = exam(p.c1)
    opens = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 0))  # noqa: DTZ001  (local time)
    Exam.objects.filter(pk=row.pk).update(opens_at=opens, closes_at=opens + dt.timedelta(days=7))
    for name in ("m_b1", "m_b1_2", "m_b2"):
        appears_on("tests_open", D(2026, 11, 20), f"study.exam:{row.pk}", f"m:{p.members[name].pk}")
    assert (f"study.exam:{row.pk}", f"m:{p.members['m_b3'].pk}") not in {
        (k, r) for k, r, _d in yielded("tests_open", D(2026, 11, 20))}


def test_solicitations_open_on_their_first_day(p: Any) -> None:
    from dangjian.meetings.models import Solicitation

    with acting_as(None, reason="test"):
        row = Solicitation(org=p.b1, title="征求意见：支部工作", opens_on=D(2026, 6, 1), closes_on=D(2026, 6, 10))
        row.save()
    appears_on("solicitations_open", D(2026, 6, 1), f"meetings.solicitation:{row.pk}", "s:meetings:view")
    assert not yielded("solicitations_open", D(2026, 6, 11))


def test_approvals_waiting_from_the_day_of_the_request(p: Any) -> None:
    from dangjian.care.tests.conftest import donate, request

    donate(p.user("c1_staff"), p.b1, "100.00")
    visit = request(p.user("officer_b1"), p.b1, p.members["m_b1"], "10.00")
    day = timezone.localdate(visit.created_at)
    appears_on("approvals_waiting", day, f"care.carevisit:{visit.pk}", "s:care:change")


def test_meetings_due_from_their_reminder_day(p: Any) -> None:
    from dangjian.meetings import rules

    day = D(2026, 11, 20)
    book = rules.RuleBook()
    items = [ob for ob in rules.reminders(rules.obligations(p.b1, day - dt.timedelta(days=92),
                                                            day + dt.timedelta(days=400), today=day), day, book)
             if ob.due_on >= day]
    assert items, "the seeded requirements give the branch something due"
    ob = items[0]
    opens = ob.remind_on or rules.remind_on(ob.requirement, ob.period, ob.due_on, book)
    appears_on("meetings_due", opens, f"meetings.obligation:{ob.org_id}:{ob.requirement.pk}:{ob.period.key}",
               "s:meetings:add")
