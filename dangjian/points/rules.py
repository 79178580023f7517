"""Reading the ledger: the explanation of a balance, rankings, stars and branch averages.

Like ``dues.rules.Total``, a balance explains itself: :func:`explain` returns the base, every
final entry (with its evidence link) and the floor adjustment, and its ``total`` is the sum of
those lines — the same number as the stored :class:`PointBalance` score. Rankings read the
maintained balance table (one indexed query per page), never the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Window
from django.db.models.functions import PercentRank, Rank
from django.urls import NoReverseMatch, reverse

from dangjian.points.choices import EntryStatus
from dangjian.points.models import PointBalance, PointEntry, PointScheme

#: evidence model label -> URL name of its page (the link an entry opens into)
EVIDENCE_PAGES = {
    "meetings.attendance": ("meetings:meeting_detail", "meeting_id"),
    "dues.duesbill": ("dues:bill_detail", None),
    "points.violationrecord": ("points:violation_detail", None),
    "points.pointentry": ("points:entry_detail", None),
    "study.attempt": ("study:attempt_detail", None),
    "study.coursecompletion": ("study:course_detail", "course_id"),
    "honors.commendation": ("honors:commendation_detail", None),
}


def evidence_url(entry: PointEntry) -> str:
    """The page of the entry's source record ('' when the source has no page of its own)."""
    if not entry.evidence:
        return reverse("points:entry_detail", args=[entry.pk])
    label, _sep, pk = entry.evidence.partition(":")
    page = EVIDENCE_PAGES.get(label)
    if page is None or not pk.isdigit():
        return ""
    name, via = page
    try:
        if via is None:
            return reverse(name, args=[int(pk)])
        from django.apps import apps

        model = apps.get_model(label)
        target = model._default_manager.filter(pk=int(pk)).values_list(via, flat=True).first()  # scope-ok: an id for a link; the page itself is scoped
        return reverse(name, args=[target]) if target else ""
    except (NoReverseMatch, LookupError):
        return ""


@dataclass
class Explanation:
    """A member's year: the base, the final entries, the floor adjustment and their sum."""

    balance: PointBalance | None
    base: int
    entries: list[PointEntry]
    pending: list[PointEntry] = field(default_factory=list)
    floor_adjustment: int = 0

    @property
    def total(self) -> int:
        return self.base + sum(e.points for e in self.entries) + self.floor_adjustment

    @property
    def stored(self) -> int:
        return self.balance.score if self.balance else self.base


def explain(member: Any, year: int, entries: QuerySet[Any]) -> Explanation:
    """The explanation of ``member``'s ``year`` from ``entries`` (the caller's scoped queryset)."""
    balance = PointBalance.objects.filter(member=member, year=year).select_related("scheme").first()
    rows = list(entries.filter(member=member, year=year).select_related("rule__category", "reverses")
                .order_by("month", "id"))
    final = [e for e in rows if e.status == EntryStatus.FINAL]
    pending = [e for e in rows if e.status in EntryStatus.pending()]
    if balance is None:
        scheme = PointScheme.in_force(year)
        base = scheme.base if scheme else 0
        return Explanation(None, base, final, pending)
    return Explanation(balance, balance.base, final, pending, balance.floor_adjustment)


def _in_paths(rows: QuerySet[Any], paths: list[str] | None) -> QuerySet[Any]:
    if paths is None:
        return rows
    q = Q(pk__in=[])
    for prefix in paths:
        q |= Q(org_path__startswith=prefix)
    return rows.filter(q)


def ranking(year: int, paths: list[str] | None) -> QuerySet[Any]:
    """Balances of ``year`` within the subtrees ``paths`` ranked by score: ties share a rank
    (1, 1, 3) and ``below`` is the share of members ranked below (0-1); equal scores are listed
    by member id (the order of the index, no join before the page is cut). For a whole export;
    a screen reads one page with :func:`ranking_page`."""
    rows = _in_paths(PointBalance.objects.filter(year=year), paths)
    return rows.select_related("member", "org").annotate(
        rank=Window(Rank(), order_by=F("score").desc()),
        below=Window(PercentRank(), order_by=F("score").asc()),
    ).order_by("-score", "member_id")


def ranking_page(year: int, paths: list[str] | None, offset: int, limit: int) -> list[Any]:
    """One page of :func:`ranking` in two queries whatever the subtree's size: the ranks are
    computed over the narrow balance rows only (year, org_path, score: the index) and cut to the
    page; then the page's rows are read with their member and branch."""
    narrow = _in_paths(PointBalance.objects.filter(year=year), paths).annotate(
        rank=Window(Rank(), order_by=F("score").desc()),
        below=Window(PercentRank(), order_by=F("score").asc()),
    ).order_by("-score", "member_id").values_list("pk", "rank", "below")[offset:offset + limit]
    page = list(narrow)
    rows = PointBalance.objects.select_related("member", "org").in_bulk([pk for pk, _r, _b in page])
    shown = []
    for pk, rank, below in page:
        row = rows[pk]
        row.rank, row.below = rank, below
        shown.append(row)
    return shown


@dataclass(frozen=True)
class Place:
    """One member's place in a subtree: ``rank`` (ties share it) and ``below`` (0-1)."""

    rank: int
    below: float


def rank_of(balance: PointBalance, paths: list[str] | None) -> Place:
    """The rank of one balance among the balances of its year in ``paths``: one grouped count
    over the index (how many score higher, lower and in all), never the whole ranking."""
    rows = _in_paths(PointBalance.objects.filter(year=balance.year), paths)
    counts = rows.aggregate(higher=Count("id", filter=Q(score__gt=balance.score)),
                            lower=Count("id", filter=Q(score__lt=balance.score)), total=Count("id"))
    total = counts["total"] or 1
    return Place(counts["higher"] + 1, counts["lower"] / (total - 1) if total > 1 else 0.0)


def branch_averages(year: int, paths: list[str] | None) -> list[dict[str, Any]]:
    """Average balance and member count per branch in the subtrees (one grouped query)."""
    rows = _in_paths(PointBalance.objects.filter(year=year), paths)
    return list(rows.values("org_id", "org__name").annotate(members=Count("id"), average=Avg("score"))
                .order_by("-average", "org__name"))
