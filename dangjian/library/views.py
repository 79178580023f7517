"""Screens of the rules library and of the record-quality flags."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.core import jobs
from dangjian.core.errors import as_message, on_form
from dangjian.core.excel import Column
from dangjian.core.scoping import get_scoped_or_404
from dangjian.core.views import ModelViews, can
from dangjian.library import answer as answering
from dangjian.library import forms, services
from dangjian.library import jobs as library_jobs
from dangjian.library.filtersets import QualityFlagFilterSet
from dangjian.library.models import Article, Citation, Document, QualityFlag, QualityRule, Version
from dangjian.library.search import highlight, versions_in_force
from dangjian.library.tables import DocumentTable, QualityFlagTable, QualityRuleTable
from dangjian.library.text import EXAMPLES, query_terms


def _library_reader(request: HttpRequest) -> None:
    if not can(request.user, Document, "view"):
        raise Http404


def ask(request: HttpRequest) -> HttpResponse:
    """The search box: a question in plain Chinese, answered with quoted, cited articles."""
    _library_reader(request)
    form = forms.AskForm(request.GET or None)
    result = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        result = answering.answer(form.cleaned_data["q"])
    words = query_terms(result.question) if result else []
    hits = [(h, highlight(h.article.text, words)) for h in result.hits] if result else []
    return render(request, "library/ask.html", {
        "form": form, "result": result, "hits": hits,
        "can_upload": can(request.user, Version, "add"), "examples": EXAMPLES,
    })


def article(request: HttpRequest, pk: int) -> HttpResponse:
    """The permanent page of one article of one version."""
    row = get_scoped_or_404(request.user, Article.objects.select_related("edition__document"), "view", pk=pk)  # scope-ok: get_scoped_or_404
    version = row.edition
    in_force = versions_in_force().get(version.document_id) == version.pk
    words = query_terms(request.GET.get("q", ""))[:20] if request.GET.get("q") else []
    newer = None
    if not in_force:
        current_pk = versions_in_force().get(version.document_id)
        current = Version.objects.visible_to(request.user, "view").filter(pk=current_pk).first() if current_pk else None
        newer = Article.objects.visible_to(request.user, "view").filter(edition=current, number=row.number).first() if current else None
    citations = Citation.objects.visible_to(request.user, "view").filter(article=row)
    return render(request, "library/article.html", {
        "article": row, "version": version, "document": version.document, "in_force": in_force,
        "text": highlight(row.text, words), "newer": newer, "citations": citations,
        "siblings": Article.objects.visible_to(request.user, "view").filter(edition=version).only("pk", "label", "number").order_by("number"),
    })


def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_scoped_or_404(request.user, Document, "view", pk=pk)
    versions = list(doc.versions.order_by("-effective_from"))
    current_id = versions_in_force().get(doc.pk)
    chosen_id = request.GET.get("version")
    chosen = next((v for v in versions if str(v.pk) == chosen_id), None) or \
        next((v for v in versions if v.pk == current_id), None)
    articles = list(chosen.articles.order_by("number")) if chosen else []
    return render(request, "library/document.html", {
        "document": doc, "versions": versions, "chosen": chosen, "current_id": current_id, "articles": articles,
    })


def cite(request: HttpRequest) -> HttpResponse:
    """The article a rule row of the platform cites (its row's citation, else its table's):
    ``?rule=dues.duesband&id=5`` — the link a page that applies a rule shows beside it."""
    _library_reader(request)
    rule_model = request.GET.get("rule", "")[:60]
    try:
        object_id = int(request.GET.get("id", ""))
    except ValueError:
        object_id = None
    found = answering.cited_article(rule_model, object_id) if rule_model else None
    if found is None:
        raise Http404
    return HttpResponseRedirect(found.get_absolute_url())


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Version, "add"):
        raise Http404
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload_file = data["file"]
        with on_form(form):
            result = services.import_version(
                actor=request.user, document=data["document"], code=data["code"], title=data["title"],
                label=data["label"], effective_from=data["effective_from"], file_name=upload_file.name,
                data=upload_file.read(), source=data["source"])
            messages.success(request, gettext("%(n)d articles in %(c)d chapters imported.") % {
                "n": result.articles, "c": result.chapters})
            return HttpResponseRedirect(reverse("library:document", args=[result.version.document_id])
                                        + f"?version={result.version.pk}")
    return render(request, "library/upload.html", {"form": form}, status=400 if form.errors else 200)


class DocumentViews(ModelViews):
    model = Document
    name = "document"
    namespace = "library"
    table = DocumentTable
    actions = ("list",)


class QualityRuleViews(ModelViews):
    model = QualityRule
    name = "rule"
    namespace = "library"
    queryset = QualityRule.objects.select_related("kind")
    table = QualityRuleTable
    form = forms.QualityRuleForm
    actions = ("list", "detail", "add", "edit")  # superseded by next year's rows, never deleted
    detail_fields = ("year", "kind", "enabled", "duplicate_threshold", "min_minutes_chars", "require_resolution",
                     "resolution_words", "boilerplate_words", "require_attendance", "topic_repeat", "late_days",
                     "source")


class QualityFlagViews(ModelViews):
    model = QualityFlag
    name = "flag"
    namespace = "library"
    queryset = QualityFlag.objects.select_related("org", "meeting__kind", "matched__org", "rule")
    table = QualityFlagTable
    filterset = QualityFlagFilterSet
    actions = ("list", "detail", "export")
    detail_template = "library/flag_detail.html"
    export_columns = (
        Column(_("organization"), "org__name", 28), Column(_("record"), "meeting__topic", 30),
        Column(_("held on"), "meeting__starts_at", 16), Column(_("check"), "reason", 20),
        Column(_("similarity"), "similarity", 10), Column(_("matching record"), "matched__topic", 30),
        Column(_("status"), "status", 10),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from dangjian.meetings.models import Meeting

        matched = None
        if obj.matched_id:
            # the matching record is evidence: shown in full only within the reviewer's meetings scope
            matched = Meeting.objects.visible_to(request.user, "view").filter(pk=obj.matched_id)\
                .select_related("org", "kind").first()
        return {"flag": obj, "matched_visible": matched, "form": forms.DecideForm(),
                "can_decide": can(request.user, QualityFlag, "change") and obj.status == "open",
                "citation": answering.cited_article("meetings.meetingkind", obj.meeting.kind_id)}


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_scoped_or_404(request.user, QualityFlag, "change", pk=pk)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        with as_message(request) as failed:
            services.decide_flag(actor=request.user, flag=flag, status=form.cleaned_data["status"],
                                 note=form.cleaned_data["note"])
        if not failed:
            messages.success(request, gettext("Decision recorded."))
    else:
        messages.error(request, gettext("Choose a decision."))
    return HttpResponseRedirect(reverse("library:flag_detail", args=[flag.pk]))


@require_http_methods(["GET", "POST"])
def run_checks(request: HttpRequest) -> HttpResponse:
    """Start the record-quality checks of a period as a background job."""
    if not can(request.user, QualityFlag, "change"):
        raise Http404
    today = timezone.localdate()
    form = forms.CheckForm(request.POST or None, initial={"start": today.replace(month=1, day=1), "end": today})
    if request.method == "POST" and form.is_valid():
        row = jobs.start(library_jobs.check_records, actor=request.user, params={
            "start": form.cleaned_data["start"].isoformat(), "end": form.cleaned_data["end"].isoformat()})
        return HttpResponseRedirect(jobs.url(row))
    return render(request, "library/run_checks.html", {"form": form}, status=400 if form.errors else 200)
