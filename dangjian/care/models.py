"""The care fund (暖心工程) as fund accounting: one account per organization (the lock), its
donations (inflows besides the dues share, which the dues module computes) and its visits and
condolences (outflows, approved by the level above through the core approvals facility).

Why a separate account row: every write that moves the fund (a donation, an approval) locks
the organization's account ``FOR UPDATE`` first, so two approvals racing for the last yuan are
serialized and the second sees the first one's spending.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import ApprovalBase
from dangjian.core.errors import RuleError
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import ScopedModel


def money(verbose_name: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    """A money column: Decimal, 12 digits, 2 decimals (never float)."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class CareReason(ScopedModel):
    """A reason category for a visit or condolence (困难党员, 老党员, 劳模, 援藏援疆 ...): a
    configurable list, seeded from seed 002 and DOMAIN.md 1.6."""

    scope_area = "config"
    scope_path = None

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("order", "code")
        verbose_name = _("care reason")
        verbose_name_plural = _("care reasons")

    def __str__(self) -> str:
        return self.name


class CareFundAccount(ScopedModel):
    """The care fund of one organization: the row every fund movement locks first. It holds
    no balance (the balance is always computed by ``rules.fund``, so it cannot drift)."""

    scope_area = "care"
    scope_path = "org"

    org = models.OneToOneField("orgs.Organization", on_delete=models.PROTECT, related_name="care_fund",
                               verbose_name=_("organization"))

    class Meta:
        verbose_name = _("care fund account")
        verbose_name_plural = _("care fund accounts")

    def __str__(self) -> str:
        return str(self.org)


class CareDonation(ScopedModel):
    """A donation to the fund (党员捐一点): who gave, how much, when, the receipt issued.
    A donation is never edited: a mistake is corrected by a reversing entry of the same
    receipt (negative amount, with a note), so the statement keeps both."""

    scope_area = "care"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="care_donations",
                            verbose_name=_("organization"))
    donor = models.CharField(_("donor"), max_length=100)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("donor (member)"))
    amount = money(_("amount"))
    received_on = models.DateField(_("received on"))
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("-received_on", "-id")
        verbose_name = _("care fund donation")
        verbose_name_plural = _("care fund donations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="care_donation_amount_positive",
                                   violation_error_message=_("A donation must be greater than 0.")),
            models.UniqueConstraint(fields=("org", "receipt_number"), name="care_donation_receipt_unique",
                                    violation_error_message=_("This receipt number is already recorded.")),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.amount:.2f}"


class CareVisit(ApprovalBase):
    """A visit or condolence paid from the fund (走访慰问): the beneficiary, the reason, the
    amount and items, who visited. Requested by the organization holding the fund and approved
    by the level above; only approved visits are outflows. The beneficiary's circumstances are
    sensitive: stored encrypted, never listed or exported, shown only to holders of the
    ``reveal`` right and every showing audited."""

    approval_moves_money = True  # the decider re-authenticates first (SESS-02)

    scope_area = "care"
    scope_path = "org"
    approval_self_message = _("A care payment cannot be approved by the person who requested it.")
    approval_decided_message = _("This care payment has already been decided.")
    approval_reference_message = _("Give the meeting (minutes) where the collective decision was taken.")

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="care_visits",
                            verbose_name=_("organization (fund)"))
    beneficiary = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("beneficiary"))
    reason = models.ForeignKey(CareReason, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason"))
    visited_on = models.DateField(_("visit date"))
    amount = money(_("amount"))
    items = models.CharField(_("items given"), max_length=300, blank=True)
    visitor = models.CharField(_("visited by"), max_length=100)
    circumstances = EncryptedTextField(_("circumstances"), blank=True, context="care.visit.circumstances",
                                       help_text=_("Sensitive: shown only to committee staff, every view audited."))
    notes = models.TextField(_("visit notes"), blank=True)
    decision_ref = models.CharField(_("collective decision (meeting, minutes)"), max_length=200, blank=True)

    class Meta:
        ordering = ("-visited_on", "-id")
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="care_visit_amount_not_negative",
                                   violation_error_message=_("An amount cannot be negative.")),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.beneficiary.name} {self.amount:.2f}"

    def check_decision(self, *, approve: bool) -> None:
        """An approval may not take the fund below zero: lock the fund's account, then compute
        its balance (after the lock, so a concurrent approval's spending is seen)."""
        if not approve or not self.amount:
            return
        from dangjian.care import rules, services

        services.lock_account(self.org)
        balance = rules.lowest_closing(self.org, self.visited_on.year)
        if balance < self.amount:
            raise RuleError(gettext("The care fund holds %(balance)s yuan, not enough to pay %(amount)s yuan.")
                            % {"balance": balance, "amount": self.amount})
