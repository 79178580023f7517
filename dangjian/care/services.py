"""Writes of the care fund: keyword-only, actor first, lock the fund's account, re-check, audit.

Approvals of visits go through ``dangjian.core.approvals.decide`` (the model's
``check_decision`` locks the account and refuses an overdraft); what lives here is what the
facility does not do: the account lock, recording a donation, requesting a visit and
showing a beneficiary's circumstances (an audited read).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.care.models import CareDonation, CareFundAccount, CareVisit
from dangjian.core import audit
from dangjian.core.errors import RuleError
from dangjian.core.scoping import covers, ensure_in_scope


def require(user: Any, action: str, org: Any) -> None:
    if not covers(user, "care", action, org):
        raise RuleError(gettext("You may not handle the care fund of this organization."), field="org")


def lock_account(org: Any) -> CareFundAccount:
    """The organization's fund account, created on first use and locked ``FOR UPDATE`` until
    the transaction ends (every movement of the fund serializes on it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_account needs a transaction")
    account = CareFundAccount.objects.select_for_update().filter(org=org).first()
    if account is None:
        CareFundAccount.objects.get_or_create(org=org)
        account = CareFundAccount.objects.select_for_update().get(org=org)
    return account


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise RuleError(gettext("The date cannot be in the future."), field=field)


def record_donation(*, actor: Any, org: Any, donor: str, amount: Decimal, received_on: dt.date,
                    receipt_number: str, member: Any = None, note: str = "") -> CareDonation:
    """A donation to ``org``'s fund (党员捐一点), with its receipt."""
    with transaction.atomic():
        require(actor, "add", org)
        if amount is None or amount <= 0:
            raise RuleError(gettext("A donation must be greater than 0."), field="amount")
        _not_future(received_on, "received_on")
        lock_account(org)
        if CareDonation.objects.filter(org=org, receipt_number=receipt_number.strip()).exists():
            raise RuleError(gettext("This receipt number is already recorded."), field="receipt_number")
        donation = CareDonation(org=org, donor=donor.strip(), member=member, amount=amount, received_on=received_on,
                                receipt_number=receipt_number.strip(), note=note)
        donation.save()
        ensure_in_scope(actor, donation, "add")
    return donation


def check_visit(visit: CareVisit) -> None:
    """The rules of a visit request (the screen, the API and the demo share them)."""
    _not_future(visit.visited_on, "visited_on")
    if visit.beneficiary_id and visit.org_id and not visit.beneficiary.org.path.startswith(visit.org.path):
        raise RuleError(gettext("The beneficiary must be a member of this organization or of one below it."),
                        field="beneficiary")
    if visit.pk and CareVisit.objects.filter(pk=visit.pk).exclude(status="pending").exists():
        raise RuleError(gettext("An approved or rejected care payment cannot be changed."))


def request_visit(*, actor: Any, visit: CareVisit) -> CareVisit:
    """Save a visit request (new or still pending) for the level above to decide."""
    new = visit.pk is None
    with transaction.atomic():
        require(actor, "add" if new else "change", visit.org)
        check_visit(visit)
        if new:
            visit.requested_by = actor if getattr(actor, "pk", None) else None
        visit.save()
        ensure_in_scope(actor, visit, "add" if new else "change")
    return visit


def can_see_circumstances(user: Any, visit: CareVisit) -> bool:
    """Only holders of the ``reveal`` right on the visit's organization (committee staff);
    branch officers and members of the beneficiary's branch never see them."""
    return CareVisit.objects.filter(pk=visit.pk).visible_to(user, "reveal").exists()


def reveal_circumstances(*, actor: Any, visit: CareVisit) -> str:
    """The beneficiary's circumstances; the read is audited (who, whose, when)."""
    with transaction.atomic():
        ensure_in_scope(actor, visit, "reveal")
        audit.record("reveal_circumstances", obj=visit, changes={"field": "circumstances"})
    return visit.circumstances
