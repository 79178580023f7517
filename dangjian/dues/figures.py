"""Dashboard figure of the dues module: the year's collection rate and arrears of a subtree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from dangjian.core.figures import FigureData, FigureItem, Subtree, drill, rate
from dangjian.dues.choices import PaymentState
from dangjian.dues.models import DuesBill

ZERO = Decimal("0.00")
MONEY: DecimalField = DecimalField(  # type: ignore[type-arg]
    max_digits=14, decimal_places=2)


def collection(subtree: Subtree) -> FigureData:
    """The bills of this year's months up to the current one: how many are paid, underpaid,
    unpaid or overpaid, the amount collected against the amount due, and what is still owed
    (one aggregate query; each bill's paid amount is a correlated sum of its allocations, the
    same figure the bill list shows)."""
    from dangjian.dues.models import DuesAllocation

    paid = Subquery(DuesAllocation.objects.filter(bill=OuterRef("pk")).order_by()  # scope-ok: inside the subtree's bills
                    .values("bill").annotate(s=Sum("amount")).values("s"), output_field=MONEY)
    bills = (DuesBill.objects  # scope-ok: the dashboard checked the subtree
             .filter(org__path__startswith=subtree.path, month__gte=dt.date(subtree.year, 1, 1),
                     month__lte=subtree.today)
             .annotate(paid_sum=Coalesce(paid, Value(ZERO), output_field=MONEY)))
    row = bills.aggregate(
        due=Coalesce(Sum("amount_due"), Value(ZERO), output_field=MONEY),
        collected=Coalesce(Sum("paid_sum"), Value(ZERO), output_field=MONEY),
        owed=Coalesce(Sum(F("amount_due") - F("paid_sum"), filter=Q(paid_sum__lt=F("amount_due"))), Value(ZERO),
                      output_field=MONEY),
        n_paid=Count("id", filter=Q(paid_sum=F("amount_due"))),
        n_unpaid=Count("id", filter=Q(paid_sum__lte=0, amount_due__gt=0)),
        n_partial=Count("id", filter=Q(paid_sum__gt=0, paid_sum__lt=F("amount_due"))),
        n_overpaid=Count("id", filter=Q(paid_sum__gt=F("amount_due"))),
    )
    month_to = dt.date(subtree.today.year, subtree.today.month, 1).isoformat()
    month_from = dt.date(subtree.year, 1, 1).isoformat()

    def bill_list(state: str = "") -> str:
        return drill("dues:bill_list", subtree, month_from=month_from, month_to=month_to, state=state)

    items = [FigureItem(str(label), row[f"n_{value}"], bill_list(value)) for value, label in PaymentState.choices]
    headline = [
        FigureItem(gettext("Collection rate"), rate(row["collected"], row["due"]),
                   note=f"{row['collected']:.2f}/{row['due']:.2f}"),
        FigureItem(gettext("Arrears"), row["owed"], bill_list(PaymentState.UNPAID)),
        FigureItem(gettext("Bills in arrears"), row["n_unpaid"] + row["n_partial"]),
    ]
    return FigureData(items=items, headline=headline, unit=gettext("bills"))
