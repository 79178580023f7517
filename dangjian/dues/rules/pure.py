"""Pure dues computations: months, rounding, bands and the base (table- and property-tested)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext

from dangjian.core.errors import RuleError
from dangjian.core.periods import month_end
from dangjian.dues.choices import (
    Treatment,
)

CENT = Decimal("0.01")


ZERO = Decimal("0.00")


HUNDRED = Decimal("100")


def due_date(month: dt.date, due_day: int) -> dt.date:
    """The day a month's dues fall due: a fixed day, or the month's last day when 0."""
    return month_end(month) if not due_day else month.replace(day=min(due_day, 28))


def round_amount(value: Decimal, rounding: str = "0.01") -> Decimal:
    """ROUND_HALF_UP to the step ("0.01", "0.1" or "1" yuan), always returned with two decimals."""
    step = Decimal(rounding)
    return value.quantize(step, rounding=ROUND_HALF_UP).quantize(CENT)


def percent_of(amount: Decimal, pct: Decimal) -> Decimal:
    """``pct`` % of ``amount``, to the cent (ROUND_HALF_UP)."""
    return round_amount(amount * pct / HUNDRED)


@dataclass(frozen=True)
class Band:
    """A band as plain values (the models' rows have the same attributes)."""

    upper_bound: Decimal | None
    rate_percent: Decimal | None
    amount: Decimal | None = None


def find_band(bands: Iterable[Any], base: Decimal) -> Any:
    """The band whose inclusive upper bound is the first at or above ``base``; the rate then
    applies to the whole base (a lookup, not a progressive tax)."""
    ordered = sorted(bands, key=lambda b: (b.upper_bound is None, b.upper_bound or ZERO))
    for band in ordered:
        if band.upper_bound is None or base <= band.upper_bound:
            return band
    raise RuleError(gettext("No dues band applies to this base; check the bands of the dues standard."))


@dataclass(frozen=True)
class Computation:
    """How a monthly amount came about: base, band, rate, unrounded and rounded figures."""

    base: Decimal
    band: Any
    rate_percent: Decimal | None
    unrounded: Decimal
    amount: Decimal
    capped: bool
    rounding: str


def dues_from_bands(base: Decimal, bands: Sequence[Any], *, cap: Decimal | None, rounding: str = "0.01") -> Computation:
    """The monthly dues for ``base``: band lookup, rate on the whole base, rounding, then the cap."""
    if base < 0:
        raise RuleError(gettext("The dues base cannot be negative."))
    band = find_band(bands, base)
    rate = getattr(band, "rate_percent", None)
    if rate is not None:
        unrounded = base * rate / HUNDRED
    else:
        unrounded = Decimal(band.amount)
    amount = round_amount(unrounded, rounding)
    capped = cap is not None and amount > cap
    if capped:
        assert cap is not None
        amount = cap.quantize(CENT)
    return Computation(base=base.quantize(CENT), band=band, rate_percent=rate, unrounded=unrounded,
                       amount=amount, capped=capped, rounding=rounding)


def fixed_dues(amount: Decimal, *, low: Decimal, high: Decimal, rounding: str = "0.01") -> Computation:
    """A fixed monthly amount (members without salary income), within its allowed range."""
    if not low <= amount <= high:
        raise RuleError(gettext("Fixed dues must lie between %(low)s and %(high)s yuan.") % {"low": low, "high": high},
                        field="fixed_amount")
    return Computation(base=ZERO, band=None, rate_percent=None, unrounded=amount, amount=amount.quantize(CENT),
                       capped=False, rounding=rounding)


@dataclass(frozen=True)
class BaseLine:
    name: str
    amount: Decimal
    treatment: str
    reason: str = ""


@dataclass(frozen=True)
class BaseBreakdown:
    """The base and why: included items minus deducted tax; excluded items listed with reasons."""

    included: Decimal
    deducted: Decimal
    excluded: Decimal
    lines: tuple[BaseLine, ...]

    @property
    def base(self) -> Decimal:
        return (self.included - self.deducted).quantize(CENT)


def compute_base(lines: Iterable[BaseLine]) -> BaseBreakdown:
    """Σ included items − individual income tax (DUES-QA "税后"); excluded items do not count."""
    rows = tuple(lines)
    sums = {t: sum((r.amount for r in rows if r.treatment == t), ZERO) for t in Treatment.values}
    breakdown = BaseBreakdown(sums[Treatment.INCLUDE], sums[Treatment.DEDUCT], sums[Treatment.EXCLUDE], rows)
    if breakdown.base < 0:
        raise RuleError(gettext("The base after income tax is negative; check the pay items."))
    return breakdown
