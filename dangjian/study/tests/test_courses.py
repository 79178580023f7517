"""Courses (微党课): completion only with enough visible-page time, bounded by the server's clock;
hours per member and year; points once per completed course."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.testing.personas import Personas
from dangjian.points.models import PointEntry
from dangjian.study import services, signals
from dangjian.study.models import ChapterProgress, CourseCompletion
from dangjian.study.tests.conftest import course

pytestmark = pytest.mark.django_db


def beats(user: Any, chapter: Any, start: dt.datetime, count: int, every: int, report: int) -> None:
    with acting_as(user, reason="test"):
        for i in range(count + 1):
            services.heartbeat(actor=user, chapter=chapter, visible_seconds=report if i else 0,
                               now=start + dt.timedelta(seconds=i * every))


def test_completion_is_refused_below_the_visible_time_threshold(personas: Personas, client_for: Any) -> None:
    row = course(personas.c1, minutes=(10,))  # 80 % of 10 minutes: 480 visible seconds needed
    chapter = row.chapters.get()
    user = personas.user("member_b1")
    start = timezone.now() - dt.timedelta(hours=1)
    beats(user, chapter, start, 15, 30, 30)  # 450 s
    c = client_for("member_b1")
    page = c.post(reverse("study:course_complete", args=[row.pk]), follow=True).content.decode()
    assert not CourseCompletion.objects.exists()
    assert "7" in page and "8" in page  # 7 of the 8 minutes needed
    beats(user, chapter, start + dt.timedelta(minutes=20), 1, 30, 30)  # +30 s = 480 s
    c.post(reverse("study:course_complete", args=[row.pk]))
    done = CourseCompletion.objects.get()
    assert done.hours == Decimal("1.5")
    assert services.hours_of(personas.members["m_b1"], timezone.localdate().year) == Decimal("1.5")


def test_a_forged_or_background_report_earns_only_what_the_server_clock_saw(personas: Personas) -> None:
    row = course(personas.c1, minutes=(10,))
    chapter = row.chapters.get()
    user = personas.user("member_b1")
    start = timezone.now() - dt.timedelta(hours=1)
    beats(user, chapter, start, 3, 10, 3600)  # claims an hour per beat, 10 s apart
    progress = ChapterProgress.objects.get(chapter=chapter)
    assert progress.visible_seconds == 30
    # a tab left open in the background sends nothing; the first beat after it credits at most the rule's gap
    beats(user, chapter, start + dt.timedelta(minutes=30), 1, 600, 600)
    progress.refresh_from_db()
    assert progress.visible_seconds == 30 + 30
    with acting_as(user, reason="test"), pytest.raises(RuleError):
        services.complete_course(actor=user, course=row)


def test_points_once_per_completed_course_even_when_the_event_is_delivered_twice(personas: Personas) -> None:
    row = course(personas.c1, minutes=(1,))
    chapter = row.chapters.get()
    user = personas.user("member_b1")
    beats(user, chapter, timezone.now() - dt.timedelta(minutes=10), 3, 20, 20)
    with acting_as(user, reason="test"):
        done = services.complete_course(actor=user, course=row)
        again = services.complete_course(actor=user, course=row)
    assert again.pk == done.pk
    with acting_as(user, reason="test"), transaction.atomic():
        signals.course_completed.send(actor=user, evidence=done)
    entries = PointEntry.objects.filter(evidence=f"study.coursecompletion:{done.pk}", live=True)
    assert [(e.rule.code, e.points, e.member_id) for e in entries] == [("course_completed", 1, done.member_id)]


def test_a_course_of_another_committee_or_unpublished_is_not_open(personas: Personas, client_for: Any) -> None:
    other, draft = course(personas.c2), course(personas.c1, published=False)
    c = client_for("member_b1")
    for row in (other, draft):
        assert c.get(reverse("study:course_page", args=[row.pk])).status_code == 404
        assert c.post(reverse("study:chapter_beat", args=[row.chapters.first().pk]), {"visible": "10"}).status_code == 404


def test_the_chapter_page_carries_the_visibility_heartbeat(personas: Personas, client_for: Any) -> None:
    row = course(personas.c1)
    c = client_for("member_b1")
    page = c.get(reverse("study:chapter_page", args=[row.chapters.get().pk])).content.decode()
    assert "study/chapter.js" in page and reverse("study:chapter_beat", args=[row.chapters.get().pk]) in page
