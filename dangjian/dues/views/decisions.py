"""Decisions taken on one row: approving a hardship relief, a spending or a budget, and
voiding a payment entered by mistake. Each is a service call; a refused rule shows on the form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from dangjian.core.errors import on_form
from dangjian.core.scoping import get_scoped_or_404
from dangjian.dues import forms, services
from dangjian.dues.models import DuesBudget, DuesPayment, DuesSpending, HardshipRelief
from dangjian.dues.views import declarations
from dangjian.dues.views.helpers import render_form


@require_http_methods(["GET", "POST"])
def relief_decide(request: HttpRequest, pk: int) -> HttpResponse:
    relief = get_scoped_or_404(request.user, HardshipRelief.objects.select_related("member__org"),  # scope-ok: scoped
                               "view", pk=pk)
    form = forms.DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            services.decide_relief(actor=request.user, relief=relief, approve=form.cleaned_data["approve"],
                                   approval_ref=form.cleaned_data["reference"],
                                   decided_on=form.cleaned_data["decided_on"])
            messages.success(request, gettext("Decision recorded."))
            return HttpResponseRedirect(declarations.ReliefViews.url("detail", relief))
    return render_form(request, form, title=gettext("Approve a hardship relief: %(obj)s") % {"obj": relief},
                        submit=gettext("Record the decision"), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def spending_decide(request: HttpRequest, pk: int) -> HttpResponse:
    spending = get_scoped_or_404(request.user, DuesSpending.objects.select_related("org"),  # scope-ok: scoped
                                 "change", pk=pk)
    form = forms.DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            services.decide_spending(actor=request.user, spending=spending, approve=form.cleaned_data["approve"],
                                     decision_ref=form.cleaned_data["reference"],
                                     decided_on=form.cleaned_data["decided_on"])
            messages.success(request, gettext("Decision recorded."))
            return HttpResponseRedirect(declarations.SpendingViews.url("detail", spending))
    return render_form(request, form, title=gettext("Approve spending: %(obj)s") % {"obj": spending},
                        submit=gettext("Record the decision"), status=400 if form.errors else 200)


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


@require_http_methods(["GET", "POST"])
def budget_approve(request: HttpRequest, pk: int) -> HttpResponse:
    budget = get_scoped_or_404(request.user, DuesBudget, "change", pk=pk)
    form = forms.BudgetApprovalForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            services.approve_budget(actor=request.user, budget=budget, approved_on=form.cleaned_data["decided_on"],
                                    approval_ref=form.cleaned_data["reference"])
            messages.success(request, gettext("Budget approved."))
            return HttpResponseRedirect(declarations.BudgetViews.url("detail", budget))
    return render_form(request, form, title=gettext("Approve the budget: %(obj)s") % {"obj": budget},
                        submit=gettext("Approve"), status=400 if form.errors else 200)
