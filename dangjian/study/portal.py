"""The study module's card of the member portal: open tests (taken or not) and courses (done or
not), with this year's study hours. The same reads as the study corner (``study:mine``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.study import services
from dangjian.study.models import Attempt, CourseCompletion
from dangjian.study.views import open_courses, open_exams


def mine(viewer: Any, member: Any) -> Any:
    now = timezone.now()
    exams = list(open_exams(member).filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")[:5])
    attempts = {a.exam_id: a for a in Attempt.objects.visible_to(viewer, "view")
                .filter(member=member, exam__in=exams).order_by("started_at")}
    done = {c.course_id: c for c in CourseCompletion.objects.visible_to(viewer, "view").filter(member=member)}
    courses = list(open_courses(member).order_by("required_by", "-id")[:6])
    recent = list(Attempt.objects.visible_to(viewer, "view").filter(member=member, submitted_at__isnull=False,
                                                                   submitted_at__gte=now - dt.timedelta(days=365))
                  .select_related("exam").order_by("-submitted_at")[:5])
    return {"exams": [(e, attempts.get(e.pk)) for e in exams], "courses": [(c, done.get(c.pk)) for c in courses],
            "recent": recent, "hours": services.hours_of(member, timezone.localdate().year)}
