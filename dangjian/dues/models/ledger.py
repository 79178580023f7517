"""Statements, remittances, budgets and spending."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import ApprovalBase
from dangjian.core.errors import RuleError
from dangjian.core.models import ScopedModel
from dangjian.dues.models.standards import ZERO, SpendingCategory, money, month_label, percent


class DuesStatement(ScopedModel):
    """A branch's monthly collection statement (党费收缴月报), closed by an officer: the totals
    as they stood then. Payments recorded after closing show up as reconciliation differences."""

    scope_area = "dues"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_statements",
                            verbose_name=_("branch"))
    month = models.DateField(_("month"))
    members_billed = models.PositiveIntegerField(_("members billed"), default=0)
    amount_due = money(_("amount due"), default=ZERO)
    members_paid = models.PositiveIntegerField(_("members who paid"), default=0)
    amount_collected = money(_("amount collected"), default=ZERO)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    closed_on = models.DateField(_("closed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("-month", "org__path")
        verbose_name = _("dues statement")
        verbose_name_plural = _("dues statements")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "month"], name="dues_statement_one_per_month",
                violation_error_message=_("This month's statement of the branch is already closed.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {month_label(self.month)}"


class DuesRemittance(ScopedModel):
    """Dues an organization passed up the tree (上缴) for a period, with what was expected."""

    scope_area = "dues"
    scope_path = "from_org"

    from_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_remitted",
                                 verbose_name=_("remitting organization"))
    to_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="dues_received", verbose_name=_("receiving organization"))
    recipient_name = models.CharField(_("recipient outside the system"), max_length=100, blank=True)
    period_start = models.DateField(_("period from month"))
    period_end = models.DateField(_("period to month"))
    income = money(_("dues income of the period"))
    remit_percent = percent(_("share remitted (%)"))
    expected_amount = money(_("amount to remit"))
    amount = money(_("amount remitted"))
    remitted_on = models.DateField(_("remitted on"))
    reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("-period_end", "from_org__path")
        verbose_name = _("dues remittance")
        verbose_name_plural = _("dues remittances")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["from_org", "period_start"], name="dues_remittance_one_per_period",
                violation_error_message=_("A remittance is already recorded for this period; do not record it twice.")),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="dues_remittance_period_order",
                violation_error_message=_("The remittance period cannot end before it starts.")),
        ]

    def __str__(self) -> str:
        return f"{self.from_org} {month_label(self.period_start)}—{month_label(self.period_end)} {self.amount:.2f}元"


class DuesBudget(ApprovalBase):
    """An organization's annual dues budget plan (年度党费预算计划), by category; approved by
    the level above (the core approvals facility)."""

    approval_moves_money = True  # the decider re-authenticates first (SESS-02)

    scope_area = "dues"
    scope_path = "org"
    approval_reference_message = _("Give the meeting or document that approved the budget.")

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_budgets",
                            verbose_name=_("organization"))
    year = models.PositiveSmallIntegerField(_("year"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("approved by"))
    decided_on = models.DateField(_("approval date"), null=True, blank=True)
    decision_ref = models.CharField(_("approval (meeting, document)"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("-year", "org__path")
        verbose_name = _("dues budget")
        verbose_name_plural = _("dues budgets")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="dues_budget_one_per_year",
                violation_error_message=_("This organization already has a budget for this year.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年党费预算"


class DuesBudgetLine(ScopedModel):
    """The planned amount of one category in a budget."""

    scope_area = "dues"
    scope_path = "budget__org"

    budget = models.ForeignKey(DuesBudget, on_delete=models.CASCADE, related_name="lines",
                               verbose_name=_("dues budget"))
    category = models.ForeignKey(SpendingCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("spending category"))
    amount = money(_("planned amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("budget", "category__order")
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["budget", "category"], name="dues_budget_line_unique",
                violation_error_message=_("This budget already has a line for this category.")),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="dues_budget_line_not_negative",
                violation_error_message=_("A budget amount cannot be negative.")),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.amount:.2f}元"


class DuesSpending(ApprovalBase):
    """Spending of dues (党费支出): requested, then approved by a collective decision of the
    level above (DUES08 art. 19, the core approvals facility), not by the requester; only
    approved spending counts in the budget comparison and the disclosure."""

    approval_moves_money = True  # the decider re-authenticates first (SESS-02)

    scope_area = "dues"
    scope_path = "org"
    approval_self_message = _("Spending cannot be approved by the person who requested it.")
    approval_decided_message = _("This spending has already been decided.")
    approval_reference_message = _("Give the meeting (minutes) where the collective decision was taken.")

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_spending",
                            verbose_name=_("organization"))
    category = models.ForeignKey(SpendingCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("spending category"))
    spent_on = models.DateField(_("date"))
    amount = money(_("amount"))
    payee = models.CharField(_("payee"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=300)
    voucher_number = models.CharField(_("voucher number"), max_length=40, blank=True)
    from_care_fund = models.BooleanField(_("paid from the care fund"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("approved by"))
    decided_on = models.DateField(_("approval date"), null=True, blank=True)
    decision_ref = models.CharField(_("collective decision (meeting, minutes)"), max_length=200, blank=True)

    class Meta:
        ordering = ("-spent_on", "-id")
        verbose_name = _("dues spending")
        verbose_name_plural = _("dues spending")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_spending_amount_positive",
                violation_error_message=_("A spending amount must be greater than 0.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.spent_on:%Y-%m-%d} {self.category} {self.amount:.2f}元"

    def check_decision(self, *, approve: bool) -> None:
        """Spending from the care fund may not overdraw it."""
        if approve and self.from_care_fund:
            from dangjian.dues import rules

            fund = rules.care_fund(self.org, self.spent_on.year)
            if fund.closing < self.amount:
                raise RuleError(gettext("The care fund holds %(balance)s yuan, not enough to pay %(amount)s yuan.")
                                % {"balance": fund.closing, "amount": self.amount})

    def after_decision(self, *, actor: Any, approve: bool) -> None:
        """An approved spending from the care fund is announced, so the fund's keeper (the care
        module, which also holds donations and visits) can lock the fund and refuse an overdraft."""
        if approve and self.from_care_fund:
            from dangjian.dues.signals import care_fund_spent

            care_fund_spent.send(actor=actor, evidence=self)
