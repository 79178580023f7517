"""Bills, payments, allocations and arrears cases."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import ScopedModel
from dangjian.dues.choices import (
    Arrangement,
    CaseDecision,
    CaseStatus,
    PaymentMethod,
)
from dangjian.dues.models.assessment import DuesAssessment, HardshipRelief
from dangjian.dues.models.standards import money, month_label


class DuesBill(ScopedModel):
    """What a member owes for one month (应缴), at the branch holding their relationship then."""

    scope_area = "dues"
    scope_path = "org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_bills",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_bills",
                            verbose_name=_("branch"))
    month = models.DateField(_("month"))
    assessment = models.ForeignKey(DuesAssessment, on_delete=models.PROTECT, related_name="bills",
                                   verbose_name=_("dues assessment"))
    relief = models.ForeignKey(HardshipRelief, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="bills", verbose_name=_("hardship relief"))
    amount_due = money(_("amount due"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ("-month", "org__path", "member__name")
        verbose_name = _("dues bill")
        verbose_name_plural = _("dues bills")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_bill_one_per_member_month",
                violation_error_message=_("This member already has a bill for this month.")),
            models.CheckConstraint(condition=models.Q(amount_due__gte=0), name="dues_bill_amount_not_negative",
                violation_error_message=_("The amount due cannot be negative.")),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "month"])]

    def __str__(self) -> str:
        return f"{self.member} {month_label(self.month)}"

    def _month_label(self) -> str:
        return month_label(self.month)

    _month_label.short_description = _("month")  # type: ignore[attr-defined]
    month_label = property(_month_label)


class DuesPayment(ScopedModel):
    """Money received from (or on behalf of) a member: one receipt. Allocated to the month
    bills it pays; whatever is not allocated is an over-payment, shown as such.

    ``idempotency_key`` is the one-time token of the form that recorded it: submitting the
    same form twice, or two requests racing, records it once (unique constraint).
    """

    scope_area = "dues"
    scope_path = "org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_payments",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_payments",
                            verbose_name=_("collecting branch"))
    amount = money(_("amount"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("payment method"), max_length=8, choices=PaymentMethod.choices)
    arrangement = models.CharField(_("arrangement"), max_length=10, choices=Arrangement.choices,
                                   default=Arrangement.MONTHLY)
    collector = models.ForeignKey("members.Member", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("collector"))
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    proxy_payer = models.CharField(_("paid on the member's behalf by"), max_length=50, blank=True)
    proxy_relation = models.CharField(_("relation of the proxy payer"), max_length=30, blank=True)
    back_payment_reason = models.CharField(_("reason for the late back payment"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("-paid_on", "-id")
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_payment_amount_positive",
                violation_error_message=_("The amount paid must be greater than 0.")),
            models.UniqueConstraint(fields=["receipt_number"], condition=~models.Q(receipt_number=""),
                                    name="dues_payment_unique_receipt",
                violation_error_message=_("This receipt number is already used.")),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.member} {self.paid_on:%Y-%m-%d} {self.amount:.2f}元"

    @property
    def is_proxy(self) -> bool:
        return bool(self.proxy_payer)


class DuesAllocation(ScopedModel):
    """The part of a payment that pays one month's bill."""

    scope_area = "dues"
    scope_path = "payment__org"
    owner_path = "payment__member"

    payment = models.ForeignKey(DuesPayment, on_delete=models.CASCADE, related_name="allocations",
                                verbose_name=_("dues payment"))
    bill = models.ForeignKey(DuesBill, on_delete=models.PROTECT, related_name="allocations",
                             verbose_name=_("dues bill"))
    amount = money(_("amount"))

    class Meta:
        ordering = ("bill__month", "id")
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["payment", "bill"], name="dues_allocation_unique",
                violation_error_message=_("This payment is already allocated to this bill.")),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_allocation_amount_positive",
                violation_error_message=_("An allocated amount must be greater than 0.")),
        ]

    def __str__(self) -> str:
        return f"{self.bill} {self.amount:.2f}元"


class ArrearsCase(ScopedModel):
    """Six consecutive unpaid months put before the branch as a decision item (党章 art. 9),
    with the talk record. Never changes the member's status: the branch decides."""

    scope_area = "dues"
    scope_path = "org"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_arrears_cases",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    opened_on = models.DateField(_("opened on"))
    first_unpaid_month = models.DateField(_("first unpaid month"))
    months_unpaid = models.PositiveSmallIntegerField(_("consecutive unpaid months"))
    amount_outstanding = money(_("amount outstanding"))
    status = models.CharField(_("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    talk_on = models.DateField(_("talk date"), null=True, blank=True)
    talk_by = models.CharField(_("talk held by"), max_length=50, blank=True)
    talk_record = models.TextField(_("talk record"), blank=True)
    decision = models.CharField(_("branch decision"), max_length=16, choices=CaseDecision.choices, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_ref = models.CharField(_("decision (meeting, minutes)"), max_length=200, blank=True)
    cleared_on = models.DateField(_("arrears paid on"), null=True, blank=True)

    class Meta:
        ordering = ("status", "-opened_on")
        verbose_name = _("arrears case")
        verbose_name_plural = _("arrears cases")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member"], condition=models.Q(status="open"),
                                    name="dues_one_open_case_per_member",
                violation_error_message=_("This member already has an open arrears case.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} 连续{self.months_unpaid}个月未缴"
