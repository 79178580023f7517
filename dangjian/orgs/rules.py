"""Computations over the organization tree: term expiry and structure warnings (DOMAIN.md 2.3, 2.4).

Warnings are shown, never enforced: the thresholds are "may set up, with approval" guidelines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from dangjian.core.periods import add_months, add_years
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization, OrganizationTerm, OrgRules


def expiring_terms(orgs: QuerySet[Organization], today: dt.date) -> QuerySet[OrganizationTerm]:
    """Open terms of ``orgs`` ending within the warning window of this year's rules (or past)."""
    rules = OrgRules.for_year(today.year)
    horizon = add_months(today, rules.term_warning_months)
    terms = OrganizationTerm.objects.filter(org__in=orgs, closed_on__isnull=True).select_related("org")
    return terms.filter(
        Q(extended_to__isnull=True, ends_on__lte=horizon) | Q(extended_to__isnull=False, extended_to__lte=horizon)
    ).order_by("ends_on")


def default_term_end(org: Organization, start: dt.date) -> dt.date:
    """When a term of ``org`` starting on ``start`` ends unless extended: the start plus the
    term length of its kind in the rules of the start year (TERM18: a party committee 5 years,
    a general branch or branch 3; 29 February ends on 28 February in a common year)."""
    return add_years(start, OrgRules.for_year(start.year).term_years(org.kind))


@dataclass(frozen=True)
class StructureWarning:
    org: Organization
    message: str
    full_members: int


def with_member_counts(orgs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate active and full member counts of each organization (one aggregate query)."""
    return orgs.annotate(
        member_count=Count("members", filter=Q(members__is_active=True)),
        full_count=Count("members", filter=Q(members__is_active=True, members__status="full")),
    )


def structure_warnings(orgs: QuerySet[Organization], year: int) -> list[StructureWarning]:
    """Branches below the minimum of full members, or at the committee threshold without a committee."""
    rules = OrgRules.for_year(year)
    from django.apps import apps

    post_model = apps.get_model("members", "CommitteePost")
    has_committee = Exists(post_model.objects.filter(org=OuterRef("pk"), ended_on__isnull=True).exclude(post="group_leader"))
    branches = with_member_counts(orgs.filter(kind=OrgKind.BRANCH, is_active=True)).annotate(has_committee=has_committee)
    warnings: list[StructureWarning] = []
    for org in branches:
        full: int = org.full_count  # type: ignore[attr-defined]
        if full < rules.branch_min_full_members:
            warnings.append(StructureWarning(org, gettext("Fewer than %(n)d full members: consider a joint branch.") % {"n": rules.branch_min_full_members}, full))
        if full >= rules.committee_required_at and not org.has_committee:  # type: ignore[attr-defined]
            warnings.append(StructureWarning(org, gettext("%(n)d or more full members but no branch committee.") % {"n": rules.committee_required_at}, full))
        if org.member_count > rules.branch_max_members:  # type: ignore[attr-defined]
            warnings.append(StructureWarning(org, gettext("More than %(n)d members: consider splitting the branch.") % {"n": rules.branch_max_members}, full))
    return warnings


def visible_roots(user: Any) -> QuerySet[Organization]:
    """The top-most organizations the user can see: their entry points into the tree."""
    from dangjian.core.scoping import scope_for

    scope = scope_for(user, "orgs", "view")
    if scope.everything:
        from dangjian.orgs.structure import root_path

        return Organization.objects.filter(path=root_path())
    return Organization.objects.filter(path__in=scope.org_paths).visible_to(user, "view")
