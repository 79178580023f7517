"""The meetings module's reminder sources (declared in declarations.py, materialized by the
notices job): meetings due per the requirements, and opinion solicitations open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.http import urlencode

from dangjian.core.reminders import Due
from dangjian.meetings import rules, stored
from dangjian.meetings.models import Solicitation


def meetings_due(day: dt.date) -> Iterator[Due]:
    """Every organization's obligation not met whose reminder window opened by ``day`` (DOMAIN.md
    2.1) or whose deadline has passed (up to 92 days back), for those who plan its meetings."""
    book = rules.RuleBook()
    horizon = max([book.settings(day.year).reminder_days] + [r.remind_days or 0 for r in book.all_requirements()]
                  + [366 for r in book.all_requirements() if r.remind_from_month is not None])
    items = stored.obligations(None, day - dt.timedelta(days=92), day + dt.timedelta(days=horizon), today=day)
    add = reverse("meetings:meeting_add")
    for ob in rules.reminders(items, day, book):
        yield Due(object_key=f"meetings.obligation:{ob.org_id}:{ob.requirement.pk}:{ob.period.key}",
                  due_on=ob.due_on, title=f"{ob.org_name} · {ob.kind.name} · {ob.period.label}",
                  url=f"{add}?{urlencode({'org': ob.org_id, 'kind': ob.kind.pk})}", org_path=ob.org_path,
                  org_id=ob.org_id, area="meetings", action="add")


def solicitations_open(day: dt.date) -> Iterator[Due]:
    """Solicitations open on ``day``, for everyone who sees the organization's meetings."""
    rows = (Solicitation.objects.filter(opens_on__lte=day, closes_on__gte=day)  # scope-ok: a job over every row
            .select_related("org").order_by("pk"))
    for row in rows.iterator(chunk_size=2000):
        yield Due(object_key=f"meetings.solicitation:{row.pk}", due_on=row.closes_on, title=f"{row.org} · {row.title}",
                  url=row.get_absolute_url(), org_path=row.org.path, org_id=row.org_id, area="meetings", action="view")
