"""Fixtures of the dues tests: the seeded standard, assessed members, helpers."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas

_keys = itertools.count(1)


def key() -> str:
    return f"test-key-{next(_keys)}"


def item(code: str) -> Any:
    from dangjian.dues.models import PayItem

    return PayItem.objects.get(code=code)


def assess(actor: Any, member: Any, year: int, base: str | Decimal, kind: str = "employed", **kwargs: Any) -> Any:
    """Assess ``member`` with a base made of one included item (the whole base)."""
    from dangjian.dues import services

    code = "pension" if kind == "retired" else "post_salary"
    with acting_as(actor, reason="test"):
        return services.assess_member(
            actor=actor, member=member, year=year, kind=kind,
            components=[services.ComponentInput(item(code), Decimal(base))], **kwargs,
        )


def pay(actor: Any, member: Any, amount: str | Decimal, paid_on: dt.date, **kwargs: Any) -> Any:
    from dangjian.dues import services

    kwargs.setdefault("idempotency_key", key())
    kwargs.setdefault("method", "cash")
    with acting_as(actor, reason="test"):
        return services.record_payment(actor=actor, member=member, amount=Decimal(amount), paid_on=paid_on, **kwargs)


def bill_months(actor: Any, org: Any, year: int, months: range) -> None:
    from dangjian.dues import services

    with acting_as(actor, reason="test"):
        for m in months:
            services.generate_bills(actor=actor, org=org, month=dt.date(year, m, 1))


@pytest.fixture
def officer(personas: Personas) -> Any:
    return personas.user("officer_b1")


@pytest.fixture
def staff(personas: Personas) -> Any:
    return personas.user("c1_staff")
