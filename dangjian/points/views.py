"""The points screens beyond the generic ones: my points, a member's explanation, the ranking,
scoring, the governed flow's buttons, publication and violation scoring."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core import attachments
from dangjian.core.documents import docx_response
from dangjian.core.errors import as_message, on_form
from dangjian.core.periods import year_from_query
from dangjian.core.scoping import chosen_subtree, covers, get_scoped_or_404, scope_for
from dangjian.members.models import Member
from dangjian.points import forms, rules, services, violations
from dangjian.points.choices import EntryStatus, ObjectionOutcome
from dangjian.points.models import (
    EntryAttachment,
    Objection,
    PointEntry,
    PointScheme,
    Publication,
    ViolationProposal,
    ViolationRecord,
)

RANK_PAGE = 100


def _year(request: HttpRequest) -> int:
    return year_from_query(request.GET.get("year"), timezone.localdate().year)


def _require(request: HttpRequest, area: str = "points", action: str = "view") -> None:
    if scope_for(request.user, area, action).is_empty:
        raise Http404


def _form_page(request: HttpRequest, form: Any, *, title: Any, submit: Any, intro: Any = "",
               status: int = 200, multipart: bool = False) -> HttpResponse:
    return render(request, "points/form.html", {"form": form, "title": title, "submit": submit, "intro": intro,
                                                "multipart": multipart}, status=400 if form.errors else status)


# --- reading ---------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The secretary's month: what waits for whom."""
    _require(request, "points", "change")
    entries = PointEntry.objects.visible_to(request.user, "change")
    waiting = dict(entries.filter(status__in=EntryStatus.pending()).values_list("status").annotate(n=Count("id")))
    objections = Objection.objects.visible_to(request.user, "change").filter(outcome=ObjectionOutcome.OPEN).count()
    publications = Publication.objects.visible_to(request.user, "view").select_related("org")[:12]
    return render(request, "points/index.html", {
        "waiting": [(label, waiting.get(code, 0), code) for code, label in EntryStatus.choices
                    if code in EntryStatus.pending()],
        "objections": objections, "publications": publications,
    })


def _explanation_page(request: HttpRequest, member: Member, *, mine: bool) -> HttpResponse:
    year = _year(request)
    explanation = rules.explain(member, year, PointEntry.objects.visible_to(request.user, "view"))
    scheme = explanation.balance.scheme if explanation.balance else PointScheme.in_force(year)
    settings = services.settings_for(member.org)
    show_rank = not mine or (settings is not None and settings.rankings_public)
    rank = None
    if show_rank and explanation.balance is not None:
        paths = [member.org.path]
        rank = rules.rank_of(explanation.balance, paths)
    return render(request, "points/explain.html", {
        "member": member, "year": year, "x": explanation, "scheme": scheme, "mine": mine, "rank": rank,
        "stars": scheme.star_level(explanation.total) if scheme else 0,
        "quota": settings.daily_quota if settings else None,
    })


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A member's own year: every entry with its reason and evidence; the sum is the balance."""
    member_id = getattr(request.user, "member_id", None)
    if not member_id:
        raise Http404
    member = get_scoped_or_404(request.user, Member.objects.select_related("org"), "view", pk=member_id)  # scope-ok: get_scoped_or_404
    return _explanation_page(request, member, mine=True)


@require_GET
def member_points(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer's view of one member's explanation."""
    _require(request)
    members = Member.objects.select_related("org")  # scope-ok: get_scoped_or_404 below
    member = get_scoped_or_404(request.user, members, "view", pk=pk)
    own = getattr(request.user, "member_id", None) == member.pk
    if not own and not covers(request.user, "points", "view", member.org):
        raise Http404
    return _explanation_page(request, member, mine=own)


def _ranking_scope(request: HttpRequest) -> tuple[int, Any, list[str] | None]:
    _require(request, "points", "change")
    raw = request.GET.get("org", "")
    paths, org = chosen_subtree(request.user, "points", int(raw) if raw.isdigit() and len(raw) < 10 else None)
    return _year(request), org, paths


def _ranking_rows(request: HttpRequest) -> tuple[int, Any, Any]:
    year, org, paths = _ranking_scope(request)
    return year, org, rules.ranking(year, paths)


@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """Ranks within a subtree (officers; ties share a rank), stars and branch averages."""
    year, org, paths = _ranking_scope(request)
    raw_page = request.GET.get("page", "")
    page = min(max(1, int(raw_page) if raw_page.isdigit() and len(raw_page) < 7 else 1), 100_000)
    shown = rules.ranking_page(year, paths, (page - 1) * RANK_PAGE, RANK_PAGE)
    scheme = PointScheme.in_force(year)
    for row in shown:
        row.stars = scheme.star_level(row.score) if scheme else 0
        row.percentile = round(row.below * 100)
    return render(request, "points/ranking.html", {
        "year": year, "org": org, "rows": shown, "page": page, "next_page": page + 1 if len(shown) == RANK_PAGE else None,
        "averages": rules.branch_averages(year, paths)[:50], "offset": (page - 1) * RANK_PAGE,
        # one reverse for the page, not one per row: /points/members/<id>/
        "member_prefix": reverse("points:member_points", args=[1]).removesuffix("1/"),
    })


@require_GET
def ranking_xlsx(request: HttpRequest) -> FileResponse:
    from dangjian.points.documents import ranking_xlsx

    year, org, rows = _ranking_rows(request)
    return ranking_xlsx(year, org, rows.iterator(chunk_size=2000))


# --- scoring and the governed flow ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def award(request: HttpRequest) -> HttpResponse:
    """A scorer records a manual award or deduction; the member confirms next."""
    _require(request, "points", "add")
    form = forms.AwardForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [data["file"]] if data.get("file") else []
        with on_form(form):
            entry = services.record(actor=request.user, member=data["member"], rule=data["rule"], day=data["day"],
                                    note=data["note"], uploads=uploads)
        if not form.errors:
            messages.success(request, gettext("Recorded: waiting for the member's confirmation."))
            return redirect(entry.get_absolute_url())
    return _form_page(request, form, title=gettext("Record points"), submit=gettext("Record"), multipart=True,
                      intro=gettext("The member confirms, the branch approves and publishes; only then the points count."))


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """A member claims an item with its evidence; the branch approves it."""
    member_id = getattr(request.user, "member_id", None)
    if not member_id:
        raise Http404
    member = get_scoped_or_404(request.user, Member.objects.select_related("org"), "view", pk=member_id)  # scope-ok: get_scoped_or_404
    form = forms.AwardForm(request.POST or None, request.FILES or None, user=request.user, claim=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with on_form(form):
            entry = services.record(actor=request.user, member=member, rule=data["rule"], day=data["day"],
                                    note=data["note"], uploads=[data["file"]])
        if not form.errors:
            messages.success(request, gettext("Claim submitted: your branch will review it."))
            return redirect(entry.get_absolute_url())
    return _form_page(request, form, title=gettext("Claim points"), submit=gettext("Submit"), multipart=True,
                      intro=gettext("Attach the certificate, article or photo that proves the item."))


def _entry(request: HttpRequest, pk: int) -> PointEntry:
    return get_scoped_or_404(request.user, PointEntry.objects.select_related("member__org", "org", "rule__category",  # scope-ok: get_scoped_or_404
                                                                           "publication"), "view", pk=pk)


@require_POST
def entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The buttons of an entry's page: confirm, dispute, approve, reject, reverse, object."""
    entry = _entry(request, pk)
    note = request.POST.get("note", "")
    done = {
        "confirm": gettext("Confirmed."), "dispute": gettext("Disputed: the entry does not count."),
        "approve": gettext("Approved: it will be in the next publication."), "reject": gettext("Rejected."),
        "reverse": gettext("Reversed: a correcting entry was added."),
        "object": gettext("Objection submitted: the branch will answer."),
    }
    if action not in done:
        raise Http404
    with as_message(request) as failed:
        if action in ("confirm", "dispute"):
            services.confirm(actor=request.user, entry=entry, accept=action == "confirm", note=note)
        elif action in ("approve", "reject"):
            services.approve(actor=request.user, entry=entry, accept=action == "approve", note=note)
        elif action == "reverse":
            services.reverse(actor=request.user, entry=entry, reason=note)
        else:
            services.object_to(actor=request.user, entry=entry, reason=note)
    if not failed:
        messages.success(request, done[action])
    return redirect(entry.get_absolute_url())


@require_POST
def entry_attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, gettext("Choose a file."))
        return redirect(entry.get_absolute_url())
    with as_message(request) as failed:
        services.add_evidence(actor=request.user, entry=entry, upload=upload)
    if not failed:
        messages.success(request, gettext("Attachment uploaded."))
    return redirect(entry.get_absolute_url())


@require_GET
def entry_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    return attachments.serve(request, EntryAttachment, pk)


# --- publication and objections -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    _require(request, "points", "change")
    form = forms.PublishForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            publication = services.publish(actor=request.user, org=form.cleaned_data["org"],
                                           month=form.cleaned_data["month"])
        if not form.errors:
            messages.success(request, gettext("Published: objections are open until %(date)s.")
                             % {"date": f"{publication.window_ends_on:%Y-%m-%d}"})
            return redirect(publication.get_absolute_url())
    return _form_page(request, form, title=gettext("Publish a month's points"), submit=gettext("Publish"),
                      intro=gettext("Approved entries enter the objection window; they count when it closes."))


@require_POST
def publication_close(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_scoped_or_404(request.user, Publication, "change", pk=pk)
    with as_message(request) as failed:
        n = services.close(actor=request.user, publication=publication)
    if not failed:
        messages.success(request, gettext("Closed: %(n)s entries became final.") % {"n": n})
    return redirect(publication.get_absolute_url())


def _publication_rows(request: HttpRequest, pk: int) -> tuple[Publication, list[PointEntry]]:
    publication = get_scoped_or_404(request.user, Publication.objects.select_related("org"), "view", pk=pk)  # scope-ok: get_scoped_or_404
    rows = list(PointEntry.objects.visible_to(request.user, "view").filter(publication=publication)
                .select_related("member", "rule").order_by("member__name", "month", "id"))
    return publication, rows


@require_GET
def publication_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    from dangjian.points.documents import publication_xlsx as workbook

    publication, rows = _publication_rows(request, pk)
    return workbook(publication, rows)


@require_GET
def publication_docx(request: HttpRequest, pk: int) -> FileResponse:
    from dangjian.points.documents import publication_document

    publication, rows = _publication_rows(request, pk)
    return docx_response(f"points-publication-{publication.month:%Y-%m}.docx",
                         publication_document(publication, rows))


@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_scoped_or_404(request.user, Objection.objects.select_related("entry__org"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    upheld = request.POST.get("outcome") == ObjectionOutcome.UPHELD
    with as_message(request) as failed:
        services.answer(actor=request.user, objection=objection, upheld=upheld, text=request.POST.get("answer", ""))
    if not failed:
        messages.success(request, gettext("Answered."))
    return redirect(objection.get_absolute_url())


@require_http_methods(["GET", "POST"])
def copy_catalog(request: HttpRequest) -> HttpResponse:
    _require(request, "config", "add")
    form = forms.CopyCatalogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            n = services.copy_catalog(actor=request.user, year=form.cleaned_data["year"])
        if not form.errors:
            messages.success(request, gettext("Catalog opened: %(n)s rows copied.") % {"n": n})
            return redirect("points:rule_list")
    return _form_page(request, form, title=gettext("Open next year's catalog"), submit=gettext("Copy"),
                      intro=gettext("Copies the latest year's scheme, categories, rules and violation kinds. "
                                    "Earlier years keep their own rows."))


# --- violation scoring -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def violation_add(request: HttpRequest) -> HttpResponse:
    _require(request, "discipline", "add")
    form = forms.ViolationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with on_form(form):
            row = violations.record(actor=request.user, member=d["member"], kind=d["kind"],
                                    occurred_on=d["occurred_on"], description=d["description"], evidence=d["evidence"])
        if not form.errors:
            messages.success(request, gettext("Recorded: another officer confirms it."))
            return redirect(row.get_absolute_url())
    return _form_page(request, form, title=gettext("Record a violation"), submit=gettext("Record"))


@require_POST
def violation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    row = get_scoped_or_404(request.user, ViolationRecord.objects.select_related("org", "member"), "view", pk=pk)  # scope-ok: get_scoped_or_404
    text = request.POST.get("note", "")
    with as_message(request) as failed:
        if action in ("confirm", "reject"):
            violations.confirm(actor=request.user, record=row, accept=action == "confirm")
        elif action == "appeal":
            violations.appeal(actor=request.user, record=row, reason=text)
        elif action in ("uphold", "dismiss"):
            violations.decide_appeal(actor=request.user, record=row, upheld=action == "uphold", decision=text)
        else:
            raise Http404
    if not failed:
        messages.success(request, gettext("Saved."))
    # the member portal's appeal form sends its own page back (a path on this site only)
    back = request.POST.get("next") or ""
    if action == "appeal" and back.startswith("/") and \
            url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)
    return redirect(row.get_absolute_url())


@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_scoped_or_404(request.user, ViolationProposal.objects.select_related("org"), "view", pk=pk)  # scope-ok: get_scoped_or_404
    with as_message(request) as failed:
        violations.decide_proposal(actor=request.user, proposal=proposal, decision=request.POST.get("decision", ""))
    if not failed:
        messages.success(request, gettext("Decision recorded."))
    return redirect(proposal.get_absolute_url())
