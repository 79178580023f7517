"""The calendar and the compliance matrix."""

from __future__ import annotations

import calendar
import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core.periods import add_months, month_end
from dangjian.core.scoping import chosen_subtree
from dangjian.core.views import can
from dangjian.meetings import rules
from dangjian.meetings.choices import ComplianceStatus, MeetingStatus
from dangjian.meetings.models import (
    Meeting,
)
from dangjian.orgs.models import Organization


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in (value or "").split("-", 1))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """A month of meetings of the user's organizations (optionally one subtree)."""
    if not can(request.user, Meeting, "view"):
        raise Http404
    first = _month(request.GET.get("month"))
    last = month_end(first)
    low, high = rules._local_bounds(first - dt.timedelta(days=7), last + dt.timedelta(days=7))
    meetings = (Meeting.objects.visible_to(request.user, "view").select_related("kind", "org")
                .filter(starts_at__gte=low, starts_at__lt=high).exclude(status=MeetingStatus.CANCELLED))
    _, org = chosen_subtree(request.user, Meeting.scope_area, _int(request.GET.get("org")))
    if org is not None:
        meetings = meetings.filter(org__path__startswith=org.path)
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings.order_by("starts_at"):
        by_day.setdefault(timezone.localdate(meeting.starts_at), []).append(meeting)
    weeks = [[(day, by_day.get(day, []), day.month == first.month) for day in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)]
    prev_month, next_month = add_months(first, -1), add_months(first, 1)
    return render(request, "meetings/calendar.html", {
        "weeks": weeks, "month": first, "org": org, "today": timezone.localdate(),
        "prev": f"{prev_month:%Y-%m}", "next": f"{next_month:%Y-%m}",
        "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
        "can_add": can(request.user, Meeting, "add"),
    })


def _compliance_paths(request: HttpRequest) -> tuple[list[str] | None, Organization | None]:
    """The organization paths the matrix covers: the chosen subtree, else the user's scope."""
    return chosen_subtree(request.user, Meeting.scope_area, _int(request.GET.get("org")))


#: Organizations per page of the matrix (the totals and the chart cover the whole subtree).
MATRIX_ROWS_PER_PAGE = 100


@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """Organizations x months (or quarters) x kinds for a subtree: done / due / overdue."""
    paths, org = _compliance_paths(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    granularity = "quarter" if request.GET.get("by") == "quarter" else "month"
    cols = rules.columns(year, granularity)
    items = rules.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=paths)
    grid = rules.matrix(items, cols)
    page = max(_int(request.GET.get("page")) or 1, 1)
    pages = max((len(grid.rows) + MATRIX_ROWS_PER_PAGE - 1) // MATRIX_ROWS_PER_PAGE, 1)
    page = min(page, pages)
    grid.rows = grid.rows[(page - 1) * MATRIX_ROWS_PER_PAGE: page * MATRIX_ROWS_PER_PAGE]
    chart = {
        "kinds": list(grid.by_kind),
        "done": [t.done for t in grid.by_kind.values()],
        "due": [t.due for t in grid.by_kind.values()],
        "overdue": [t.overdue for t in grid.by_kind.values()],
        "labels": {"done": str(ComplianceStatus.DONE.label), "due": str(ComplianceStatus.DUE.label),
                   "overdue": str(ComplianceStatus.OVERDUE.label)},
    }
    return render(request, "meetings/compliance.html", {
        "grid": grid, "year": year, "granularity": granularity, "org": org, "chart": chart, "today": today,
        "page": page, "pages": pages, "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "years": list(range(today.year - 3, today.year + 2)),
        "meeting_list": reverse("meetings:meeting_list"), "meeting_add": reverse("meetings:meeting_add"),
        "can_add": can(request.user, Meeting, "add"),
    })
