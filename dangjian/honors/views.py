"""Honors screens: the generic declarations, revoking a commendation and a unit's pennant
counts per year (shown on the organization's page through the module's declared part)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core.approvals import can_decide, can_withdraw, deciding_path
from dangjian.core.errors import add_to_form
from dangjian.core.excel import Column
from dangjian.core.models import VersionConflict
from dangjian.core.scoping import covers, get_scoped_or_404
from dangjian.core.views import ModelViews
from dangjian.honors import forms, services
from dangjian.honors.filtersets import (
    CeremonyFilterSet,
    CommendationFilterSet,
    CommendationKindFilterSet,
    PennantFilterSet,
)
from dangjian.honors.models import Commendation, CommendationKind, HonorCeremony, Pennant
from dangjian.honors.tables import CeremonyTable, CommendationKindTable, CommendationTable, PennantTable
from dangjian.orgs.models import Organization


class CommendationKindViews(ModelViews):
    model = CommendationKind
    name = "kind"
    namespace = "honors"
    table = CommendationKindTable
    filterset = CommendationKindFilterSet
    form = forms.CommendationKindForm
    actions = ("list", "detail", "add", "edit")  # a rules table: no export right in "config"
    detail_fields = ("year", "code", "name", "nominee", "yearly_cap", "source", "order", "is_active")


class CommendationViews(ModelViews):
    model = Commendation
    name = "commendation"
    namespace = "honors"
    queryset = Commendation.objects.select_related("org", "kind", "member", "nominee_org", "requested_by",
                                                   "decided_by")
    table = CommendationTable
    filterset = CommendationFilterSet
    form = forms.NominationForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_template = "honors/commendation_detail.html"
    detail_fields = ("org", "kind", "nominee_name", "merits", "review_from", "review_until", "status", "requested_by",
                     "decided_by", "decided_on", "decision_ref", "revoked_on", "revoke_reason")
    export_columns = (
        Column(_("nominating organization"), "org__name", 26), Column(_("kind"), "kind__name", 16),
        Column(_("year"), "kind__year", 6), Column(_("nominee"), "nominee_name", 16),
        Column(_("review from"), "review_from", 12), Column(_("review until"), "review_until", 12),
        Column(_("status"), "get_status_display", 10), Column(_("decision (meeting, document)"), "decision_ref", 24),
        Column(_("revoked on"), "revoked_on", 12),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_decide": can_decide(request.user, obj), "can_withdraw": can_withdraw(request.user, obj),
                "can_revoke": obj.is_confirmed and covers(request.user, "honors", "change", deciding_path(obj))}


class CeremonyViews(ModelViews):
    model = HonorCeremony
    name = "ceremony"
    namespace = "honors"
    queryset = HonorCeremony.objects.select_related("org")
    table = CeremonyTable
    filterset = CeremonyFilterSet
    form = forms.CeremonyForm
    detail_fields = ("org", "kind", "held_on", "title", "people_names", "notes")
    export_columns = (Column(_("organization"), "org__name", 26), Column(_("date"), "held_on", 12),
                      Column(_("ceremony"), "get_kind_display", 12), Column(_("title"), "title", 30))


class PennantViews(ModelViews):
    model = Pennant
    name = "pennant"
    namespace = "honors"
    queryset = Pennant.objects.select_related("org")
    table = PennantTable
    filterset = PennantFilterSet
    form = forms.PennantForm
    detail_fields = ("org", "received_on", "from_whom", "case", "inscription", "officer_names", "story")
    export_columns = (Column(_("unit credited"), "org__name", 26), Column(_("received on"), "received_on", 12),
                      Column(_("from"), "from_whom", 16), Column(_("case"), "case", 30),
                      Column(_("inscription"), "inscription", 20), Column(_("story"), "story", 40))


@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(request.user, CommendationViews.get_queryset(request), "view", pk=pk)
    form = forms.RevokeForm(request.POST or None, initial={"version": row.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.revoke(actor=request.user, row=row, reason=form.cleaned_data["reason"])
            except VersionConflict:
                status = 409
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, gettext("Commendation revoked."))
                return HttpResponseRedirect(CommendationViews.url("detail", row))
    return render(request, "honors/revoke.html", {"form": form, "object": row}, status=status)


@require_GET
def pennant_counts(request: HttpRequest) -> HttpResponse:
    """A unit's honors per year: pennants, ceremonies and confirmed commendations (the part
    this module declares for the organization's page; scoped like the lists)."""
    org = get_scoped_or_404(request.user, Organization, "view", pk=request.GET.get("org") or 0) \
        if str(request.GET.get("org", "")).isdigit() else None
    rows: dict[int, dict[str, int]] = {}
    if org is not None:
        def count(qs: Any, field: str, key: str) -> None:
            for r in qs.annotate(y=ExtractYear(field)).order_by().values("y").annotate(n=Count("id")):
                rows.setdefault(r["y"], {"pennants": 0, "ceremonies": 0, "commendations": 0})[key] = r["n"]

        count(PennantViews.scoped(request, "view").filter(org=org), "received_on", "pennants")
        count(CeremonyViews.scoped(request, "view").filter(org=org), "held_on", "ceremonies")
        count(CommendationViews.scoped(request, "view").filter(org=org, status="approved", revoked_on__isnull=True),
              "decided_on", "commendations")
    return render(request, "honors/unit_counts.html", {"org": org, "rows": sorted(rows.items(), reverse=True)})
