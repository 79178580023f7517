"""Computations of organizational life: periods, quorum, and the compliance engine.

``obligations`` is the one function that says, for any subtree and date range, what every
organization owed (derived from the per-year :class:`MeetingRequirement` rows), which
confirmed meetings satisfy each obligation, and whether it is done, due or overdue. It costs a
constant number of queries whatever the number of organizations: one aggregate query over the
path prefix per table, then plain Python.

Rules (DOMAIN.md 2.1, 2.2; defaults marked [I] there are data, not code):
- periods are calendar months, quarters, half-years and years; an obligation belongs to the
  year its period starts in and uses that year's requirements (else the latest earlier year's);
- an organization founded inside a period owes only from its founding day; one founded after
  the period owes nothing for it; inactive organizations owe nothing;
- only confirmed meetings count, and a meeting whose kind has a quorum counts only if it met it;
- an obligation not done is *due* until its deadline (the period end, or earlier when the
  requirement says so) and *overdue* only after it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from dangjian.core.periods import Period, month_end, periods_ending_between, periods_of_year
from dangjian.meetings.choices import AttendanceStatus, ComplianceStatus, Frequency, MeetingStatus, Quorum
from dangjian.meetings.models import Meeting, MeetingKind, MeetingRequirement, MeetingRules
from dangjian.members.choices import MemberStatus, Post
from dangjian.members.models import CommitteePost
from dangjian.orgs.models import Organization

# --- Periods -----------------------------------------------------------------------------------
# Calendar periods are core's (dangjian.core.periods); the compliance matrix shows months or quarters.


def columns(year: int, granularity: str) -> list[Period]:
    """The matrix columns of a year: its months or its quarters."""
    return periods_of_year(year, Frequency.QUARTER if granularity == "quarter" else Frequency.MONTH)


# --- Quorum ------------------------------------------------------------------------------------


def quorum_met(quorum: str, expected: int, present: int) -> bool:
    """Whether ``present`` of ``expected`` satisfies the kind's quorum (DOMAIN.md 2.2).

    A 支委会 (more than half) with half or fewer present fails; a 党员大会 needs at least half
    of the voting members; a 民主生活会 at least two thirds. Nobody expected fails any quorum.
    """
    if quorum == Quorum.NONE:
        return True
    if expected <= 0:
        return False
    if quorum == Quorum.AT_LEAST_HALF:
        return present * 2 >= expected
    if quorum == Quorum.MORE_THAN_HALF:
        return present * 2 > expected
    if quorum == Quorum.TWO_THIRDS:
        return present * 3 >= expected * 2
    raise ValueError(f"unknown quorum {quorum!r}")


def quorum_needed(quorum: str, expected: int) -> int:
    """The smallest number present that meets the quorum (for display)."""
    for present in range(expected + 1):
        if quorum_met(quorum, expected, present):
            return present
    return expected + 1


def attendance_counts() -> dict[str, Count]:
    """Aggregates of a meeting's attendance, for ``annotate`` (one GROUP BY query)."""
    expected = Q(attendances__expected=True)
    present = expected & Q(attendances__status=AttendanceStatus.PRESENT)
    full = Q(attendances__member__status=MemberStatus.FULL)
    return {
        "n_expected": Count("attendances", filter=expected),
        "n_present": Count("attendances", filter=present),
        "n_expected_full": Count("attendances", filter=expected & full),
        "n_present_full": Count("attendances", filter=present & full),
        "n_excused": Count("attendances", filter=expected & Q(attendances__status=AttendanceStatus.EXCUSED)),
        "n_absent": Count("attendances", filter=expected & Q(attendances__status=AttendanceStatus.ABSENT)),
    }


@dataclass(frozen=True)
class QuorumState:
    expected: int
    present: int
    needed: int
    met: bool
    rule: str


def quorum_state(kind: MeetingKind, counts: dict[str, int] | Any) -> QuorumState:
    """The quorum of one meeting from its annotated counts."""
    def get(key: str) -> Any:
        return (counts.get(key) if isinstance(counts, dict) else getattr(counts, key)) or 0

    if kind.quorum_voting_only:
        expected, present = int(get("n_expected_full")), int(get("n_present_full"))
    else:
        expected, present = int(get("n_expected")), int(get("n_present"))
    return QuorumState(expected, present, quorum_needed(kind.quorum, expected),
                       quorum_met(kind.quorum, expected, present), kind.quorum)


# --- Requirements per year -------------------------------------------------------------------------


class RuleBook:
    """All requirement rows and settings rows, loaded once (two queries), answered per year."""

    def __init__(self) -> None:
        by_year: dict[int, list[MeetingRequirement]] = defaultdict(list)
        for req in MeetingRequirement.objects.select_related("kind").filter(kind__is_active=True):
            by_year[req.year].append(req)
        self._requirements = dict(by_year)
        self._settings = {r.year: r for r in MeetingRules.objects.all()}

    def requirements(self, year: int) -> list[MeetingRequirement]:
        chosen = MeetingRequirement.pick(self._requirements, year)
        return self._requirements.get(chosen, []) if chosen is not None else []

    def settings(self, year: int) -> MeetingRules:
        chosen = MeetingRules.pick(self._settings, year)
        return self._settings[chosen] if chosen is not None else MeetingRules(year=year)

    def all_requirements(self) -> list[MeetingRequirement]:
        return [r for reqs in self._requirements.values() for r in reqs]


# --- The compliance engine -------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRef:
    """A confirmed meeting as evidence of an obligation."""

    id: int
    org_id: int
    kind_id: int
    day: dt.date
    topic: str
    quorum: QuorumState


@dataclass
class Obligation:
    """What one organization owed for one requirement in one period, and how it stands."""

    org_id: int
    org_name: str
    org_path: str
    org_kind: str
    requirement: MeetingRequirement
    period: Period
    window_start: dt.date
    due_on: dt.date
    status: str
    meetings: list[MeetingRef] = field(default_factory=list)
    without_quorum: list[MeetingRef] = field(default_factory=list)
    #: The first day it is reminded of (DOMAIN.md 2.1: a calendar date, or days before the deadline).
    remind_on: dt.date | None = None
    #: Still due and inside its reminder window: shown as 即将到期, not only in the inbox.
    due_soon: bool = False

    @property
    def kind(self) -> MeetingKind:
        return self.requirement.kind

    @property
    def needed(self) -> int:
        return self.requirement.times

    @property
    def is_done(self) -> bool:
        return self.status == ComplianceStatus.DONE

    @property
    def status_label(self) -> str:
        if self.due_soon:
            return str(DUE_SOON_LABEL)
        return str(ComplianceStatus(self.status).label)

    @property
    def state(self) -> str:
        """The cell state: done, due, due_soon or overdue."""
        return "due_soon" if self.due_soon else str(self.status)


#: The visible state of an obligation still due inside its reminder window.
DUE_SOON_LABEL = pgettext_lazy("compliance", "Due soon")


def remind_on(req: MeetingRequirement, period: Period, due_on: dt.date, book: RuleBook) -> dt.date:
    """The first day an obligation is reminded of: the requirement's calendar date in the
    period's year when it has one (组织生活会: from 10-01), else its days before the deadline,
    else the year's default horizon (DOMAIN.md 2.1)."""
    on_date = req.remind_from(period.end.year)
    if on_date is not None:
        return min(on_date, due_on)
    horizon = req.remind_days if req.remind_days is not None else book.settings(period.start.year).reminder_days
    return due_on - dt.timedelta(days=horizon)


def owed_from(founded: dt.date | None, settings: MeetingRules) -> dt.date | None:
    """The first day an organization founded on ``founded`` owes meetings: its first full
    month when the year's settings say so (founded on the 1st: that day), else the founding day."""
    if founded is None or founded.day == 1 or not settings.owe_from_first_full_month:
        return founded
    return month_end(founded) + dt.timedelta(days=1)


def _path_q(paths: Sequence[str] | None, field_name: str) -> Q:
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for prefix in paths:
        q |= Q(**{f"{field_name}__startswith": prefix})
    return q


def _subtree_q(paths: Sequence[str] | None, field_name: str) -> Q:
    """Like :func:`_path_q`, as a range of the path index on SQLite (whose case-insensitive LIKE
    cannot use an index): ``prefix <= path < prefix's successor``. PostgreSQL keeps ``LIKE
    'prefix%'``, which its pattern-ops index serves."""
    if paths is None or connection.vendor != "sqlite":
        return _path_q(paths, field_name)
    q = Q(pk__in=[])
    for prefix in paths:
        if not prefix:
            return Q()
        q |= Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": prefix[:-1] + chr(ord(prefix[-1]) + 1)})
    return q


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def _committee_sizes(paths: Sequence[str] | None, start: dt.date, end: dt.date,
                     only: Collection[int] | None = None) -> dict[int, list[tuple[int, dt.date, dt.date | None]]]:
    """Committee posts (not group leaders) held at some time in [start, end], per organization."""
    posts = (
        CommitteePost.objects.filter(_path_q(paths, "org__path"), Q(org_id__in=list(only)) if only is not None else Q())
        .exclude(post=Post.GROUP_LEADER)
        .filter(started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list("org_id", "member_id", "started_on", "ended_on")
    )
    by_org: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for org_id, member_id, started, ended in posts:
        by_org[org_id].append((member_id, started, ended))
    return by_org


def _has_committee(posts: list[tuple[int, dt.date, dt.date | None]], day: dt.date, minimum: int) -> bool:
    holders = {m for m, started, ended in posts if started <= day and (ended is None or ended >= day)}
    return len(holders) >= minimum


def judged(done: bool, due_on: dt.date, today: dt.date) -> ComplianceStatus:
    """An obligation's status on ``today``: done, else overdue after its due day, else due
    (the engine, the stored rows and their aggregates judge alike)."""
    if done:
        return ComplianceStatus.DONE
    return ComplianceStatus.OVERDUE if today > due_on else ComplianceStatus.DUE


def obligations(
    roots: Organization | Sequence[Organization] | None,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
    paths: Sequence[str] | None = None,
    org_ids: Collection[int] | None = None,
    only: Collection[int] | None = None,
) -> list[Obligation]:
    """Every obligation of the subtrees of ``roots`` (or of the org ``paths``; ``None`` for both
    means the whole tree) whose period ends in [start, end], matched to confirmed meetings.

    Five queries, whatever the number of organizations: requirements, settings, organizations,
    committee posts, and the meetings with their attendance counts. ``org_ids``: only these
    organizations of the subtrees (a grading job's chunk; the queries stay by path prefix).
    ``only``: exactly these organizations, the queries narrowed by id (the stored obligations'
    refresh of one (organization, year) slice: :mod:`dangjian.meetings.stored`).
    """
    today = today or timezone.localdate()
    if roots is not None:
        root_list = [roots] if isinstance(roots, Organization) else list(roots)
        paths = [r.path for r in root_list]
    book = RuleBook()
    # Which (requirement, period) pairs fall in the range, year by year.
    pairs: list[tuple[MeetingRequirement, Period]] = []
    for year in range(start.year, end.year + 1):
        year_start, year_end = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        for req in book.requirements(year):
            for period in periods_ending_between(req.frequency, year_start, year_end):
                pairs.append((req, period))
    if not pairs:
        return []
    org_kinds = {k for req, _ in pairs for k in req.org_kind_list}
    first_day = min(p.start for _, p in pairs)
    last_day = max(p.end for _, p in pairs)

    narrow = Q(pk__in=list(only)) if only is not None else Q()
    orgs = list(
        Organization.objects.filter(_path_q(paths, "path"), narrow, kind__in=org_kinds, is_active=True)
        .order_by("path").values("id", "name", "path", "kind", "founded_on")
    )
    if org_ids is not None:
        orgs = [o for o in orgs if o["id"] in org_ids]
    if not orgs:
        return []
    committee_posts: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
    if any(req.needs_committee for req, _ in pairs):
        committee_posts = _committee_sizes(paths, first_day, last_day, only)

    low, high = _local_bounds(first_day, last_day)
    kinds = {req.kind_id: req.kind for req, _ in pairs}
    meeting_rows = (
        Meeting.objects.filter(_path_q(paths, "org__path"), Q(org_id__in=[o["id"] for o in orgs]) if only is not None else Q(),
                               status=MeetingStatus.CONFIRMED,
                               kind_id__in=list(kinds), starts_at__gte=low, starts_at__lt=high)
        .values("id", "org_id", "kind_id", "starts_at", "topic")
        .annotate(**attendance_counts())
        .order_by("starts_at", "id")
    )
    meetings: dict[tuple[int, int], list[MeetingRef]] = defaultdict(list)
    for row in meeting_rows:
        kind = kinds[row["kind_id"]]
        ref = MeetingRef(row["id"], row["org_id"], row["kind_id"], timezone.localdate(row["starts_at"]),
                         row["topic"], quorum_state(kind, row))
        meetings[(row["org_id"], row["kind_id"])].append(ref)

    result: list[Obligation] = []
    for org in orgs:
        founded: dt.date | None = org["founded_on"]
        for req, period in pairs:
            if org["kind"] not in req.org_kind_list:
                continue
            owes_from = owed_from(founded, book.settings(period.start.year))
            if owes_from and owes_from > period.end:
                continue
            window_start = max(period.start, founded) if founded else period.start
            if req.needs_committee:
                minimum = book.settings(period.start.year).committee_min_members
                if not _has_committee(committee_posts.get(org["id"], []), period.end, minimum):
                    continue
            due_on = period.end - dt.timedelta(days=req.due_days_before_end)
            held = [m for m in meetings.get((org["id"], req.kind_id), ()) if window_start <= m.day <= period.end]
            valid = [m for m in held if m.quorum.met]
            status = judged(len(valid) >= req.times, due_on, today)
            reminded = remind_on(req, period, due_on, book)
            result.append(Obligation(
                org_id=org["id"], org_name=org["name"], org_path=org["path"], org_kind=org["kind"],
                requirement=req, period=period, window_start=window_start, due_on=due_on, status=status,
                meetings=valid, without_quorum=[m for m in held if not m.quorum.met],
                remind_on=reminded, due_soon=status == ComplianceStatus.DUE and reminded <= today,
            ))
    return result


# --- Summaries over obligations --------------------------------------------------------------------


@dataclass
class Tally:
    done: int = 0
    due: int = 0
    overdue: int = 0
    #: Of ``due``, those inside their reminder window (即将到期).
    due_soon: int = 0

    def add(self, status: str, due_soon: bool = False) -> None:
        setattr(self, str(status), getattr(self, str(status)) + 1)
        if due_soon:
            self.due_soon += 1

    @property
    def total(self) -> int:
        return self.done + self.due + self.overdue

    @property
    def due_later(self) -> int:
        """Still due, the reminder window not yet open."""
        return self.due - self.due_soon

    @property
    def rate(self) -> float | None:
        """Done among the obligations already decided (done or overdue); None when none are."""
        decided = self.done + self.overdue
        return None if decided == 0 else self.done / decided


@dataclass
class MatrixRow:
    org_id: int
    org_name: str
    org_path: str
    depth: int
    cells: list[list[Obligation]]
    tally: Tally


@dataclass
class Matrix:
    """Organizations x periods, each cell the obligations whose period ends in that column."""

    columns: list[Period]
    rows: list[MatrixRow]
    by_kind: dict[str, Tally]
    total: Tally


def matrix(items: list[Obligation], cols: list[Period]) -> Matrix:
    rows: dict[int, MatrixRow] = {}
    by_kind: dict[str, Tally] = {}
    total = Tally()
    for ob in items:
        row = rows.get(ob.org_id)
        if row is None:
            row = rows[ob.org_id] = MatrixRow(ob.org_id, ob.org_name, ob.org_path, len(ob.org_path) // 4,
                                              [[] for _ in cols], Tally())
        for i, col in enumerate(cols):
            if col.start <= ob.period.end <= col.end:
                row.cells[i].append(ob)
                break
        row.tally.add(ob.status, ob.due_soon)
        by_kind.setdefault(ob.kind.name, Tally()).add(ob.status, ob.due_soon)
        total.add(ob.status, ob.due_soon)
    return Matrix(cols, sorted(rows.values(), key=lambda r: r.org_path), by_kind, total)


@dataclass
class RollupRow:
    """One organization and everything below it, summed: a unit committee's line of the matrix
    at committee level, expanded by opening the matrix of that committee."""

    org_id: int
    org_name: str
    org_path: str
    org_kind: str
    cells: list[Tally]
    tally: Tally
    branches: int = 0


def rollup(items: list[Obligation], cols: list[Period], units: Sequence[tuple[int, str, str, str]]) -> list[RollupRow]:
    """Sum the obligations per unit (``(id, name, path, kind)`` of each child of the matrix's
    root) and column; the obligations of the root itself are not in any unit."""
    rows = [RollupRow(uid, name, path, kind, [Tally() for _ in cols], Tally()) for uid, name, path, kind in units]
    by_prefix = sorted(rows, key=lambda r: -len(r.org_path))
    seen: dict[int, set[int]] = defaultdict(set)
    for ob in items:
        row = next((r for r in by_prefix if ob.org_path.startswith(r.org_path)), None)
        if row is None:
            continue
        for i, col in enumerate(cols):
            if col.start <= ob.period.end <= col.end:
                row.cells[i].add(ob.status, ob.due_soon)
                break
        row.tally.add(ob.status, ob.due_soon)
        seen[row.org_id].add(ob.org_id)
    for row in rows:
        row.branches = len(seen[row.org_id])
    return [r for r in rows if r.tally.total]


def reminders(items: list[Obligation], today: dt.date, book: RuleBook | None = None) -> list[Obligation]:
    """Obligations not done whose reminder window has opened by ``today`` (DOMAIN.md 2.1), or
    already past their deadline."""
    book = book or RuleBook()
    result = []
    for ob in items:
        if ob.is_done:
            continue
        opens = ob.remind_on or remind_on(ob.requirement, ob.period, ob.due_on, book)
        if today > ob.due_on or opens <= today:
            result.append(ob)
    return sorted(result, key=lambda o: (o.due_on, o.org_path))
