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


def expiring_q(today: dt.date) -> Q:
    """Open terms ending within the warning window of this year's rules (or already over)."""
    horizon = add_months(today, OrgRules.for_year(today.year).term_warning_months)
    return Q(closed_on__isnull=True) & (
        Q(extended_to__isnull=True, ends_on__lte=horizon) | Q(extended_to__isnull=False, extended_to__lte=horizon))


def expiring_terms(orgs: QuerySet[Organization], today: dt.date) -> QuerySet[OrganizationTerm]:
    """Open terms of ``orgs`` ending within the warning window of this year's rules (or past):
    the 换届提醒 page, its export (``TermFilterSet``'s ``expiring``) and the reminders."""
    terms = OrganizationTerm.objects.filter(org__in=orgs).select_related("org")
    return terms.filter(expiring_q(today)).order_by("ends_on")


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


def with_member_totals(orgs: QuerySet[Organization], nodes: list[Organization]) -> list[Organization]:
    """Set ``member_direct`` (the members on the roll placed right at the node: a party group's
    own members, else the members whose branch it is) and ``member_total`` (every member on the
    roll in its subtree) on each of ``nodes``, from one aggregate query over the organizations
    of ``orgs`` (the user's visible ones) that lie in the nodes' subtrees."""
    if not nodes:
        return nodes
    wanted = {node.path for node in nodes}
    tops = [p for p in sorted(wanted) if not any(p != q and p.startswith(q) for q in wanted)]
    within = Q()
    for top in tops:
        within |= Q(path__startswith=top)
    rows = (orgs.filter(within).order_by()
            .annotate(in_branch=Count("members", filter=Q(members__is_active=True), distinct=True),
                      in_group=Count("group_members", filter=Q(group_members__is_active=True), distinct=True))
            .values_list("path", "kind", "in_branch", "in_group"))
    step = Organization.steplen
    direct: dict[str, int] = {}
    total: dict[str, int] = dict.fromkeys(wanted, 0)
    for path, kind, in_branch, in_group in rows:
        direct[path] = in_group if kind == OrgKind.GROUP else in_branch
        for end in range(step, len(path) + 1, step):  # the member counts once, in its branch's subtrees
            if path[:end] in total:
                total[path[:end]] += in_branch
    for node in nodes:
        node.member_direct = direct.get(node.path, 0)  # type: ignore[attr-defined]
        node.member_total = direct.get(node.path, 0) if node.kind == OrgKind.GROUP else total[node.path]  # type: ignore[attr-defined]
    return nodes


def search(orgs: QuerySet[Organization], text: str, limit: int = 30) -> list[Organization]:
    """Organizations of ``orgs`` whose name or short name contains ``text``, or whose pinyin
    initials start with it (``xzyd`` finds 刑侦一大队党支部), in tree order."""
    text = text.strip()
    if not text:
        return []
    match = Q(name__icontains=text) | Q(short_name__icontains=text)
    if text.isascii() and text.isalnum():
        match |= Q(name_initials__startswith=text.lower())
    return list(orgs.filter(match).order_by("path")[:limit])


def opened_tree(orgs: QuerySet[Organization], roots: list[Organization], hits: list[Organization]) -> list[Organization]:
    """The tree from ``roots`` with the path to every hit open: each open node carries its
    children (``tree_children``) and ``tree_open``; the hits carry ``tree_hit``. Two queries
    (the children of every open node at once, then the counts)."""
    step = Organization.steplen
    hit_paths = {hit.path for hit in hits}
    opened = {hit.path[:end] for hit in hits for end in range(step, len(hit.path), step)}
    shown = list(roots)
    if opened:
        below = Q()
        for path in opened:
            below |= Q(path__startswith=path, depth=len(path) // step + 1)
        children = list(orgs.filter(below).select_related("unit").order_by("path"))
        by_parent: dict[str, list[Organization]] = {}
        for child in children:
            by_parent.setdefault(child.path[:-step], []).append(child)
        pending = list(roots)
        while pending:
            node = pending.pop()
            node.tree_open = node.path in opened  # type: ignore[attr-defined]
            node.tree_children = by_parent.get(node.path, []) if node.tree_open else []  # type: ignore[attr-defined]
            pending.extend(node.tree_children)  # type: ignore[attr-defined]
        shown.extend(children)
    for node in shown:
        node.tree_hit = node.path in hit_paths  # type: ignore[attr-defined]
    with_member_totals(orgs, shown)
    return roots


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
