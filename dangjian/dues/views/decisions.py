"""Decisions taken on one row: voiding a payment entered by mistake (a service call; a refused
rule shows on the form). Approving a relief, a spending or a budget is the core approvals
facility's screen (dangjian.core.approvals.DecisionView, wired in dues/urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from dangjian.core.errors import on_form
from dangjian.core.scoping import get_scoped_or_404
from dangjian.dues import forms, services
from dangjian.dues.models import DuesPayment
from dangjian.dues.views.helpers import render_form


@require_http_methods(["GET", "POST"])
def payment_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a payment entered by mistake (before its month is closed or remitted), with a reason."""
    payment = get_scoped_or_404(request.user, DuesPayment.objects.select_related("org"),  # scope-ok: scoped
                                "delete", pk=pk)
    form = forms.VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            services.void_payment(actor=request.user, payment=payment, reason=form.cleaned_data["reason"])
            messages.success(request, gettext("Payment voided: %(obj)s") % {"obj": payment})
            return HttpResponseRedirect(reverse("dues:payment_list"))
    return render_form(request, form, title=gettext("Void a payment: %(obj)s") % {"obj": payment}, submit=gettext("Void"),
                        intro=gettext("Only for a payment entered by mistake, before its month's statement is closed "
                                "and the money remitted. The payment and its allocations are removed; the audit "
                                "log keeps them with your reason."), status=400 if form.errors else 200)
