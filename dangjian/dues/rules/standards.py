"""The standards, settings and amounts in force for an organization and a member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from dangjian.core.errors import RuleError
from dangjian.dues.choices import (
    AuxiliaryMethod,
    BandKind,
    DuesKind,
)
from dangjian.dues.rules.pure import CENT, ZERO, Computation, dues_from_bands, fixed_dues


def standard_in_force(day: dt.date) -> Any:
    """The dues standard in force on ``day`` (the latest effective on or before it)."""
    from dangjian.dues.models import DuesStandard

    standard = DuesStandard.in_force(day)
    if standard is None:
        raise RuleError(gettext("No dues standard has been set up yet."))
    return standard


def auxiliary_standard_for(org: Any, day: dt.date) -> Any:
    """The auxiliary-police standard for a member of ``org`` on ``day``: the one set for the
    nearest ancestor organization, else the general one."""
    from dangjian.dues.models import AuxiliaryPoliceStandard

    candidates = list(
        AuxiliaryPoliceStandard.objects.filter(effective_from__lte=day)
        .filter(Q(org__isnull=True) | Q(org__path__in=org.ancestor_paths()))
        .select_related("org").order_by("-effective_from")
    )
    if not candidates:
        raise RuleError(gettext("No dues standard for auxiliary police members has been set up yet."))
    return max(candidates, key=lambda s: (s.org.depth if s.org else 0, s.effective_from))


def _settings_chain(org: Any) -> list[Any]:
    """The dues settings of ``org`` and its ancestors, nearest first."""
    from dangjian.dues.models import DuesOrgSettings

    rows = {s.org.path: s for s in DuesOrgSettings.objects.filter(org__path__in=org.ancestor_paths())
            .select_related("org")}
    return [rows[p] for p in reversed(org.ancestor_paths()) if p in rows]


def rounding_for(org: Any, standard: Any) -> str:
    """The rounding step for members of ``org``: its own or an ancestor's setting, else the standard's."""
    for row in _settings_chain(org):
        if row.rounding:
            return str(row.rounding)
    return str(standard.rounding)


def remit_percent_for(org: Any, standard: Any) -> Decimal:
    """The share ``org`` passes upwards: its own setting, else by level (DOMAIN 1.5 defaults)."""
    from dangjian.orgs.choices import OrgKind

    own = getattr(_own_settings(org), "remit_percent", None)
    if own is not None:
        return Decimal(own)
    if org.kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.GROUP):
        return Decimal(standard.branch_remit_percent)
    return Decimal(standard.top_remit_percent if org.depth == 1 else standard.committee_remit_percent)


def care_fund_percent_for(org: Any, standard: Any) -> Decimal:
    own = getattr(_own_settings(org), "care_fund_percent", None)
    return Decimal(own if own is not None else standard.care_fund_percent)


def _own_settings(org: Any) -> Any:
    from dangjian.dues.models import DuesOrgSettings

    return DuesOrgSettings.objects.filter(org=org).first()


def compute_for_kind(*, kind: str, standard: Any, base: Decimal, org: Any, day: dt.date,
                     fixed: Any = None, fixed_amount: Decimal | None = None,
                     rounding: str | None = None) -> tuple[Computation, Any]:
    """The monthly amount of a member of ``kind``; returns (computation, auxiliary standard)."""
    rounding = rounding or rounding_for(org, standard)
    cap = Decimal(standard.monthly_cap)
    if kind == DuesKind.FIXED:
        if fixed is None:
            raise RuleError(gettext("Choose the fixed dues category."), field="fixed")
        amount = fixed.amount if fixed_amount is None else fixed_amount
        return fixed_dues(Decimal(amount), low=fixed.min_amount, high=fixed.max_amount, rounding=rounding), None
    if kind == DuesKind.AUXILIARY:
        aux = auxiliary_standard_for(org, day)
        if aux.method == AuxiliaryMethod.FIXED:
            amount = Decimal(aux.fixed_amount or ZERO)
            return Computation(base, None, None, amount, amount.quantize(CENT), False, rounding), aux
        bands = list(aux.bands.all()) if aux.method == AuxiliaryMethod.OWN_BANDS else \
            list(standard.bands.filter(kind=BandKind.EMPLOYED))
        return dues_from_bands(base, bands, cap=cap, rounding=rounding), aux
    band_kind = BandKind.RETIRED if kind == DuesKind.RETIRED else BandKind.EMPLOYED
    return dues_from_bands(base, list(standard.bands.filter(kind=band_kind)), cap=cap, rounding=rounding), None
