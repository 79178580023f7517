"""Approvals decided by the level above, never by the requester.

A request that waits for a decision (a dues relief, a spending, a budget; later a filing, a
grading) is a model deriving from :class:`ApprovalBase`. The facility gives it:

- the fields every such request shares: ``status`` (pending, approved, rejected, withdrawn),
  ``requested_by``, ``decided_by``, ``decided_on`` and ``decision_ref`` (the opinion: the
  meeting or document where the decision was taken);
- the one rule, in :func:`decide`: the decider holds the model's ``approval_action`` grant in
  its ``scope_area`` on the organization **one level above** the requesting one (at the
  installation's root, which has nobody above it in the system, on the root itself), is not
  the person who made the request, decides a request only once and names the decision's
  reference; checked again under a row lock and the row's version, audited (``approve`` /
  ``reject``), refused with :class:`~dangjian.core.errors.RuleError`;
- :func:`withdraw` for the requester (or whoever may change the requesting organization);
- one decision screen, :class:`DecisionView` (approve or reject with the opinion and date,
  version-checked: a stale page is the conflict page, 409), and :class:`WithdrawView`;
- :func:`can_decide` and :func:`can_withdraw` for a detail page's buttons (the template
  ``core/_approval_withdraw.html`` is the withdraw button).

A module declares the model, the path to the requesting organization when it is not the
scope path, its own rule on top (``check_decision``: the care fund may not be overdrawn) and
what an approval changes (``after_decision``: a relief re-bills its months)::

    class DuesSpending(ApprovalBase):
        scope_area = "dues"; scope_path = "org"
        approval_self_message = _("Spending cannot be approved by the person who requested it.")

        def check_decision(self, *, approve): ...

    # urls.py
    path("spending/<int:pk>/decide/", DecisionView.as_view(views=SpendingViews,
         title=_("Approve spending: %(obj)s")), name="spending_decide"),

and tests it with ``dangjian.core.testing.facilities.ApprovalSuite`` (the meta-test fails
for a model on the facility without one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View

from dangjian.core import audit, stepup
from dangjian.core.errors import RuleError, on_form, text
from dangjian.core.models import ScopedModel, VersionConflict
from dangjian.core.scoping import covers, get_scoped_or_404


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")


class ApprovalBase(ScopedModel):
    """A request awaiting the decision of the level above. Subclasses set ``scope_area`` and
    ``scope_path`` like any scoped model; they may redeclare a field to give it their own
    label (``decision_ref = models.CharField(_("approval (document number)"), ...)``)."""

    #: ORM path to the requesting organization (default: ``scope_path``)
    approval_org_path: ClassVar[str | None] = None
    #: the grant the decider needs on the level above, in the model's ``scope_area``
    approval_action: ClassVar[str] = "change"
    #: deciding it moves money (dues budgets and spending, relief, care-fund visits): the decider
    #: re-authenticates first (SESS-02, core/stepup.py)
    approval_moves_money: ClassVar[bool] = False
    #: the sentences of the rule; a module may word them for its request
    approval_level_message: ClassVar[Any] = _("This request must be decided by the organization one level up.")
    approval_self_message: ClassVar[Any] = _("A request cannot be decided by the person who made it.")
    approval_decided_message: ClassVar[Any] = _("This request has already been decided.")
    approval_reference_message: ClassVar[Any] = _("Give the meeting or document where the decision was taken.")

    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_ref = models.CharField(_("decision (meeting, document)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING

    def requesting_org(self) -> Any:
        """The organization that made the request."""
        path = self.approval_org_path if self.approval_org_path is not None else self.scope_path
        obj: Any = self
        for part in (path or "").split("__"):
            if part:
                obj = getattr(obj, part)
        return obj

    def check_decision(self, *, approve: bool) -> None:
        """The module's own rule on top of the facility's (raise ``RuleError``); runs under the lock."""

    def after_decision(self, *, actor: Any, approve: bool) -> None:
        """What the decision changes besides the row (in the same transaction)."""


def deciding_path(row: ApprovalBase) -> str:
    """The path of the organization whose grant decides ``row``: the level above the
    requesting organization, or the root itself at the top of the installation."""
    org = row.requesting_org()
    steplen = int(type(org).steplen)
    return org.path[:-steplen] if len(org.path) > steplen else org.path


def refusal(actor: Any, row: ApprovalBase) -> Any:
    """Why ``actor`` may not decide ``row`` now (a sentence), or ``None``."""
    if row.status != ApprovalStatus.PENDING:
        return row.approval_decided_message
    if not covers(actor, str(row.scope_area), row.approval_action, deciding_path(row)):
        return row.approval_level_message
    if row.requested_by_id is not None and row.requested_by_id == getattr(actor, "pk", None):
        return row.approval_self_message
    return None


def can_decide(user: Any, row: ApprovalBase) -> bool:
    """Whether the decision button belongs on ``row``'s page for ``user``."""
    return refusal(user, row) is None


def can_withdraw(user: Any, row: ApprovalBase) -> bool:
    """Whether ``user`` may withdraw ``row`` (the requester, or the requesting organization's staff)."""
    if row.status != ApprovalStatus.PENDING:
        return False
    own = row.requested_by_id is not None and row.requested_by_id == getattr(user, "pk", None)
    return own or covers(user, str(row.scope_area), "change", row.requesting_org())


def _locked(row: ApprovalBase, version: int | None) -> Any:
    model: Any = type(row)
    path = row.approval_org_path if row.approval_org_path is not None else row.scope_path
    qs = model._base_manager.select_for_update()
    locked = (qs.select_related(path) if path else qs).get(pk=row.pk)
    if version is not None and version != locked.version:
        raise VersionConflict
    return locked


def decide(*, actor: Any, row: ApprovalBase, approve: bool, reference: str, decided_on: dt.date | None = None,
           version: int | None = None) -> Any:
    """Approve or reject a pending request by the level above (module docstring). ``version``:
    the version the decider saw (a newer one raises ``VersionConflict``)."""
    with transaction.atomic():
        locked = _locked(row, version)
        problem = refusal(actor, locked)
        if problem is not None:
            raise RuleError(problem)
        if not reference.strip():
            raise RuleError(locked.approval_reference_message, field="reference")
        locked.check_decision(approve=approve)
        locked.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.decided_on = decided_on or timezone.localdate()
        locked.decision_ref = reference.strip()
        locked.save()
        audit.record("approve" if approve else "reject", obj=locked, reason=locked.decision_ref)
        locked.after_decision(actor=actor, approve=approve)
    return locked


def withdraw(*, actor: Any, row: ApprovalBase, version: int | None = None) -> Any:
    """The requester (or whoever may change the requesting organization's records) takes back
    a request that is still pending."""
    with transaction.atomic():
        locked = _locked(row, version)
        if locked.status != ApprovalStatus.PENDING:
            raise RuleError(locked.approval_decided_message)
        if not can_withdraw(actor, locked):
            raise RuleError(gettext("Only the requester or the requesting organization may withdraw a request."))
        locked.status = ApprovalStatus.WITHDRAWN
        locked.save()
        audit.record("withdraw", obj=locked)
    return locked


# --- the screens --------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(choices=(("1", _("Approve")), ("0", _("Reject"))), coerce=lambda v: v == "1",
                                     label=_("decision"))
    reference = forms.CharField(max_length=200, label=_("decision (meeting, document)"))
    decided_on = forms.DateField(label=_("date"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, row: ApprovalBase, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"decided_on": timezone.localdate(), "version": row.version})
        super().__init__(*args, **kwargs)
        self.fields["reference"].label = type(row)._meta.get_field("decision_ref").verbose_name
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")
        self.fields["decided_on"].widget.input_type = "date"  # type: ignore[attr-defined]


CONFLICT = _("Someone else changed this record after you opened it. Reload the page to see their change, "
             "then make yours again.")


class _ApprovalView(View):
    #: the ``ModelViews`` of the request model (its queryset, scope and detail page)
    views: Any = None

    def row(self, request: HttpRequest, pk: int) -> Any:
        return get_scoped_or_404(request.user, self.views.get_queryset(request), "view", pk=pk)

    def detail(self, row: Any) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.views.url("detail", row))


class DecisionView(_ApprovalView):
    """Approve or reject one request (``views``: the request's ``ModelViews``)."""

    title: Any = _("Decide: %(obj)s")
    submit: Any = _("Record the decision")
    template_name = "core/approval_decide.html"

    def page(self, request: HttpRequest, row: Any, form: DecisionForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "object": row, "title": str(self.title) % {"obj": row},
                                                    "submit": self.submit, "back": self.views.url("detail", row)},
                      status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.row(request, pk)
        if row.approval_moves_money and (refused := stepup.gate(request)) is not None:
            return refused
        return self.page(request, row, DecisionForm(row=row))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.row(request, pk)
        if row.approval_moves_money and (refused := stepup.gate(request)) is not None:
            return refused
        form = DecisionForm(request.POST, row=row)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with on_form(form):
                    decide(actor=request.user, row=row, approve=data["approve"], reference=data["reference"],
                           decided_on=data["decided_on"], version=data.get("version") or 0)
                    messages.success(request, gettext("Decision recorded."))
                    return self.detail(row)
            except VersionConflict:
                form.add_error(None, str(CONFLICT))
                return self.page(request, row, form, status=409)
        return self.page(request, row, form, status=400)


class WithdrawView(_ApprovalView):
    """Withdraw one pending request (a POST from its detail page)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.row(request, pk)
        try:
            with transaction.atomic():
                withdraw(actor=request.user, row=row, version=int(request.POST.get("version") or 0))
            messages.success(request, gettext("Request withdrawn."))
        except VersionConflict:
            messages.error(request, str(CONFLICT))
        except ValidationError as exc:
            messages.error(request, text(exc))
        return self.detail(row)


__all__ = ["ApprovalBase", "ApprovalStatus", "DecisionForm", "DecisionView", "WithdrawView", "can_decide", "can_withdraw", "decide",
           "deciding_path", "refusal", "withdraw"]
