"""Helpers of the care tests: a fund with money in it, visits requested and decided."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from dangjian.care import services
from dangjian.care.models import CareDonation, CareReason, CareVisit
from dangjian.core import approvals
from dangjian.core.context import acting_as

_n = itertools.count(1)


def donate(actor: Any, org: Any, amount: str | Decimal, day: dt.date = dt.date(2026, 3, 1)) -> CareDonation:
    with acting_as(actor, reason="test"):
        return services.record_donation(actor=actor, org=org, donor=f"捐款人{next(_n)}", amount=Decimal(amount),
                                        received_on=day, receipt_number=f"R{next(_n):05d}")


def request(actor: Any, org: Any, beneficiary: Any, amount: str | Decimal, day: dt.date = dt.date(2026, 5, 1),
            reason: str = "hardship", circumstances: str = "") -> CareVisit:
    visit = CareVisit(org=org, beneficiary=beneficiary, reason=CareReason.objects.get(code=reason), visited_on=day,
                      amount=Decimal(amount), visitor="支部书记", items="慰问金", circumstances=circumstances)
    with acting_as(actor, reason="test"):
        return services.request_visit(actor=actor, visit=visit)


def approve(actor: Any, visit: CareVisit) -> CareVisit:
    with acting_as(actor, reason="test"):
        return approvals.decide(actor=actor, row=visit, approve=True, reference="党委会议纪要第1号",
                                decided_on=visit.visited_on)
