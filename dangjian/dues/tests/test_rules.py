"""The dues rules with DOMAIN.md's numbers: bands (rate on the whole base, inclusive upper
bounds), the cap, rounding, the base; plus property tests over random bases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.core.errors import RuleError
from dangjian.dues import rules
from dangjian.dues.rules import Band, BaseLine

D = Decimal
EMPLOYED = [Band(D("3000.00"), D("0.50")), Band(D("5000.00"), D("1.00")), Band(D("10000.00"), D("1.50")),
            Band(None, D("2.00"))]
RETIRED = [Band(D("5000.00"), D("0.50")), Band(None, D("1.00"))]
CAP = D("1000.00")


@pytest.mark.parametrize(("base", "expected"), [
    ("0.00", "0.00"),
    ("1.00", "0.01"),          # 0.005 rounds half up
    ("2999.99", "15.00"),      # 14.99995
    ("3000.00", "15.00"),      # DOMAIN 1.1 cliff: upper bound inclusive
    ("3000.01", "30.00"),      # the whole base at 1 %
    ("4000.00", "40.00"),
    ("5000.00", "50.00"),
    ("5000.01", "75.00"),      # 75.00015
    ("8888.88", "133.33"),     # 133.3332
    ("10000.00", "150.00"),
    ("10000.01", "200.00"),    # 200.0002
    ("49999.99", "1000.00"),   # 999.9998 -> 1000.00
    ("50000.00", "1000.00"),
    ("50000.01", "1000.00"),   # capped
    ("123456.78", "1000.00"),  # capped
])
def test_employed_bands(base: str, expected: str) -> None:
    result = rules.dues_from_bands(D(base), EMPLOYED, cap=CAP)
    assert result.amount == D(expected)
    assert str(result.amount) == expected  # always two decimals


@pytest.mark.parametrize(("base", "expected"), [
    ("3000.00", "15.00"),
    ("5000.00", "25.00"),
    ("5000.01", "50.00"),
    ("6543.21", "65.43"),
    ("100000.00", "1000.00"),
    ("100000.01", "1000.00"),  # capped
])
def test_retired_bands(base: str, expected: str) -> None:
    assert rules.dues_from_bands(D(base), RETIRED, cap=CAP).amount == D(expected)


def test_cap_is_marked() -> None:
    result = rules.dues_from_bands(D("60000.00"), EMPLOYED, cap=CAP)
    assert result.capped and result.unrounded == D("1200.0000") and result.amount == CAP
    assert not rules.dues_from_bands(D("50000.00"), EMPLOYED, cap=CAP).capped


@pytest.mark.parametrize(("base", "rounding", "expected"), [
    ("3333.33", "0.01", "33.33"),
    ("3333.33", "0.1", "33.30"),
    ("3333.33", "1", "33.00"),
    ("3350.00", "1", "34.00"),  # 33.50 rounds half up
    ("3345.00", "0.1", "33.50"),  # 33.45 rounds half up
])
def test_rounding_options(base: str, rounding: str, expected: str) -> None:
    assert rules.dues_from_bands(D(base), EMPLOYED, cap=CAP, rounding=rounding).amount == D(expected)


def test_negative_base_refused() -> None:
    with pytest.raises(RuleError):
        rules.dues_from_bands(D("-1"), EMPLOYED, cap=CAP)


def test_base_after_tax_and_excluded_items() -> None:
    breakdown = rules.compute_base([
        BaseLine("职务工资", D("3000.00"), "include"), BaseLine("级别工资", D("2500.00"), "include"),
        BaseLine("津贴补贴", D("1500.00"), "include"), BaseLine("个人所得税", D("120.50"), "deduct"),
        BaseLine("住房公积金", D("900.00"), "exclude"), BaseLine("公安值勤岗位津贴", D("400.00"), "exclude"),
    ])
    assert breakdown.included == D("7000.00")
    assert breakdown.excluded == D("1300.00")
    assert breakdown.base == D("6879.50")
    assert rules.dues_from_bands(breakdown.base, EMPLOYED, cap=CAP).amount == D("103.19")  # 103.1925


def test_tax_above_income_refused() -> None:
    with pytest.raises(RuleError):
        rules.compute_base([BaseLine("工资", D("10"), "include"), BaseLine("个税", D("11"), "deduct")])


def test_fixed_amount_range() -> None:
    assert rules.fixed_dues(D("0.50"), low=D("0.20"), high=D("1.00")).amount == D("0.50")
    with pytest.raises(RuleError):
        rules.fixed_dues(D("1.50"), low=D("0.20"), high=D("1.00"))


@pytest.mark.parametrize(("first", "last", "n"), [
    (dt.date(2026, 1, 1), dt.date(2026, 7, 9), 6), (dt.date(2025, 11, 30), dt.date(2026, 2, 1), 3),
])
def test_months_apart(first: dt.date, last: dt.date, n: int) -> None:
    assert rules.months_apart(first, last) == n


def test_month_helpers() -> None:
    assert rules.add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert rules.months_between(dt.date(2026, 11, 5), dt.date(2027, 1, 20)) == [
        dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1)]
    assert rules.due_date(dt.date(2026, 2, 1), 0) == dt.date(2026, 2, 28)
    assert rules.due_date(dt.date(2026, 2, 1), 10) == dt.date(2026, 2, 10)


money = st.decimals(min_value=D("0.00"), max_value=D("200000.00"), places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(a=money, b=money)
def test_amount_monotone_within_each_band(a: Decimal, b: Decimal) -> None:
    for bands in (EMPLOYED, RETIRED):
        low, high = sorted((a, b))
        r_low = rules.dues_from_bands(low, bands, cap=CAP)
        r_high = rules.dues_from_bands(high, bands, cap=CAP)
        if r_low.band == r_high.band:
            assert r_low.amount <= r_high.amount


@settings(max_examples=300, deadline=None)
@given(base=money, rounding=st.sampled_from(["0.01", "0.1", "1"]))
def test_always_two_decimals_and_within_cap(base: Decimal, rounding: str) -> None:
    result = rules.dues_from_bands(base, EMPLOYED, cap=CAP, rounding=rounding)
    assert result.amount.as_tuple().exponent == -2
    assert D("0") <= result.amount <= CAP
    assert abs(result.amount - min(result.unrounded, CAP)) <= D(rounding) / 2 or result.capped
