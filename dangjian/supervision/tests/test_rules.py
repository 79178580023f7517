"""Supervision's own rules through real HTTP: filing rounds, the inspector's true scope, what a
target sees, clue visibility and its audit, rectification sign-off, overdue and the revisit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import RoleGrant
from dangjian.core.context import acting_as
from dangjian.core.events import Timing
from dangjian.core.models import AuditEntry
from dangjian.core.rectification import RectificationStatus
from dangjian.core.testing.personas import Personas, build_personas
from dangjian.core.testing.suites import export_text, listed_pks, login
from dangjian.supervision import signals
from dangjian.supervision.models import Clue, Filing, FilingStatus, InspectionRectification
from dangjian.supervision.services import filings as filing_services
from dangjian.supervision.services import inspection as services
from dangjian.supervision.tests import fixtures as fx

pytestmark = pytest.mark.django_db

EVENTS = {e.name: e for e in (signals.finding_confirmed, signals.rectification_closed, signals.filing_returned,
                              signals.filing_accepted)}


@contextmanager
def captured(name: str) -> Iterator[list[Any]]:
    """The occurrences of one event sent inside the block (a derive receiver: in the write's transaction)."""
    seen: list[Any] = []
    with EVENTS[name].subscribed(seen.append, timing=Timing.DERIVE):
        yield seen


@pytest.fixture
def p() -> Personas:
    return build_personas()


def as_user(name: str) -> Client:
    client = login(name)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


# --- filing review --------------------------------------------------------------------------


def test_return_with_comments_refile_accept_and_the_history_shows_each_round(p: Personas) -> None:
    with acting_as(None, reason="test"):
        filing = filing_services.open_filing(actor=None, org=p.b1, year=2026, quarter=2)
    items = list(filing.items.all())
    assert len(items) == 5  # the 2026 branch items seeded from DOMAIN.md
    officer, reviewer = as_user("officer_b1"), as_user("c1_staff")
    texts = {f"item_{i.pk}": f"第二季度落实{i.pk}" for i in items}
    assert officer.post(reverse("supervision:filing_submit", args=[filing.pk]), texts).status_code == 302
    # the branch cannot review its own filing: only the level above
    officer.post(reverse("supervision:filing_review", args=[filing.pk]), {"decision": "accept"})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    first = items[0]
    response = reviewer.post(reverse("supervision:filing_review", args=[filing.pk]),
                             {"decision": "return", f"return_{first.pk}": "1", f"comment_{first.pk}": "缺少支委会记录"},
                             follow=True)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED and filing.round == 1
    assert "缺少支委会记录" in response.content.decode()
    officer.post(reverse("supervision:filing_submit", args=[filing.pk]), {**texts, f"item_{first.pk}": "已补充记录"})
    reviewer.post(reverse("supervision:filing_review", args=[filing.pk]), {"decision": "accept"})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.round == 2
    rounds = list(filing.rounds.order_by("number"))
    assert [r.decision for r in rounds] == [FilingStatus.RETURNED, FilingStatus.ACCEPTED]
    assert any(e["returned"] and e["comment"] == "缺少支委会记录" for e in rounds[0].items)
    page = officer.get(reverse("supervision:filing_detail", args=[filing.pk])).content.decode()
    assert "缺少支委会记录" in page and "已补充记录" in page


def test_a_return_without_a_comment_is_refused(p: Personas) -> None:
    with acting_as(None, reason="test"):
        filing = filing_services.open_filing(actor=None, org=p.b1, year=2026, quarter=3)
        filing_services.submit(actor=p.user("officer_b1"), filing=filing,
                               texts={i.pk: "已落实" for i in filing.items.all()})
    item = filing.items.all()[0]
    as_user("c1_staff").post(reverse("supervision:filing_review", args=[filing.pk]),
                             {"decision": "return", f"return_{item.pk}": "1", f"comment_{item.pk}": " "})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED


def test_a_returned_filing_sends_its_event(p: Personas) -> None:
    with acting_as(None, reason="test"):
        filing = filing_services.open_filing(actor=None, org=p.b1, year=2026, quarter=4)
        filing_services.submit(actor=p.user("officer_b1"), filing=filing, texts={i.pk: "x" for i in filing.items.all()})
        with captured("supervision.filing_returned") as seen:
            filing_services.review(actor=p.user("c1_staff"), filing=filing,
                                   returns={filing.items.all()[0].pk: ("补充", None)})
    assert [(o.evidence.pk, o["items"]) for o in seen] == [(filing.pk, 1)]


def test_the_completion_matrix_counts_accepted_quarters(p: Personas) -> None:
    with acting_as(None, reason="test"):
        fx.filing(p.b1, year=2026, quarter=1, status="accepted")
        fx.filing(p.b2, year=2026, quarter=1, status="returned", due_on=dt.date(2026, 4, 15))
    page = as_user("c1_staff").get(reverse("supervision:filing_matrix") + "?year=2026").content.decode()
    assert 'data-state="accepted"' in page and 'data-state="overdue"' in page
    assert "1/4" in page


# --- the inspector's scope and the target's view --------------------------------------------


def test_the_inspector_reaches_exactly_the_inspections_of_its_teams(p: Personas) -> None:
    with acting_as(None, reason="test"):
        mine = fx.team_inspection(p)
        other = fx.inspection(p.b2, p.user("c1_staff"), committee=p.c1)  # inside the inspector's subtree
        f_mine, f_other = fx.finding(mine), fx.finding(other)
    client = as_user("inspector_c1")
    assert listed_pks(client.get(reverse("supervision:inspection_list"))) == {mine.pk}
    assert client.get(reverse("supervision:inspection_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("supervision:finding_detail", args=[f_other.pk])).status_code == 404
    assert client.get(reverse("supervision:finding_detail", args=[f_mine.pk])).status_code == 200
    assert client.get(reverse("supervision:plan_list")).status_code in (403, 404) or \
        not listed_pks(client.get(reverse("supervision:plan_list")))
    # added to the other team: now it reaches that one too
    other.team.add(p.user("inspector_c1"))
    assert listed_pks(client.get(reverse("supervision:inspection_list"))) == {mine.pk, other.pk}


def test_the_target_sees_its_findings_only_after_feedback_and_never_the_notes(p: Personas) -> None:
    with acting_as(None, reason="test"):
        insp = fx.team_inspection(p)
        confirmed, draft = fx.finding(insp), fx.finding(insp, confirmed=False)
        from dangjian.supervision.models import WorkingNote

        note = WorkingNote(inspection=insp, text="谈话底稿")
        note.save()
    target = as_user("officer_b1")
    assert listed_pks(target.get(reverse("supervision:inspection_list"))) == {insp.pk}
    assert not listed_pks(target.get(reverse("supervision:finding_list")))
    with acting_as(None, reason="test"):
        insp.feedback_on, insp.stage = dt.date(2026, 5, 1), "feedback"
        insp.save()
    assert listed_pks(target.get(reverse("supervision:finding_list"))) == {confirmed.pk}
    assert target.get(reverse("supervision:finding_detail", args=[draft.pk])).status_code == 404
    assert target.get(reverse("supervision:note_detail", args=[note.pk])).status_code == 404
    # the target reads but does not edit the inspection's findings
    assert target.get(reverse("supervision:finding_edit", args=[confirmed.pk])).status_code == 404


# --- clues ----------------------------------------------------------------------------------


def grant(p: Personas, username: str, role: str, org: Any) -> None:
    from dangjian.accounts.models import User
    from dangjian.core.testing.personas import PASSWORD

    with acting_as(None, reason="test"):
        user = User(username=username, password_changed_at=timezone.now())
        user.set_password(PASSWORD)
        user.save()
        RoleGrant.objects.create(user=user, role=role, org=org)


def test_a_clue_is_seen_by_the_team_the_department_and_the_leadership_only_and_reads_are_audited(p: Personas) -> None:
    with acting_as(None, reason="test"):
        insp = fx.team_inspection(p)
        clue = fx.clue(insp, p.b3, summary="某民警违规线索")  # B3 stands in for the receiving department
    grant(p, "dept_staff", "committee_staff", p.b3)
    grant(p, "leader_staff", "committee_staff", p.c2)
    insp.round.plan.leaders.add(p.user("root_staff"))
    allowed = ("inspector_c1", "dept_staff", "root_staff")
    refused = ("c1_staff", "officer_b1", "officer_b2", "leader_staff", "member_b1", "auditadmin")
    detail = reverse("supervision:clue_detail", args=[clue.pk])
    for name in allowed:
        client = as_user(name)
        assert clue.pk in listed_pks(client.get(reverse("supervision:clue_list"))), name
        assert client.get(detail).status_code == 200, name
        assert "某民警违规线索" in export_text(client.get(reverse("supervision:clue_export"))), name
        assert AuditEntry.objects.filter(event="clue_read", object_id=str(clue.pk), actor_name=name).exists(), name
    for name in refused:
        client = as_user(name)
        listing = client.get(reverse("supervision:clue_list"))
        assert listing.status_code in (200, 403, 404)
        assert "某民警违规线索" not in listing.content.decode(), name
        assert client.get(detail).status_code in (403, 404), name
        export = client.get(reverse("supervision:clue_export"))
        assert export.status_code != 200 or "某民警违规线索" not in export_text(export), name
    # the search of the whole site does not reach it either: no clue is in the shared lists
    assert Clue.objects.visible_to(p.user("c1_staff"), "view").count() == 0


def test_a_team_member_transfers_a_clue_from_the_inspection_page(p: Personas) -> None:
    with acting_as(None, reason="test"):
        insp = fx.team_inspection(p)
    as_user("inspector_c1").post(reverse("supervision:clue_transfer", args=[insp.pk]),
                                 {"department": p.b2.pk, "summary": "移交纪检线索"})
    assert Clue.objects.filter(inspection=insp, department=p.b2, summary="移交纪检线索").exists()
    as_user("c1_staff").post(reverse("supervision:clue_transfer", args=[insp.pk]),
                             {"department": p.b2.pk, "summary": "非组员移交"})
    assert not Clue.objects.filter(summary="非组员移交").exists()


# --- rectification --------------------------------------------------------------------------


def test_closing_needs_evidence_and_the_inspectors_sign_off(p: Personas) -> None:
    with acting_as(None, reason="test"):
        item = fx.item(fx.finding(fx.team_inspection(p, feedback=True)), p.members["m_b1"],
                       deadline=timezone.localdate() - dt.timedelta(days=1))
    target, inspector = as_user("officer_b1"), as_user("inspector_c1")
    sign = reverse("supervision:rectification_sign_off", args=[item.pk])
    inspector.post(sign)  # no evidence yet
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    target.post(reverse("supervision:rectification_report", args=[item.pk]), {"evidence": "整改台账及会议记录"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.DONE
    target.post(sign)  # the target cannot close its own item
    # nor through the edit screen
    data = {"org": p.b1.pk, "finding": item.finding_id, "content": item.content, "owner": item.owner_id,
            "deadline": item.deadline.isoformat(), "status": "closed", "evidence": "自行销号", "closed_on": "",
            "version": item.version}
    assert target.post(reverse("supervision:rectification_edit", args=[item.pk]), data).status_code == 400
    item.refresh_from_db()
    assert item.status == RectificationStatus.DONE
    with captured("supervision.rectification_closed") as seen:
        inspector.post(sign)
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED
    assert item.signed_off_by == p.user("inspector_c1") and item.closed_on == timezone.localdate()
    assert [o["late"] for o in seen] == [True]


def test_overdue_flags_at_the_deadline_boundary(p: Personas) -> None:
    today = timezone.localdate()
    with acting_as(None, reason="test"):
        f = fx.finding(fx.team_inspection(p, feedback=True))
        due_today = fx.item(f, p.members["m_b1"], deadline=today)
        due_yesterday = fx.item(f, p.members["m_b1"], deadline=today - dt.timedelta(days=1))
    assert not due_today.is_overdue and due_yesterday.is_overdue
    late = listed_pks(as_user("inspector_c1").get(reverse("supervision:rectification_list") + "?overdue=true"))
    assert late == {due_yesterday.pk}


def test_default_deadline_is_two_months_after_feedback(p: Personas) -> None:
    with acting_as(None, reason="test"):
        insp = fx.team_inspection(p, feedback=True)  # feedback 2026-05-10
        item = services.open_item(actor=p.user("inspector_c1"), finding=fx.finding(insp), content="整改",
                                  owner=p.members["m_b1"])
    assert item.deadline == dt.date(2026, 7, 10)
    assert services.plan_deadline(insp) == dt.date(2026, 6, 10)


def test_the_revisit_reopens_an_item_that_did_not_hold(p: Personas) -> None:
    with acting_as(None, reason="test"):
        item = fx.item(fx.finding(fx.team_inspection(p, feedback=True)), p.members["m_b1"], evidence="照片")
        services.sign_off(actor=p.user("inspector_c1"), item=item)
    inspector = as_user("inspector_c1")
    url = reverse("supervision:rectification_revisit", args=[item.pk])
    inspector.post(url, {"note": ""})  # must say what did not hold
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED
    inspector.post(url, {"note": "记录又不规范", "deadline": "2027-01-31"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and item.reopened == 1
    assert item.deadline == dt.date(2027, 1, 31) and item.signed_off_by is None
    assert InspectionRectification.objects.visible_to(p.user("officer_b1"), "view").filter(pk=item.pk).exists()


def test_a_confirmed_finding_sends_its_event(p: Personas) -> None:
    with acting_as(None, reason="test"):
        f = fx.finding(fx.team_inspection(p), confirmed=False)
    with captured("supervision.finding_confirmed") as seen:
        as_user("inspector_c1").post(reverse("supervision:finding_confirm", args=[f.pk]))
    assert [(o.evidence.pk, o["area"]) for o in seen] == [(f.pk, "organizational")]


def test_the_coverage_matrix_opens_into_the_inspections_of_a_cell(p: Personas) -> None:
    with acting_as(None, reason="test"):
        insp = fx.team_inspection(p)
    page = as_user("c1_staff").get(reverse("supervision:plan_detail", args=[insp.round.plan_id])).content.decode()
    assert f"?ids={insp.pk}" in page
    assert "coverage-gap" in page  # B1 needs two in the term, B2 none yet
    listing = as_user("c1_staff").get(reverse("supervision:inspection_list") + f"?ids={insp.pk}")
    assert listed_pks(listing) == {insp.pk}


def test_filings_are_ordered_like_the_quarters() -> None:
    assert tuple(Filing._meta.ordering or ())[:2] == ("-year", "-quarter")
