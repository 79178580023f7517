"""Filters of the dues lists; the hidden ones let a total open into its entries."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.dues.choices import ApprovalStatus, CaseStatus, DuesKind, PaymentState
from dangjian.dues.models import (
    ArrearsCase,
    AuxiliaryPoliceBand,
    DuesAssessment,
    DuesBand,
    DuesBill,
    DuesBudget,
    DuesBudgetLine,
    DuesPayment,
    DuesRemittance,
    DuesSpending,
    DuesStatement,
    FixedDuesAmount,
    HardshipRelief,
)
from dangjian.members.filtersets import search_members
from dangjian.orgs.filtersets import SubtreeFilter

Hidden = forms.HiddenInput


class _MemberSearch(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name, pinyin initials or police number"))

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:  # type: ignore[type-arg]
        from dangjian.members.models import Member

        members = search_members(Member.objects.visible_to(self.request.user, "view"), value)
        return qs.filter(**{f"{self.member_path}__in": members})

    member_path = "member"


class BandFilterSet(ScopedFilterSet):
    standard = django_filters.NumberFilter(field_name="standard_id", widget=Hidden)

    class Meta:
        model = DuesBand
        fields = ("standard", "kind")


class FixedAmountFilterSet(ScopedFilterSet):
    standard = django_filters.NumberFilter(field_name="standard_id", widget=Hidden)

    class Meta:
        model = FixedDuesAmount
        fields = ("standard",)


class AuxiliaryBandFilterSet(ScopedFilterSet):
    standard = django_filters.NumberFilter(field_name="standard_id", widget=Hidden)

    class Meta:
        model = AuxiliaryPoliceBand
        fields = ("standard",)


class AssessmentFilterSet(_MemberSearch):
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    within = SubtreeFilter(field_name="member__org__path", label=_("within organization"))
    year = django_filters.NumberFilter(label=_("year"))
    kind = django_filters.ChoiceFilter(choices=DuesKind.choices, label=_("dues kind"))

    class Meta:
        model = DuesAssessment
        fields = ("q", "member", "within", "year", "kind")


class ReliefFilterSet(_MemberSearch):
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    within = SubtreeFilter(field_name="member__org__path", label=_("within organization"))
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices, label=_("status"))

    class Meta:
        model = HardshipRelief
        fields = ("q", "member", "within", "status")


class BillFilterSet(_MemberSearch):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    month = django_filters.DateFilter(field_name="month", widget=Hidden)
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte", widget=Hidden)
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="month__year", label=_("year"))
    state = django_filters.ChoiceFilter(choices=PaymentState.choices, method="by_state", label=_("payment state"))

    class Meta:
        model = DuesBill
        fields = ("q", "org", "member", "month", "month_from", "month_to", "within", "year", "state")

    def by_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:  # type: ignore[type-arg]
        from django.db.models import F

        filters: dict[str, QuerySet] = {  # type: ignore[type-arg]
            PaymentState.PAID: qs.filter(paid=F("amount_due")),
            PaymentState.UNPAID: qs.filter(paid__lte=0, amount_due__gt=0),
            PaymentState.PARTIAL: qs.filter(paid__gt=0, paid__lt=F("amount_due")),
            PaymentState.OVERPAID: qs.filter(paid__gt=F("amount_due")),
        }
        return filters.get(value, qs)


class PaymentFilterSet(_MemberSearch):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    paid_from = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("paid from"),
                                          widget=forms.DateInput(attrs={"type": "date"}))
    paid_to = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("paid until"),
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = DuesPayment
        fields = ("q", "org", "member", "within", "paid_from", "paid_to", "method", "arrangement")


class CaseFilterSet(_MemberSearch):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("status"))

    class Meta:
        model = ArrearsCase
        fields = ("q", "within", "status")


class StatementFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="month__year", label=_("year"))

    class Meta:
        model = DuesStatement
        fields = ("org", "within", "year")


class RemittanceFilterSet(ScopedFilterSet):
    from_org = django_filters.NumberFilter(field_name="from_org_id", widget=Hidden)
    to_org = django_filters.NumberFilter(field_name="to_org_id", widget=Hidden)
    within = SubtreeFilter(field_name="from_org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="period_start__year", label=_("year"))

    class Meta:
        model = DuesRemittance
        fields = ("from_org", "to_org", "within", "year")


class BudgetFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))

    class Meta:
        model = DuesBudget
        fields = ("within", "year", "status")


class BudgetLineFilterSet(ScopedFilterSet):
    budget = django_filters.NumberFilter(field_name="budget_id", widget=Hidden)

    class Meta:
        model = DuesBudgetLine
        fields = ("budget",)


class SpendingFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    category = django_filters.NumberFilter(field_name="category_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="spent_on__year", label=_("year"))
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices, label=_("status"))
    from_care_fund = django_filters.BooleanFilter(label=_("paid from the care fund"))

    class Meta:
        model = DuesSpending
        fields = ("org", "category", "within", "year", "status", "from_care_fund")
