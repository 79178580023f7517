"""Democratic life meeting: the opinion form and the published agenda."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.errors import as_message, on_form
from dangjian.core.scoping import get_scoped_or_404
from dangjian.meetings import services
from dangjian.meetings.forms import (
    OpinionForm,
)
from dangjian.meetings.models import (
    Solicitation,
)
from dangjian.meetings.views.screens import SolicitationViews


@require_http_methods(["GET", "POST"])
def opinion_form(request: HttpRequest) -> HttpResponse:
    """The solicitation's form, reached by its link (members and non-member police of the unit)."""
    token = (request.GET.get("t") or "").strip()
    solicitation = (Solicitation.objects.select_related("org").filter(token=token).first()  # scope-ok: the unguessable token is the grant
                    if token else None)
    if solicitation is None:
        raise Http404
    form = OpinionForm(request.POST or None, solicitation=solicitation)
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            services.submit_opinion(user=request.user, solicitation=solicitation,
                                    content=form.cleaned_data["content"], topic=form.cleaned_data["topic"],
                                    anonymous=bool(form.cleaned_data.get("anonymous")))
            return render(request, "meetings/opinion_thanks.html", {"solicitation": solicitation})
    return render(request, "meetings/opinion_form.html", {
        "solicitation": solicitation, "form": form, "is_open": solicitation.is_open(),
    }, status=400 if form.errors else 200)


@require_GET
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The published agenda of a democratic life meeting, for the unit's members."""
    solicitation = get_scoped_or_404(request.user, Solicitation.objects.select_related("org"), "view", pk=pk)  # scope-ok: get_scoped_or_404
    if solicitation.agenda_published_on is None:
        raise Http404
    items = solicitation.agenda_items.order_by("order", "id")  # published: every member of the unit may read it
    return render(request, "meetings/agenda.html", {"solicitation": solicitation, "items": items})


@require_POST
def agenda_publish(request: HttpRequest, pk: int) -> HttpResponse:
    solicitation = get_scoped_or_404(request.user, Solicitation, "change", pk=pk)
    with as_message(request):
        services.publish_agenda(actor=request.user, solicitation=solicitation)
        messages.success(request, gettext("Agenda published to the members."))
    return HttpResponseRedirect(SolicitationViews.url("detail", solicitation))
