"""The pages of the grades, the ballots and the decisions.

- ``grade`` — one organization's year: the published result (frozen) and the live preview,
  each list opening into its lines and each line into its evidence; the sum shown is the sum
  of the stored lines (``Total`` of dangjian.dues.rules);
- ``table`` — the grade table of a subtree (a city), the percentage caps applied over its rows;
- publication, recompute, the ballot, closing a round, uploads, member grades and disposals.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Q, Sum
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.assessment import forms, grading, jobs, services
from dangjian.assessment.choices import ListKind, ResultState
from dangjian.assessment.models import (
    GradeResult,
    ItemEvaluation,
    ListItem,
    MemberReview,
    PendingGrade,
    ResultLine,
    ReviewReport,
    ReviewReportFile,
    ReviewRound,
)
from dangjian.assessment.views import MemberReviewViews, ReportViews, RoundViews
from dangjian.core import attachments
from dangjian.core import jobs as core_jobs
from dangjian.core.errors import RuleError, as_message
from dangjian.core.periods import year_from_query
from dangjian.core.scoping import chosen_subtree, covers, get_scoped_or_404
from dangjian.dues.rules.bills import Total
from dangjian.orgs.models import Organization

ALLOWED = "pdf, docx, doc, jpg, png"
MAX_MB = 20
LIST_ORDER = [ListKind.BASIC, ListKind.PROJECT, ListKind.MANDATED, ListKind.ROUTINE, ListKind.REVIEW, ListKind.BONUS]


def _year(request: HttpRequest) -> int:
    return year_from_query(request.GET.get("year") or request.POST.get("year"), timezone.localdate().year)


def fresh_live(org: Organization, year: int) -> GradeResult | None:
    """The organization's live result, recomputed first when its evidence changed (or it has none)."""
    live = GradeResult.objects.filter(org=org, year=year, state=ResultState.LIVE).first()  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
    if org.kind in grading.GRADED_KINDS and (live is None or PendingGrade.objects.filter(org=org, year=year).exists()):  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
        services.recompute(actor=None, year=year, org_ids=[org.pk])
        live = GradeResult.objects.filter(org=org, year=year, state=ResultState.LIVE).first()  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
    return live


def explain(result: GradeResult | None) -> list[dict[str, Any]]:
    """The result's lists in order, each a ``Total`` of its stored lines."""
    if result is None:
        return []
    by_kind: dict[str, list[ResultLine]] = defaultdict(list)
    for line in result.lines.all():
        by_kind[line.kind].append(line)
    labels = dict(ListKind.choices)
    return [{"kind": k, "total": Total(sum((ln.points for ln in by_kind[k]), Decimal(0)), by_kind[k], str(labels[k]))}
            for k in LIST_ORDER if by_kind.get(k)]


@require_GET
def grade(request: HttpRequest, org: int) -> HttpResponse:
    unit = get_scoped_or_404(request.user, Organization, "view", pk=org)
    if not covers(request.user, "assessment", "view", unit):
        return render(request, "assessment/grade.html", {"org": unit, "denied": True}, status=404)
    year = _year(request)
    live = fresh_live(unit, year)
    published = GradeResult.objects.filter(org=unit, year=year, state=ResultState.PUBLISHED).select_related(  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
        "level", "level_by_total", "scheme", "published_by").first()
    evaluated = set(ItemEvaluation.objects.filter(org=unit, item__year=year).values_list("item_id", flat=True))  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
    pending_items = [i for i in ListItem.rows_in_force(year).filter(kind__in=(ListKind.BASIC, ListKind.MANDATED))
                     if i.pk not in evaluated]
    return render(request, "assessment/grade.html", {
        "org": unit, "year": year, "live": live, "published": published, "live_lists": explain(live),
        "published_lists": explain(published), "pending_items": pending_items,
        "may_publish": covers(request.user, "assessment", "change", services.parent_path(unit.path)),
    })


@require_GET
def org_section(request: HttpRequest) -> HttpResponse:
    raw = str(request.GET.get("org", ""))
    unit = get_scoped_or_404(request.user, Organization, "view", pk=int(raw)) if raw.isdigit() else None
    rows = []
    if unit is not None and covers(request.user, "assessment", "view", unit):
        rows = list(GradeResult.objects.filter(org=unit).select_related("level").order_by("-year", "state"))  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
    return render(request, "assessment/org_section.html", {"org": unit, "rows": rows})


def table_rows(request: HttpRequest, year: int, paths: list[str] | None) -> list[grading.Ranked]:
    """The rows of the grade table: each graded organization's published result, else its live
    one, with the percentage caps applied over the rows shown (published rows keep theirs)."""
    q = Q()
    if paths is not None:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(org__path__startswith=p)
    results = list(GradeResult.objects.filter(q, year=year, org__kind__in=grading.GRADED_KINDS)  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
                   .select_related("org", "level", "level_by_total").order_by("org__path", "-state"))
    mandated = dict(ResultLine.objects.filter(result__in=[r.pk for r in results],  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
                                              kind__in=(ListKind.MANDATED, ListKind.ROUTINE))
                    .values("result_id").annotate(s=Sum("points")).values_list("result_id", "s"))
    chosen: dict[int, GradeResult] = {}
    for r in results:  # published sorts first within an organization ("published" > "live")
        chosen.setdefault(r.org_id, r)
    ranked = [grading.Ranked(r, r.total, mandated.get(r.pk) or Decimal(0), r.org.path, r.level, r.why)
              for r in chosen.values()]
    rules = grading.RuleSet.load(year)
    live = [row for row in ranked if row.key.state == ResultState.LIVE]
    if rules is not None:
        grading.apply_caps(live, rules.levels)
    ranks = grading.rank(ranked)
    for row in ranked:
        row.rank = ranks[row.key]
    return sorted(ranked, key=lambda r: r.rank)


@require_GET
def table(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    raw = request.GET.get("org") or ""
    paths, chosen = chosen_subtree(request.user, "assessment", int(raw) if raw.isdigit() and len(raw) < 10 else None)
    rows = table_rows(request, year, paths)
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r.level.name if r.level else "—"] += 1
    return render(request, "assessment/table.html", {
        "year": year, "org": chosen, "rows": rows, "counts": sorted(counts.items()),
        "pending": PendingGrade.objects.filter(year=year).count(),  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
        "publish_form": forms.PublishForm(),
        "may_publish": chosen is not None and covers(request.user, "assessment", "change", chosen)})


@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    raw = request.POST.get("org") or ""
    unit = get_scoped_or_404(request.user, Organization, "view", pk=int(raw) if raw.isdigit() else 0)
    form = forms.PublishForm(request.POST)
    with as_message(request) as failed:
        if not form.is_valid():
            raise RuleError(gettext("Give the meeting or document of the decision."))
        n = services.publish(actor=request.user, org=unit, year=year, decision_ref=form.cleaned_data["decision_ref"])
    if not failed:
        messages.success(request, gettext("%(n)s grades published.") % {"n": n})
    return HttpResponseRedirect(f"{reverse('assessment:table')}?year={year}&org={unit.pk}")


@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    raw = request.POST.get("org") or ""
    unit = get_scoped_or_404(request.user, Organization, "view", pk=int(raw) if raw.isdigit() else 0)
    if not covers(request.user, "assessment", "change", unit):
        return render(request, "assessment/grade.html", {"org": unit, "denied": True}, status=404)
    row = core_jobs.start(jobs.recompute_year, actor=request.user, params={"year": year, "org": unit.pk})
    return HttpResponseRedirect(core_jobs.url(row))


# --- 述职评议 --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee's ballot: one choice per report. Only attendees reach it; the round's
    other pages never show a vote before the close."""
    user_id = request.user.pk if request.user.is_authenticated else 0
    round_ = ReviewRound.objects.filter(pk=pk, attendees__user_id=user_id).first()  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
    if round_ is None:
        return render(request, "assessment/ballot.html", {"denied": True}, status=404)
    from dangjian.assessment.models import ReviewOption

    reports = list(ReviewReport.objects.filter(round=round_).select_related("org", "secretary"))  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
    options = list(ReviewOption.rows_in_force(round_.year).order_by("order"))
    if request.method == "POST":
        raw = {r.pk: request.POST.get(f"report_{r.pk}", "") for r in reports}
        choices = {k: int(v) for k, v in raw.items() if v.isdigit()}
        with as_message(request) as failed:
            services.vote(actor=request.user, round=round_, choices=choices)
        if not failed:
            messages.success(request, gettext("Your ballot is counted. Nothing links it to you."))
            return HttpResponseRedirect(RoundViews.url("detail", round_))
    return render(request, "assessment/ballot.html", {"round": round_, "reports": reports, "options": options})


@require_POST
def add_attendees(request: HttpRequest, pk: int) -> HttpResponse:
    from dangjian.accounts.models import User
    from dangjian.assessment.models import ReviewAttendee

    round_ = get_scoped_or_404(request.user, ReviewRound, "change", pk=pk)
    names = [n.strip() for n in request.POST.get("usernames", "").replace(",", " ").split() if n.strip()]
    with as_message(request):
        if round_.is_closed:
            raise RuleError(gettext("Voting in this round is closed."))
        for user in User.objects.filter(username__in=names, is_active=True):  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
            ReviewAttendee.objects.get_or_create(round=round_, user=user)  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
    return HttpResponseRedirect(RoundViews.url("detail", round_))


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_scoped_or_404(request.user, ReviewRound, "change", pk=pk)
    with as_message(request) as failed:
        services.close_round(actor=request.user, round=round_)
    if not failed:
        messages.success(request, gettext("The vote is closed and counted."))
    return HttpResponseRedirect(RoundViews.url("detail", round_))


@require_POST
def report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_scoped_or_404(request.user, ReviewReport, "change", pk=pk)
    upload = request.FILES.get("file")
    with as_message(request):
        if upload is None:
            raise RuleError(gettext("Choose a file."), field="file")
        attachments.store(ReviewReportFile(report=report), upload, actor=request.user,
                          allowed=attachments.extensions(ALLOWED), max_mb=MAX_MB)
    return HttpResponseRedirect(ReportViews.url("detail", report))


@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    return attachments.serve(request, ReviewReportFile, pk)


# --- 民主评议党员 ----------------------------------------------------------------------------------


@require_POST
def member_grade(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_scoped_or_404(request.user, MemberReview, "change", pk=pk)
    form = forms.GradeForm(request.POST)
    with as_message(request) as failed:
        if not form.is_valid():
            raise RuleError(gettext("Choose a grade and give the decision."))
        services.set_member_grade(actor=request.user, review=review, grade=form.cleaned_data["grade"],
                                  decision_ref=form.cleaned_data["decision_ref"])
    if not failed:
        messages.success(request, gettext("Grade recorded."))
    return HttpResponseRedirect(MemberReviewViews.url("detail", review))


@require_POST
def disposal(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_scoped_or_404(request.user, MemberReview, "change", pk=pk)
    form = forms.DisposalForm(request.POST)
    with as_message(request) as failed:
        if not form.is_valid():
            raise RuleError(gettext("Give the step, the date and the decision."))
        services.record_disposal(actor=request.user, review=review, **form.cleaned_data)
    if not failed:
        messages.success(request, gettext("Decision recorded."))
    return HttpResponseRedirect(MemberReviewViews.url("detail", review))
