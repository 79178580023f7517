"""The one inbox: materialized once per (source, object, recipient, due date), seen only in the
user's scope and role, marked read or done, and done items never come back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.notices import inbox
from dangjian.notices.models import Reminder
from dangjian.notices.tests.conftest import run

pytestmark = pytest.mark.django_db

D = dt.date
DAY = D(2026, 6, 3)


def _solicitation(p: Any, org: Any, title: str) -> Any:
    from dangjian.meetings.models import Solicitation

    with acting_as(None, reason="test"):
        row = Solicitation(org=org, title=title, opens_on=D(2026, 6, 1), closes_on=D(2026, 6, 10))
        row.save()
    return row


def _rect(p: Any) -> Any:
    from dangjian.supervision.tests import fixtures as fx

    with acting_as(None, reason="test"):
        return fx.item(fx.finding(fx.team_inspection(p)), p.members["m_b1"], deadline=D(2026, 6, 10))


def titles(user: Any) -> str:
    """The titles of the user's open items, one text to look for a title in."""
    return " | ".join(inbox.open_for(user).values_list("title", flat=True))


def test_a_second_run_adds_nothing_and_audits_once_per_run(p: Any) -> None:
    _solicitation(p, p.b1, "征求意见甲")
    first = {r.source: r for r in run(DAY, "solicitations_open")}
    assert first["solicitations_open"].created == 1
    again = {r.source: r for r in run(DAY, "solicitations_open")}
    assert again["solicitations_open"].created == 0
    assert Reminder.objects.filter(source="solicitations_open").count() == 1
    assert AuditEntry.objects.filter(event="reminders_materialized").count() == 2


def test_each_user_sees_only_items_in_their_scope_and_role(p: Any) -> None:
    _solicitation(p, p.b1, "一支部征求意见")
    _solicitation(p, p.b2, "二支部征求意见")
    _rect(p)
    run(DAY, "solicitations_open", "rectification_deadlines")
    b1 = titles(p.user("officer_b1"))
    assert "一支部征求意见" in b1 and "二支部征求意见" not in b1
    b2 = titles(p.user("officer_b2"))
    assert "二支部征求意见" in b2 and "一支部征求意见" not in b2
    c1 = titles(p.user("c1_staff"))
    assert "一支部征求意见" in c1 and "二支部征求意见" in c1
    member = titles(p.user("member_b1"))
    assert "一支部征求意见" in member and "二支部征求意见" not in member  # the member's branch only
    # the rectification item: the responsible member and those who change it, not the sibling branch
    rect = Reminder.objects.filter(source="rectification_deadlines").values_list("title", flat=True).first()
    assert rect and rect in titles(p.user("member_b1")) and rect in titles(p.user("inspector_c1"))
    assert rect not in titles(p.user("officer_b2"))
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        assert not titles(p.user(admin))


def test_a_member_item_reaches_only_that_member(p: Any) -> None:
    _rect(p)
    run(DAY, "rectification_deadlines")
    mine = Reminder.objects.get(source="rectification_deadlines", member__isnull=False)
    assert mine.pk in set(inbox.open_for(p.user("member_b1")).values_list("pk", flat=True))
    assert mine.pk not in set(inbox.open_for(p.user("officer_b1")).values_list("pk", flat=True))
    assert mine.pk not in set(inbox.open_for(p.user("c1_staff")).values_list("pk", flat=True))


def test_done_items_do_not_come_back(p: Any, client_for: Any) -> None:
    _solicitation(p, p.b1, "征求意见乙")
    run(DAY, "solicitations_open")
    item = Reminder.objects.get(source="solicitations_open")
    client = client_for("officer_b1")
    assert client.post(reverse("notices:reminder_done", args=[item.pk])).status_code == 302
    assert "征求意见乙" not in titles(p.user("officer_b1"))
    run(DAY, "solicitations_open")
    run(DAY + dt.timedelta(days=1), "solicitations_open")
    assert "征求意见乙" not in titles(p.user("officer_b1"))
    assert "征求意见乙" in titles(p.user("c1_staff"))  # a mark is the user's own
    assert Reminder.objects.filter(source="solicitations_open").count() == 1


def test_fulfilled_items_leave_and_come_back_only_if_yielded_again(p: Any) -> None:
    row = _solicitation(p, p.b1, "征求意见丙")
    run(DAY, "solicitations_open")
    type(row).objects.filter(pk=row.pk).update(opens_on=D(2026, 6, 5))  # moved: not open on the 4th
    run(D(2026, 6, 4), "solicitations_open")
    item = Reminder.objects.get(source="solicitations_open")
    assert item.cleared_on == D(2026, 6, 4)
    assert "征求意见丙" not in titles(p.user("officer_b1"))
    run(D(2026, 6, 5), "solicitations_open")
    item.refresh_from_db()
    assert item.cleared_on is None and Reminder.objects.filter(source="solicitations_open").count() == 1


def test_a_user_never_opens_an_item_outside_their_scope(p: Any, client_for: Any) -> None:
    _solicitation(p, p.b1, "征求意见丁")
    run(DAY, "solicitations_open")
    item = Reminder.objects.get(source="solicitations_open")
    outsider = client_for("officer_b2")
    assert outsider.get(reverse("notices:reminder_go", args=[item.pk])).status_code == 404
    assert outsider.post(reverse("notices:reminder_done", args=[item.pk])).status_code == 404
    assert "征求意见丁" not in outsider.get(reverse("notices:inbox")).content.decode()
    mine = client_for("officer_b1")
    response = mine.get(reverse("notices:reminder_go", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == item.url
    assert "征求意见丁" in mine.get(reverse("notices:inbox")).content.decode()


def test_the_navigation_count_is_one_query_and_follows_the_marks(p: Any, client_for: Any) -> None:
    _solicitation(p, p.b1, "征求意见戊")
    _solicitation(p, p.b1, "征求意见己")
    run(DAY, "solicitations_open")
    user = p.user("officer_b1")
    with CaptureQueriesContext(connection) as ctx:
        assert inbox.open_count(user) == 2
    count_queries = [q for q in ctx.captured_queries if "notices_reminder" in q["sql"]]
    assert len(count_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert inbox.open_count(user) == 2
    assert not [q for q in ctx.captured_queries if "notices_reminder" in q["sql"]]  # cached
    item = Reminder.objects.filter(source="solicitations_open").first()
    assert item is not None
    inbox.mark(actor=user, reminder=item, done=True)
    assert inbox.open_count(user) == 1
    page = client_for("officer_b1").get(reverse("core:home")).content.decode()
    assert 'class="badge bg-red text-white ms-auto nav-count"' in page


def test_the_inbox_page_costs_the_same_with_more_items(p: Any, client_for: Any) -> None:
    client = client_for("officer_b1")
    _solicitation(p, p.b1, "征求意见1")
    run(DAY, "solicitations_open")
    counts = []
    for n in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notices:inbox")).status_code == 200
        counts.append(len(ctx.captured_queries))
        for k in range(3):
            _solicitation(p, p.b1, f"征求意见{n}{k}")
        run(DAY, "solicitations_open")
    assert counts[0] == counts[1], counts


def test_the_job_runs_from_the_schedule(p: Any) -> None:
    from dangjian.core.jobs.models import ScheduledTask

    assert ScheduledTask.objects.filter(name="notices_materialize", enabled=True).exists()
    assert ScheduledTask.objects.filter(name="notices_deliver", every_minutes=1).exists()
    from dangjian.core.jobs import runner
    from dangjian.notices import jobs

    _solicitation(p, p.b1, "征求意见庚")
    row = runner.start(jobs.materialize, actor=p.user("root_staff"), params={"today": DAY.isoformat()})
    row.refresh_from_db()
    assert row.status == "succeeded", row.result
    assert Reminder.objects.filter(source="solicitations_open").exists()
