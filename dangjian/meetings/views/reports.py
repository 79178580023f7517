"""The calendar and the compliance matrix."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dangjian.core import audit
from dangjian.core.excel import Column, xlsx_response
from dangjian.core.periods import Period, add_months, month_end
from dangjian.core.scoping import chosen_subtree, scope_paths
from dangjian.core.views import can
from dangjian.meetings import aggregates, rules, stored
from dangjian.meetings.choices import ComplianceStatus, MeetingStatus
from dangjian.meetings.models import Meeting, MeetingKind
from dangjian.orgs.choices import OrgKind
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


def _orgs(request: HttpRequest) -> QuerySet[Organization]:
    return Organization.objects.visible_to(request.user, "view")  # type: ignore[no-any-return,attr-defined]


def _breadcrumbs(request: HttpRequest, user_paths: list[str] | None, org: Organization | None) -> list[Organization]:
    """The chosen organization's ancestors the user may open the matrix of, top first."""
    if org is None:
        return []
    steps = Organization.steplen
    prefixes = [org.path[:i] for i in range(steps, len(org.path), steps)]
    within = [p for p in prefixes if user_paths is None or any(p.startswith(u) for u in user_paths)]
    return list(_orgs(request).filter(path__in=within).order_by("depth").only("id", "name", "path", "depth"))


def _matrix_root(request: HttpRequest, paths: list[str] | None, org: Organization | None) -> Organization | None:
    """The organization the matrix is of: the chosen one, else the one top of the user's scope."""
    if org is not None:
        return org
    tops = _orgs(request).filter(depth=1) if paths is None else _orgs(request).filter(path__in=paths)
    found = list(tops[:2])
    return found[0] if len(found) == 1 else None


#: Kinds of organization whose subtree rolls up into one line of a committee's matrix.
UNIT_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)


@require_GET
def compliance(request: HttpRequest) -> HttpResponseBase:
    """Organizations x months (or quarters) x kinds for a subtree: done / due soon / due / overdue.

    At committee level (a root whose children include unit committees) each child is one
    roll-up line that opens that child's own matrix; ``?view=flat`` lists every organization.
    ``?format=xlsx`` exports the obligations of the whole subtree.

    A stored year (``meetings.Obligation``) is read with SQL aggregates (tallies, unit lines)
    and only the rows the page shows; a year not stored is derived by the engine."""
    paths, org = _compliance_paths(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    granularity = "quarter" if request.GET.get("by") == "quarter" else "month"
    cols = rules.columns(year, granularity)
    kept = aggregates.is_stored(year)
    if request.GET.get("format") == "xlsx":
        return _compliance_export(request, paths, year, today, org, kept)
    root = _matrix_root(request, paths, org)
    units: list[tuple[int, str, str, str]] = []
    if root is not None and request.GET.get("view") != "flat":
        children = list(_orgs(request).filter(path__startswith=root.path, depth=root.depth + 1, is_active=True)
                        .order_by("path").values_list("id", "name", "path", "kind"))
        if any(kind in UNIT_KINDS for *_rest, kind in children):
            units = children
    page = max(_int(request.GET.get("page")) or 1, 1)
    if kept:
        grid, rolled, kinds, page, pages = _stored_matrix(paths, year, today, cols, units, root, page)
    else:
        grid, rolled, kinds, page, pages = _derived_matrix(paths, year, today, cols, units, root, page)
    labels = {"done": str(ComplianceStatus.DONE.label), "due": str(ComplianceStatus.DUE.label),
              "due_soon": str(rules.DUE_SOON_LABEL), "overdue": str(ComplianceStatus.OVERDUE.label)}
    chart = {
        "kinds": list(grid.by_kind),
        "done": [t.done for t in grid.by_kind.values()],
        "due_soon": [t.due_soon for t in grid.by_kind.values()],
        "due": [t.due_later for t in grid.by_kind.values()],
        "overdue": [t.overdue for t in grid.by_kind.values()],
        "labels": labels,
    }
    query = {"year": year, "by": granularity, **({"org": org.pk} if org else {})}
    return render(request, "meetings/compliance.html", {
        "grid": grid, "rolled": rolled, "year": year, "granularity": granularity, "org": org, "chart": chart,
        "today": today, "kinds": kinds, "labels": labels,
        "breadcrumbs": _breadcrumbs(request, scope_paths(request.user, Meeting.scope_area, "view"), org),
        "page": page, "pages": pages, "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None, "flat": request.GET.get("view") == "flat",
        "export_url": "?" + urlencode({**query, "format": "xlsx"}),
        "flat_url": "?" + urlencode({**query, "view": "flat"}), "rolled_url": "?" + urlencode(query),
        "years": list(range(today.year - 3, today.year + 2)),
        "meeting_list": reverse("meetings:meeting_list"), "meeting_add": reverse("meetings:meeting_add"),
        "can_add": can(request.user, Meeting, "add"),
    })


MatrixParts = tuple[rules.Matrix, list[rules.RollupRow], list[MeetingKind], int, int]


def _stored_matrix(paths: list[str] | None, year: int, today: dt.date, cols: list[Period],
                   units: list[tuple[int, str, str, str]], root: Organization | None, page: int) -> MatrixParts:
    """The matrix of a stored year: the tallies and unit lines aggregated in SQL, the rows of
    the page's organizations only (the root's own at committee level)."""
    summary = aggregates.summary(paths, year, today, cols, units)
    if summary.rolled and root is not None:
        pages, page, shown = 1, 1, [root.pk]
    else:
        pages, page, shown = aggregates.owing_page(paths, year, page, MATRIX_ROWS_PER_PAGE)
    items = stored.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=paths,
                               org_ids=set(shown))
    grid = rules.matrix(items, cols)
    grid.by_kind, grid.total = summary.by_kind, summary.total
    return grid, summary.rolled, summary.kinds, page, pages


def _derived_matrix(paths: list[str] | None, year: int, today: dt.date, cols: list[Period],
                    units: list[tuple[int, str, str, str]], root: Organization | None, page: int) -> MatrixParts:
    """The matrix of a year not stored: every obligation of the subtree derived by the engine."""
    items = stored.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=paths)
    grid = rules.matrix(items, cols)
    rolled = rules.rollup(items, cols, units) if units else []
    if rolled:
        grid.rows = [r for r in grid.rows if r.org_id == root.pk] if root is not None else []
    pages = max((len(grid.rows) + MATRIX_ROWS_PER_PAGE - 1) // MATRIX_ROWS_PER_PAGE, 1)
    page = min(page, pages)
    grid.rows = grid.rows[(page - 1) * MATRIX_ROWS_PER_PAGE: page * MATRIX_ROWS_PER_PAGE]
    kinds = sorted({ob.kind.pk: ob.kind for ob in items}.values(), key=lambda k: (k.sort_order, k.pk))
    grid.by_kind = {k.name: grid.by_kind[k.name] for k in kinds if k.name in grid.by_kind}  # as the stored year's
    return grid, rolled, kinds, page, pages


def _compliance_export(request: HttpRequest, paths: list[str] | None, year: int, today: dt.date,
                       org: Organization | None, kept: bool) -> HttpResponseBase:
    """Every obligation of the matrix's subtree, one row each, as .xlsx (audited). A stored
    year is read row by row without building the engine's obligation objects."""
    items: list[Any]
    if kept:
        items = list(aggregates.lines(paths, year, today))
    else:
        items = stored.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=paths)
    steps = Organization.steplen
    chains = {ob.org_path[:i] for ob in {ob.org_path: ob for ob in items}.values()
              for i in range(steps, len(ob.org_path) + 1, steps)}
    names = dict(_orgs(request).filter(path__in=chains).values_list("path", "name"))
    full_names: dict[str, str] = {}

    def full_name(ob: Any) -> str:
        found = full_names.get(ob.org_path)
        if found is None:
            chain = [names.get(ob.org_path[:i]) for i in range(steps, len(ob.org_path) + 1, steps)]
            found = full_names[ob.org_path] = " / ".join(n for n in chain if n)
        return found

    columns = [
        Column(gettext("organization"), lambda ob: ob.org_name, 26),
        Column(gettext("parent organizations"), full_name, 40),
        Column(gettext("meeting kind"), lambda ob: ob.kind.name, 14),
        Column(gettext("period"), lambda ob: ob.period.label, 12),
        Column(gettext("due on"), lambda ob: ob.due_on, 12),
        Column(gettext("reminded from"), lambda ob: ob.remind_on, 12),
        Column(gettext("status"), lambda ob: ob.status_label, 10),
        Column(gettext("meetings held"), lambda ob: len(ob.meetings), 10),
        Column(gettext("meetings required"), lambda ob: ob.needed, 10),
        Column(gettext("held without quorum"), lambda ob: len(ob.without_quorum), 12),
    ]
    title = gettext("Organizational life compliance %(year)s") % {"year": year}
    if org is not None:
        title = f"{org.name} {title}"
    rows = sorted(items, key=lambda ob: (ob.org_path, ob.period.start, ob.kind.sort_order))
    response, count = xlsx_response(f"compliance-{year}.xlsx", title, columns, rows)
    with transaction.atomic():
        audit.record("export", object_type="meetings.compliance", object_repr=title,
                     changes={"rows": count, "filters": dict(request.GET.items())})
    return response
