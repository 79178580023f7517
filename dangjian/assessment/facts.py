"""The facts behind the automatic deductions and vetoes, read from the source modules.

Route chosen (issue 17 item 3): the assessment module reads the source modules' records
read-only here — the compliance engine's ``dangjian.meetings.rules.obligations`` and the
models of filings, rectification items, dues remittances and violation records — and never
their views. Each provider takes the organizations (id → path) and the year and returns, per
organization, the facts in date order, each with the evidence key of the record that caused
it and that record's page. The live grade is kept fresh by the core events of the same
modules (``receivers.py``), which mark the organization for the recompute job.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.assessment.choices import DeductionSource
from dangjian.core.periods import month_end


@dataclass(frozen=True)
class Fact:
    org_id: int
    day: dt.date
    label: str
    evidence: str
    url: str


@cache
def _detail_prefix(name: str) -> str:
    """``/x/y/`` of a detail URL named ``name`` taking one pk (reverse once, not per row)."""
    try:
        return reverse(name, args=[987654321]).replace("987654321", "{}")
    except NoReverseMatch:  # pragma: no cover - a source module not installed
        return ""


def detail_url(name: str, pk: object) -> str:
    prefix = _detail_prefix(name)
    return prefix.format(pk) if prefix else ""


def _in(paths: Iterable[str], field: str) -> Q:
    q = Q(pk__in=[])
    for prefix in paths:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


Orgs = dict[int, str]
Provider = Callable[[Orgs, int, dt.date, int], dict[int, list[Fact]]]


def _group(facts: Iterable[Fact]) -> dict[int, list[Fact]]:
    out: dict[int, list[Fact]] = defaultdict(list)
    for fact in sorted(facts, key=lambda f: (f.org_id, f.day, f.evidence)):
        out[fact.org_id].append(fact)
    return out


def _roots(orgs: Orgs) -> list[str]:
    """The fewest path prefixes covering ``orgs`` (a subtree is one prefix, not 10,000)."""
    roots: list[str] = []
    for path in sorted(orgs.values()):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def meetings_missed(orgs: Orgs, year: int, today: dt.date, threshold: int) -> dict[int, list[Fact]]:
    """Every 三会一课 obligation of the year overdue today (the compliance engine's verdict)."""
    from dangjian.meetings.choices import ComplianceStatus
    from dangjian.meetings.stored import obligations  # the stored rows (issue 20)

    end = min(dt.date(year, 12, 31), today)
    if end < dt.date(year, 1, 1):
        return {}
    url = reverse("meetings:compliance")
    items = obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=_roots(orgs),
                        org_ids=set(orgs))
    return _group(
        Fact(o.org_id, o.due_on, gettext("%(kind)s not held: %(period)s")
             % {"kind": o.kind.name, "period": o.period.label},
             f"meetings.meetingrequirement:{o.requirement.pk}@{o.period.key}", f"{url}?year={year}&org={o.org_id}")
        for o in items if o.status == ComplianceStatus.OVERDUE and o.org_id in orgs)


def filing_returned(orgs: Orgs, year: int, today: dt.date, threshold: int) -> dict[int, list[Fact]]:
    from dangjian.supervision.models import FilingRound

    rows = (FilingRound.objects.filter(filing__org_id__in=list(orgs), filing__year=year, decision="returned")
            .values_list("id", "filing_id", "filing__org_id", "filing__quarter", "number", "decided_at"))
    return _group(
        Fact(org_id, timezone.localdate(decided) if decided else dt.date(year, 12, 31),
             gettext("Filing %(year)s Q%(quarter)s returned (submission %(n)s)")
             % {"year": year, "quarter": quarter, "n": number},
             f"supervision.filinground:{pk}", detail_url("supervision:filing_detail", filing_id))
        for pk, filing_id, org_id, quarter, number, decided in rows if org_id in orgs)


def filing_late(orgs: Orgs, year: int, today: dt.date, threshold: int) -> dict[int, list[Fact]]:
    """A filing first submitted after its due day, or not submitted when its due day has passed."""
    from django.db.models import Min

    from dangjian.supervision.models import Filing

    rows = (Filing.objects.filter(org_id__in=list(orgs), year=year)
            .annotate(first=Min("rounds__submitted_at"))
            .values_list("id", "org_id", "quarter", "due_on", "first"))
    facts = []
    for pk, org_id, quarter, due_on, first in rows:
        if org_id not in orgs:
            continue
        submitted = timezone.localdate(first) if first else None
        if (submitted is not None and submitted > due_on) or (submitted is None and today > due_on):
            facts.append(Fact(org_id, due_on, gettext("Filing %(year)s Q%(quarter)s late (due %(due)s)")
                              % {"year": year, "quarter": quarter, "due": due_on.isoformat()},
                              f"supervision.filing:{pk}", detail_url("supervision:filing_detail", pk)))
    return _group(facts)


def rectification_late(orgs: Orgs, year: int, today: dt.date, threshold: int) -> dict[int, list[Fact]]:
    """A rectification item with its deadline in the year closed after it, or open past it."""
    from dangjian.meetings.models import RectificationItem
    from dangjian.supervision.models import InspectionRectification

    facts = []
    for model, url_name in ((RectificationItem, "meetings:rectification_detail"),
                            (InspectionRectification, "supervision:rectification_detail")):
        rows = (model.objects.filter(org_id__in=list(orgs), deadline__year=year)
                .filter(Q(closed_on__gt=F("deadline")) | (Q(closed_on__isnull=True) & Q(deadline__lt=today)))
                .values_list("id", "org_id", "deadline", "closed_on", "content"))
        for pk, org_id, deadline, _closed_on, content in rows:
            if org_id in orgs:
                facts.append(Fact(org_id, deadline, gettext("Rectification past its deadline %(day)s: %(what)s")
                                  % {"day": deadline.isoformat(), "what": content[:60]},
                                  f"{model._meta.label_lower}:{pk}", detail_url(url_name, pk)))
    return _group(facts)


def dues_late(orgs: Orgs, year: int, today: dt.date, threshold: int) -> dict[int, list[Fact]]:
    """A remittance for a period ending in the year, remitted more than ``threshold`` days after
    the period's last day."""
    from dangjian.dues.models import DuesRemittance

    rows = (DuesRemittance.objects.filter(from_org_id__in=list(orgs), period_end__year=year)
            .values_list("id", "from_org_id", "period_end", "remitted_on"))
    facts = []
    for pk, org_id, period_end, remitted_on in rows:
        due = month_end(period_end) + dt.timedelta(days=threshold)
        if org_id in orgs and remitted_on > due:
            facts.append(Fact(org_id, remitted_on, gettext("Dues remitted on %(day)s, due by %(due)s")
                              % {"day": remitted_on.isoformat(), "due": due.isoformat()},
                              f"dues.duesremittance:{pk}", detail_url("dues:remittance_detail", pk)))
    return _group(facts)


#: violation records that count (confirmed, or confirmed after a dismissed appeal)
COUNTED_VIOLATIONS = ("confirmed", "dismissed")


def _violations(orgs: Orgs, year: int) -> dict[int, list[tuple[int, dt.date, int, str]]]:
    from dangjian.points.models import ViolationRecord

    rows = (ViolationRecord.objects.filter(org_id__in=list(orgs), occurred_on__year=year,
                                           status__in=COUNTED_VIOLATIONS)
            .order_by("occurred_on", "id").values_list("id", "org_id", "occurred_on", "points", "kind__name"))
    out: dict[int, list[tuple[int, dt.date, int, str]]] = defaultdict(list)
    for pk, org_id, day, pts, name in rows:
        if org_id in orgs:
            out[org_id].append((pk, day, pts, name))
    return out


def violations_over(orgs: Orgs, year: int, today: dt.date, threshold: int) -> dict[int, list[Fact]]:
    """Once in the year: the organization's violation points pass ``threshold``; the evidence
    is the record that took the total above it."""
    out: dict[int, list[Fact]] = {}
    for org_id, rows in _violations(orgs, year).items():
        running = 0
        for pk, day, pts, _name in rows:
            running += pts
            if running > threshold:
                total = sum(r[2] for r in rows)
                out[org_id] = [Fact(org_id, day, gettext("Violation points %(total)s above %(threshold)s")
                                    % {"total": total, "threshold": threshold},
                                    f"points.violationrecord:{pk}", detail_url("points:violation_detail", pk))]
                break
    return out


def serious_violations(orgs: Orgs, year: int, threshold: int) -> dict[int, list[Fact]]:
    """Veto condition: a single violation of at least ``threshold`` points."""
    out: dict[int, list[Fact]] = defaultdict(list)
    for org_id, rows in _violations(orgs, year).items():
        for pk, day, pts, name in rows:
            if pts >= threshold:
                out[org_id].append(Fact(org_id, day, f"{name} ({pts})", f"points.violationrecord:{pk}",
                                        detail_url("points:violation_detail", pk)))
    return out


PROVIDERS: dict[str, Provider] = {
    DeductionSource.MEETINGS_MISSED: meetings_missed,
    DeductionSource.FILING_RETURNED: filing_returned,
    DeductionSource.FILING_LATE: filing_late,
    DeductionSource.RECTIFICATION_LATE: rectification_late,
    DeductionSource.DUES_REMITTANCE_LATE: dues_late,
    DeductionSource.VIOLATIONS_OVER: violations_over,
}
