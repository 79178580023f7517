"""The study module's reminder source: tests open (理论测试) — every published test open on the
day, for each member of its subtree who has not finished an attempt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.reminders import Due
from dangjian.members.models import Member
from dangjian.study.models import Attempt, AttemptStatus, Exam


def tests_open(day: dt.date) -> Iterator[Due]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    url = reverse("study:mine")
    exams = Exam.objects.filter(published=True, opens_at__lt=end, closes_at__gt=start).select_related("org")  # scope-ok: a job over every row
    for exam in exams.order_by("pk"):
        finished = Attempt.objects.filter(exam=exam).exclude(status=AttemptStatus.ACTIVE).values("member_id")  # scope-ok: a job over every row
        members = (Member.objects.filter(org__path__startswith=exam.org.path, is_active=True)  # scope-ok: the test's audience
                   .exclude(pk__in=finished).values_list("pk", "org__path", "org_id"))
        title = gettext("Test open: %(title)s") % {"title": exam.title}
        due_on = timezone.localdate(exam.closes_at)
        for member_id, path, org_id in members.iterator(chunk_size=5000):
            yield Due(object_key=f"study.exam:{exam.pk}", due_on=due_on, title=title, url=url, org_path=path,
                      org_id=org_id, member_id=member_id)
