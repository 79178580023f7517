"""The care fund's subscriptions: the fund is one account whoever spends from it.

A dues spending marked "from the care fund" is decided in the dues module, which knows only the
dues share of the fund; this receiver takes the fund's account lock (the one every care visit
approval takes) and refuses the approval when any year's closing balance of the combined fund
(dues share, donations, visits, dues spending) would go below zero.
"""

from __future__ import annotations

from django.utils.translation import gettext

from dangjian.care import rules, services
from dangjian.core.errors import RuleError
from dangjian.core.events import Occurrence
from dangjian.dues.signals import care_fund_spent


@care_fund_spent.derive
def keep_the_fund_above_zero(occurrence: Occurrence) -> None:
    spending = occurrence.evidence
    services.lock_account(spending.org)
    lowest = rules.lowest_closing(spending.org, spending.spent_on.year)
    if lowest < 0:
        raise RuleError(gettext("The care fund (with donations and care visits) holds %(balance)s yuan, not enough "
                                "to pay %(amount)s yuan.") % {"balance": lowest + spending.amount,
                                                              "amount": spending.amount})
