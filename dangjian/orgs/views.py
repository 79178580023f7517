"""Organization screens: the generic declarations, the tree browser, move, terms, warnings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core import audit
from dangjian.core.excel import Column, xlsx_response
from dangjian.core.scoping import OutOfScope, get_scoped_or_404
from dangjian.core.views import ModelViews, Related, can
from dangjian.orgs import rules, services
from dangjian.orgs.filtersets import OrganizationFilterSet, TermFilterSet
from dangjian.orgs.forms import MoveForm, OrganizationForm, TermForm
from dangjian.orgs.imports import OrganizationImporter
from dangjian.orgs.models import Organization, OrganizationTerm
from dangjian.orgs.tables import OrganizationTable, TermTable


def with_parent_name(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    parent = Organization.objects.filter(  # scope-ok: only the parent's name, for rows scoped by the caller
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("name")[:1]
    return qs.annotate(parent_name=Subquery(parent))


class OrganizationViews(ModelViews):
    model = Organization
    name = "organization"
    namespace = "orgs"
    table = OrganizationTable
    filterset = OrganizationFilterSet
    form = OrganizationForm
    importer = OrganizationImporter
    detail_template = "orgs/organization_detail.html"
    detail_fields = ("name", "short_name", "code", "kind", "unit", "founded_on", "is_active")
    export_columns = (
        Column("组织名称", "name", 30), Column("简称", "short_name"), Column("组织代码", "code"),
        Column("组织类别", "get_kind_display"), Column("所在单位", "unit__name", 20),
        Column("上级组织", "parent_name", 30), Column("成立日期", "founded_on"), Column("层级", "depth", 6),
    )
    related = (
        Related(_("Sub-organizations"), "orgs:organization_list", "parent"),
        Related(_("Members of this organization"), "members:member_list", "org"),
        Related(_("Committee posts"), "members:post_list", "org"),
        Related(_("Terms of office"), "orgs:term_list", "org"),
    )

    @classmethod
    def get_queryset(cls, request: HttpRequest) -> QuerySet[Organization]:
        return with_parent_name(Organization.objects.select_related("unit"))  # scope-ok: scoped by ModelViews

    @classmethod
    def related_for(cls, obj: Any) -> tuple[Related, ...]:
        """The organization's own lists, then the sections other modules declare (``org_page``)."""
        from dangjian.core.modules import org_page_sections

        return (*cls.related, *org_page_sections())


class TermViews(ModelViews):
    model = OrganizationTerm
    name = "term"
    namespace = "orgs"
    queryset = OrganizationTerm.objects.select_related("org")
    table = TermTable
    filterset = TermFilterSet
    form = TermForm
    detail_fields = ("org", "number", "started_on", "ends_on", "usual_end", "extended_to", "extension_reason",
                     "closed_on")
    export_columns = (
        Column("组织", "org__name", 30), Column("届次", "number", 6), Column("任期开始", "started_on"),
        Column("任期届满", "ends_on"), Column("延期至", "extended_to"), Column("换届日期", "closed_on"),
        Column(pgettext_lazy("term state", "State"), lambda term: term_state(term, timezone.localdate()), 10),
    )


@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    """The tree browser: the user's top organizations with their member counts, children loaded
    on demand (htmx); a search (name or pinyin initials) opens the path to every hit."""
    visible = Organization.objects.visible_to(request.user, "view")
    roots = list(with_parent_name(rules.visible_roots(request.user).select_related("unit")))
    query = request.GET.get("q", "").strip()[:50]
    hits = rules.search(visible, query) if query else []
    rules.opened_tree(visible, roots, hits)
    labels = Organization.choice_labels(hits)
    for hit in hits:
        hit.tree_label = labels[hit.pk]  # type: ignore[attr-defined]
    return render(request, "orgs/tree.html", {"nodes": roots, "query": query, "hits": hits})


@require_GET
def tree_children(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_scoped_or_404(request.user, Organization, "view", pk=pk)
    children = (
        Organization.objects.visible_to(request.user, "view")
        .filter(path__startswith=parent.path, depth=parent.depth + 1)
        .select_related("unit")
    )
    nodes = rules.with_member_totals(Organization.objects.visible_to(request.user, "view"), list(children))
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes})


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_scoped_or_404(request.user, Organization, "change", pk=pk)
    form = MoveForm(request.POST or None, user=request.user, node=node)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_subtree(actor=request.user, node=node, target=form.cleaned_data["target"])
        except OutOfScope:
            form.add_error(None, gettext("You may not move an organization outside your organizations."))
        except ValidationError as exc:  # the tree changed meanwhile: the placement no longer fits
            form.add_error(None, exc)
        else:
            messages.success(request, gettext("Moved %(org)s.") % {"org": node})
            return HttpResponseRedirect(OrganizationViews.url("detail", node))
    return render(request, "orgs/move.html", {"form": form, "object": node}, status=400 if form.errors else 200)


def term_state(term: OrganizationTerm, today: Any) -> str:
    """换届提醒's state of an open term: over, or ending within the warning window."""
    if term.closed_on:
        return pgettext("term state", "Term changed")
    return pgettext("term state", "Overdue") if term.effective_end < today else pgettext("term state", "Due soon")


@require_GET
def expiring_terms(request: HttpRequest) -> HttpResponse:
    """Terms ending within the warning window (换届提醒), for the user's organizations. Its Excel
    is the terms export filtered to these rows (``?expiring=true``): the same file, audit and
    large-export confirmation as every list."""
    today = timezone.localdate()
    orgs = Organization.objects.visible_to(request.user, "view")
    terms = rules.expiring_terms(orgs, today).annotate(end=F("ends_on"))
    return render(request, "orgs/expiring_terms.html", {
        "terms": terms, "today": today, "rules": rules.OrgRules.for_year(today.year),
        "can_export": can(request.user, OrganizationTerm, "export")})


@require_GET
def structure_warnings(request: HttpRequest) -> HttpResponseBase:
    """组织设置预警 for the user's branches; ``?format=xlsx`` is the same rows as Excel (audited).
    One row per warning of a branch in scope: bounded by the branches, so written within the
    request like the page itself."""
    today = timezone.localdate()
    orgs = Organization.objects.visible_to(request.user, "view")
    warnings: list[Any] = rules.structure_warnings(orgs, today.year)
    exportable = can(request.user, Organization, "export")
    if request.GET.get("format") == "xlsx":
        if not exportable:
            raise Http404
        return _warnings_xlsx(request, warnings, today)
    return render(request, "orgs/structure_warnings.html", {"warnings": warnings, "can_export": exportable})


def _warnings_xlsx(request: HttpRequest, warnings: list[Any], today: Any) -> HttpResponseBase:
    labels = Organization.choice_labels([w.org for w in warnings])
    columns = [
        Column(gettext("Organization"), lambda w: labels.get(w.org.pk, w.org.name), 40),
        Column(gettext("Full members"), lambda w: w.full_members, 10),
        Column(gettext("Warning"), lambda w: w.message, 50),
    ]
    title = gettext("Structure warnings")
    response, count = xlsx_response(f"structure-warnings-{today:%Y%m%d}.xlsx", title, columns, warnings)
    with transaction.atomic():
        audit.record("export", object_type="orgs.structure_warnings", object_repr=title,
                     changes={"rows": count, "filters": {}})
    return response
