"""The democratic life meeting workflow (F4, seed 004): solicitation, anonymous opinions,
talks, collation into an agenda, publication, criticism records, rectification to closure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.models import AuditEntry
from dangjian.core.rectification import RectificationStatus
from dangjian.core.testing.personas import PASSWORD, Personas
from dangjian.meetings.models import AgendaItem, Opinion, RectificationItem, Solicitation
from dangjian.meetings.tests.factories import at, give_committee, make_meeting

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


def open_solicitation(p: Personas, **fields: Any) -> Solicitation:
    today = timezone.localdate()
    meeting = make_meeting(p.b1, "democratic_life_meeting", at(2026, 6, 30, 14), status="planned", present=0)
    return Solicitation.objects.create(org=p.b1, meeting=meeting, title="支委民主生活会征求意见",
                                       opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=7),
                                       **fields)


def form_url(s: Solicitation) -> str:
    return reverse("meetings:opinion_form") + f"?t={s.token}"


def test_an_anonymous_opinion_cannot_be_traced_to_its_sender(personas: Personas, client_for: Login) -> None:
    solicitation = open_solicitation(personas)
    client = client_for("member_b1")
    sender = personas.user("member_b1")
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.post(form_url(solicitation), {"topic": "person", "content": "希望支委多下基层听取意见",
                                                    "anonymous": "on"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200 and "opinion" not in response.get("Location", "")
    opinion = Opinion.objects.get()
    assert opinion.is_anonymous and opinion.author_id is None and opinion.author_name == ""
    assert opinion.submitted_on == timezone.localdate()
    assert not hasattr(opinion, "created_at") or opinion.created_at is None  # no timestamp column
    columns = {f.column for f in Opinion._meta.concrete_fields}
    assert not {"created_at", "updated_at"} & columns
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Opinion._meta.db_table}")  # noqa: S608 (a fixed table name)
        raw = [str(v) for v in cursor.fetchone()]
    for trace in (str(sender.pk), sender.username, "10.1.2.3", str(sender.member_id)):
        assert trace not in raw or trace in ("1", str(solicitation.pk)), (trace, raw)
    assert str(sender.username) not in " ".join(raw)
    entries = list(AuditEntry.objects.filter(id__gt=before))
    assert [e.object_type for e in entries] == ["meetings.opinion"]
    entry = entries[0]
    assert entry.actor_id is None and entry.actor_name == "" and entry.ip is None and entry.request_id == ""
    assert entry.source == "anonymous"
    local = timezone.localtime(entry.at)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    assert sender.username not in str(entry.changes) and str(sender.pk) not in str(entry.changes.get("author_id"))
    assert entry.changes.get("author_id", [None, None])[1] is None


def test_a_named_opinion_carries_its_author(personas: Personas, client_for: Login) -> None:
    solicitation = open_solicitation(personas)
    client_for("member_b1").post(form_url(solicitation), {"topic": "work", "content": "加强业务学习"})
    opinion = Opinion.objects.get()
    assert not opinion.is_anonymous and opinion.author == personas.user("member_b1")


def test_non_member_police_answer_by_the_link(personas: Personas) -> None:
    user = User(username="police_no_party", display_name="非党员民警")
    user.set_password(PASSWORD)
    user.save()
    solicitation = open_solicitation(personas)
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.get(form_url(solicitation)).status_code == 200
    client.post(form_url(solicitation), {"topic": "team", "content": "希望改善值班安排", "anonymous": "on"})
    assert Opinion.objects.filter(is_anonymous=True).count() == 1
    assert client.get(reverse("meetings:opinion_form") + "?t=wrong").status_code == 404
    assert client.get(reverse("meetings:solicitation_detail", args=[solicitation.pk])).status_code == 404


def test_closed_or_named_only_solicitations_refuse(personas: Personas, client_for: Login) -> None:
    closed = open_solicitation(personas)
    closed.closes_on = timezone.localdate() - dt.timedelta(days=1)
    closed.save()
    client = client_for("member_b1")
    assert client.post(form_url(closed), {"topic": "work", "content": "晚了"}).status_code == 400
    named = open_solicitation(personas, allow_anonymous=False)
    client.post(form_url(named), {"topic": "work", "content": "实名意见", "anonymous": "on"})
    assert Opinion.objects.get().is_anonymous is False


def test_opinions_are_collated_into_a_published_agenda(personas: Personas, client_for: Login) -> None:
    solicitation = open_solicitation(personas)
    member = client_for("member_b1")
    member.post(form_url(solicitation), {"topic": "branch", "content": "支部活动形式单一", "anonymous": "on"})
    officer = client_for("officer_b1")
    officer.post(reverse("meetings:talk_add"), {"org": personas.b1.pk, "solicitation": solicitation.pk,
                                                "held_on": "2026-06-01", "talker": personas.members["m_b1_2"].pk,
                                                "interviewee_name": "辅警小王", "summary": "希望多组织业务培训"})
    assert solicitation.talks.count() == 1
    assert officer.post(reverse("meetings:agenda_publish", args=[solicitation.pk])).status_code == 302
    solicitation.refresh_from_db()
    assert solicitation.agenda_published_on is None  # nothing collated yet
    officer.post(reverse("meetings:agendaitem_add"), {"solicitation": solicitation.pk, "order": 1,
                                                      "title": "丰富支部活动形式"})
    item = AgendaItem.objects.get()
    opinion = Opinion.objects.get()
    response = officer.post(reverse("meetings:opinion_edit", args=[opinion.pk]),
                            {"agenda_item": item.pk, "version": opinion.version})
    assert response.status_code == 302, response.content.decode()[:1500]
    opinion.refresh_from_db()
    assert opinion.agenda_item == item and opinion.is_anonymous and opinion.author_id is None
    assert member.get(reverse("meetings:agenda", args=[solicitation.pk])).status_code == 404  # not yet published
    officer.post(reverse("meetings:agenda_publish", args=[solicitation.pk]))
    page = member.get(reverse("meetings:agenda", args=[solicitation.pk]))
    assert page.status_code == 200 and "丰富支部活动形式" in page.content.decode()
    assert member.get(reverse("meetings:opinion_list")).status_code == 404  # members never read the opinions
    assert client_for("officer_b2").get(reverse("meetings:opinion_detail", args=[opinion.pk])).status_code == 404


def test_criticism_and_rectification_to_closure(personas: Personas, client_for: Login) -> None:
    committee = give_committee(personas.b1, 3)
    meeting = make_meeting(personas.b1, "democratic_life_meeting", at(2026, 6, 30, 14))
    officer = client_for("officer_b1")
    response = officer.post(reverse("meetings:criticism_add"), {
        "meeting": meeting.pk, "member": committee[0].pk, "self_criticism": "深入基层不够",
        "criticism_received": "对年轻民警关心不够", "commitments": "每月走访"})
    assert response.status_code == 302
    item = RectificationItem.objects.create(org=personas.b1, meeting=meeting, content="落实每月走访制度",
                                            owner=committee[0], deadline=timezone.localdate() - dt.timedelta(days=1))
    assert item.is_overdue
    overdue = officer.get(reverse("meetings:rectification_list") + "?overdue=true").content.decode()
    assert "落实每月走访制度" in overdue
    close = {"org": personas.b1.pk, "meeting": meeting.pk, "content": item.content, "owner": committee[0].pk,
             "deadline": item.deadline.isoformat(), "status": RectificationStatus.CLOSED, "version": item.version}
    assert officer.post(reverse("meetings:rectification_edit", args=[item.pk]), close).status_code == 400  # no evidence
    close["evidence"] = "走访记录12份"
    close["closed_on"] = timezone.localdate().isoformat()
    assert officer.post(reverse("meetings:rectification_edit", args=[item.pk]), close).status_code == 302
    item.refresh_from_db()
    assert not item.is_overdue and item.status == RectificationStatus.CLOSED
