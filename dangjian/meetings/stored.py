"""Stored obligations (issue 20 item 1): the compliance engine's verdicts kept as rows.

One source of truth: :func:`dangjian.meetings.rules.obligations` derives; this module stores
what it derives and keeps it current. A change recomputes only the (organization, year) slices
it touches — the engine run on exactly those organizations and that year (``only=``) — and
writes the difference, inside the transaction of the change:

- a meeting confirmed, amended, cancelled, moved or deleted (its old and new organization and
  year), and an attendance recorded on a confirmed meeting (``meetings.attendance_recorded``);
- an organization created or changed in what it owes by (kind, founding day, active), in every
  stored year (a move changes nothing stored: rows carry no path, readers join the organization);
- a committee post (owed-ness of committee meetings), a member's status (quorums counting full
  members only);
- a requirement, a year's settings or a meeting kind: every organization, every stored year the
  row can apply to (rare, heavy: a rule change).

Which years are stored: :class:`ObligationYear` rows (the migration stores last year, this year
and the next; ``manage.py rebuild_obligations --year`` adds one). A year not stored is derived
when asked, as before. :func:`obligations` answers like ``rules.obligations`` from the rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from dangjian.core.bulk import insert
from dangjian.core.periods import Period
from dangjian.meetings import rules
from dangjian.meetings.choices import ComplianceStatus, MeetingStatus
from dangjian.meetings.models import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    MeetingRules,
    Obligation,
    ObligationYear,
)
from dangjian.members.models import CommitteePost, Member
from dangjian.orgs.models import Organization

# --- Rows <-> derived obligations ------------------------------------------------------------------


def _refs(items: Iterable[rules.MeetingRef]) -> list[list[Any]]:
    return [[m.id, m.day.isoformat(), m.topic, m.quorum.expected, m.quorum.present, m.quorum.needed]
            for m in items]


def _key(row: Obligation) -> tuple[Any, ...]:
    return (row.org_id, row.requirement_id, row.period_start, row.period_end, row.window_start, row.due_on,
            row.remind_on, row.done, [list(m) for m in row.meetings], [list(m) for m in row.without_quorum])


def _row(ob: rules.Obligation) -> Obligation:
    return Obligation(org_id=ob.org_id, requirement_id=ob.requirement.pk, year=ob.period.start.year,
                      period_start=ob.period.start, period_end=ob.period.end, window_start=ob.window_start,
                      due_on=ob.due_on, remind_on=ob.remind_on or ob.due_on, done=ob.is_done,
                      meetings=_refs(ob.meetings), without_quorum=_refs(ob.without_quorum))


def derived_rows(year: int, *, only: Collection[int] | None = None) -> list[Obligation]:
    """What the engine derives for ``year`` (``only`` these organizations), as unsaved rows."""
    items = rules.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=dt.date(year, 1, 1),
                              only=only)
    return [_row(ob) for ob in items]


def stored_years() -> list[int]:
    return list(ObligationYear.objects.order_by("year").values_list("year", flat=True))


def refresh(org_ids: Collection[int] | None, years: Iterable[int]) -> int:
    """Recompute the slices of ``org_ids`` (``None``: every organization) in the stored ``years``
    and write the difference; the number of rows written or removed."""
    stored = set(stored_years())
    changed = 0
    for year in sorted(set(years) & stored):
        only = None if org_ids is None else set(org_ids)
        if only is not None and not only:
            continue
        new = {(r.org_id, r.requirement_id, r.period_start): r for r in derived_rows(year, only=only)}
        existing = Obligation.objects.filter(year=year)
        if only is not None:
            existing = existing.filter(org_id__in=list(only))
        old = {(r.org_id, r.requirement_id, r.period_start): r for r in existing}
        gone = [r.pk for k, r in old.items() if k not in new]
        add = [r for k, r in new.items() if k not in old]
        update = []
        for k, r in new.items():
            if k in old and _key(old[k]) != _key(r):
                r.pk = old[k].pk
                update.append(r)
        if gone:
            Obligation.objects.filter(pk__in=gone).delete()
        if add:
            insert(add, returning=False)
        if update:
            Obligation.objects.bulk_update(update, ["period_end", "window_start", "due_on", "remind_on", "done",
                                                    "meetings", "without_quorum"], batch_size=1000)
        changed += len(gone) + len(add) + len(update)
    return changed


def rebuild(years: Iterable[int]) -> int:
    """Store ``years`` from scratch (bulk: delete the year's rows, insert what the engine derives)."""
    total = 0
    with transaction.atomic():
        for year in sorted(set(years)):
            ObligationYear.objects.bulk_create([ObligationYear(year=year)], ignore_conflicts=True)  # derived: not audited
            Obligation.objects.filter(year=year).delete()
            rows = derived_rows(year)
            insert(rows, returning=False)
            total += len(rows)
    return total


def default_years(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return [today.year - 1, today.year, today.year + 1]


# --- Reading ----------------------------------------------------------------------------------------


def obligations(
    roots: Organization | Sequence[Organization] | None,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
    paths: Sequence[str] | None = None,
    org_ids: Collection[int] | None = None,
) -> list[rules.Obligation]:
    """``rules.obligations`` answered from the stored rows (the same obligations, the same order)
    for the stored years of [start, end]; years not stored are derived. Three queries for the
    stored part whatever the number of organizations: stored years, requirements and settings
    (the rule book), the rows joined to their organizations."""
    today = today or timezone.localdate()
    if roots is not None:
        root_list = [roots] if isinstance(roots, Organization) else list(roots)
        paths = [r.path for r in root_list]
    years = range(start.year, end.year + 1)
    stored = set(stored_years()) & set(years)
    result: list[rules.Obligation] = []
    for year in years:
        if year in stored:
            continue
        low, high = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        result.extend(rules.obligations(None, low, high, today=today, paths=paths, org_ids=org_ids))
    if not stored:
        return result
    book = rules.RuleBook()
    requirements = {r.pk: r for r in book.all_requirements()}
    rows = (Obligation.objects.filter(rules._subtree_q(paths, "org__path"), year__in=sorted(stored),
                                      period_end__gte=start, period_end__lte=end,
                                      requirement_id__in=list(requirements))
            .values_list("org_id", "org__name", "org__path", "org__kind", "requirement_id", "period_start",
                         "period_end", "window_start", "due_on", "remind_on", "done", "meetings", "without_quorum"))
    if org_ids is not None:
        rows = rows.filter(org_id__in=list(org_ids)) if len(org_ids) <= 500 else rows
    periods: dict[tuple[dt.date, dt.date, str], Period] = {}
    from_rows: list[rules.Obligation] = []
    for (org_id, name, path, kind, req_id, p_start, p_end, window, due_on, reminded, done,
         met, without) in rows.iterator(chunk_size=5000):
        if org_ids is not None and org_id not in org_ids:
            continue
        req = requirements[req_id]
        period = periods.get((p_start, p_end, req.frequency))
        if period is None:
            period = periods[(p_start, p_end, req.frequency)] = Period(p_start, p_end, req.frequency)
        status = rules.judged(done, due_on, today)
        from_rows.append(rules.Obligation(
            org_id=org_id, org_name=name, org_path=path, org_kind=kind, requirement=req, period=period,
            window_start=window, due_on=due_on, status=status,
            meetings=_meeting_refs(met, org_id, req, True), without_quorum=_meeting_refs(without, org_id, req, False),
            remind_on=reminded, due_soon=status == ComplianceStatus.DUE and reminded <= today,
        ))
    # The engine's order: by organization path, then requirement-period pairs year by year.
    order = {r.pk: i for i, r in enumerate(_requirement_order(book, years))}
    from_rows.sort(key=lambda o: (o.org_path, o.period.start.year, order.get(o.requirement.pk, 0), o.period.start))
    return sorted(result + from_rows, key=lambda o: (o.org_path, o.period.start.year)) if result else from_rows


def _requirement_order(book: rules.RuleBook, years: Iterable[int]) -> list[MeetingRequirement]:
    seen: list[MeetingRequirement] = []
    for year in years:
        for req in book.requirements(year):
            if req not in seen:
                seen.append(req)
    return seen


def _meeting_refs(refs: list[list[Any]], org_id: int, req: MeetingRequirement, met: bool) -> list[rules.MeetingRef]:
    kind = req.kind
    return [rules.MeetingRef(pk, org_id, kind.pk, dt.date.fromisoformat(day), topic,
                             rules.QuorumState(expected, present, needed, met, kind.quorum))
            for pk, day, topic, expected, present, needed in refs]


# --- Keeping the rows current: what changed -> which slices ------------------------------------


_local = threading.local()


def _paused() -> bool:
    return bool(getattr(_local, "paused", False))


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Suspend the upkeep for a bulk builder (the demo), which calls :func:`rebuild` after."""
    before = _paused()
    _local.paused = True
    try:
        yield
    finally:
        _local.paused = before


def _covered() -> set[int] | None:
    """Meetings whose last write in the current transaction was followed by a refresh of their
    slice (the set of this transaction on the default connection; ``None`` outside one). A
    confirmation refreshes on the meeting's save (or on its attendance batch, for meetings
    written in bulk); its ``meeting_confirmed`` event then finds the meeting here and refreshes
    nothing again. The set belongs to one transaction: it is keyed on the connection's list of
    on-commit hooks, which Django replaces when the transaction commits or rolls back (or a
    savepoint rolls back: the set is then dropped, the next event refreshes again)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return None
    state = getattr(_local, "covered", None)
    if state is None or state[0] is not connection.run_on_commit:
        state = _local.covered = (connection.run_on_commit, set())
    return state[1]  # type: ignore[no-any-return]


def _cover(meeting_ids: Iterable[int | None]) -> None:
    covered = _covered()
    if covered is not None:
        covered.update(pk for pk in meeting_ids if pk is not None)


def _meeting_year(starts_at: dt.datetime | None) -> int | None:
    return timezone.localdate(starts_at).year if starts_at is not None else None


def _before_meeting(sender: Any, instance: Meeting, **kwargs: Any) -> None:
    instance._obligation_before = (  # type: ignore[attr-defined]
        Meeting.objects.filter(pk=instance.pk).values_list("org_id", "kind_id", "starts_at", "status").first()
        if instance.pk else None)


def _after_meeting(sender: Any, instance: Meeting, **kwargs: Any) -> None:
    before = getattr(instance, "_obligation_before", None)
    now = (instance.org_id, instance.kind_id, instance.starts_at, instance.status)
    if before == now and not kwargs.get("created"):
        return
    if MeetingStatus.CONFIRMED not in {now[3], before[3] if before else None}:
        return  # neither was nor is evidence
    slices = {(state[0], year) for state in (before, now)
              if state is not None and (year := _meeting_year(state[2])) is not None}
    if _refresh_slices(slices):
        _cover([instance.pk])


def _deleted_meeting(sender: Any, instance: Meeting, **kwargs: Any) -> None:
    if instance.status == MeetingStatus.CONFIRMED:
        year = _meeting_year(instance.starts_at)
        if year is not None:
            _refresh_slices({(instance.org_id, year)})


def _refresh_slices(slices: set[tuple[int, int]]) -> bool:
    """Refresh these (organization, year) slices, one derivation per year; False when paused."""
    if _paused():
        return False
    by_year: dict[int, set[int]] = defaultdict(set)
    for org_id, year in slices:
        by_year[year].add(org_id)
    for year, orgs in by_year.items():
        refresh(orgs, [year])
    return True


def attendance_recorded(occurrence: Any) -> None:
    """``meetings.attendance_recorded`` (derive): a confirmed meeting's quorum may have changed."""
    attendance: Attendance = occurrence.evidence
    meeting = attendance.meeting
    if meeting.status == MeetingStatus.CONFIRMED:
        year = _meeting_year(meeting.starts_at)
        if year is not None and _refresh_slices({(meeting.org_id, year)}):
            _cover([meeting.pk])


def attendances_recorded(occurrences: list[Any]) -> None:
    """The batch form (a minutes book entered at once): each (organization, year) slice of a
    confirmed meeting refreshed once, whatever the number of its attendances."""
    slices = set()
    meetings = set()
    for occurrence in occurrences:
        meeting = occurrence.evidence.meeting
        if meeting.status == MeetingStatus.CONFIRMED:
            year = _meeting_year(meeting.starts_at)
            if year is not None:
                slices.add((meeting.org_id, year))
                meetings.add(meeting.pk)
    if slices and _refresh_slices(slices):
        _cover(meetings)


def meeting_confirmed(occurrence: Any) -> None:
    """``meetings.meeting_confirmed`` (derive): also meetings written in bulk (the minutes book
    entered from paper), which no model signal announces."""
    meeting: Meeting = occurrence.evidence
    covered = _covered()
    if covered is not None and meeting.pk in covered:
        return  # its save (or its attendance batch) already refreshed the slice in this transaction
    year = _meeting_year(meeting.starts_at)
    if year is not None and _refresh_slices({(meeting.org_id, year)}):
        _cover([meeting.pk])


def _before_org(sender: Any, instance: Organization, **kwargs: Any) -> None:
    instance._obligation_before = (  # type: ignore[attr-defined]
        Organization.objects.filter(pk=instance.pk).values_list("kind", "founded_on", "is_active").first()
        if instance.pk else None)


def _after_org(sender: Any, instance: Organization, **kwargs: Any) -> None:
    before = getattr(instance, "_obligation_before", None)
    if _paused() or (before == (instance.kind, instance.founded_on, instance.is_active) and not kwargs.get("created")):
        return
    refresh({instance.pk}, stored_years())


def _committee_changed(sender: Any, instance: CommitteePost, **kwargs: Any) -> None:
    if not _paused() and MeetingRequirement.objects.filter(needs_committee=True).exists():
        refresh({instance.org_id}, stored_years())


def _before_member(sender: Any, instance: Member, **kwargs: Any) -> None:
    instance._obligation_status = (  # type: ignore[attr-defined]
        Member.objects.filter(pk=instance.pk).values_list("status", flat=True).first() if instance.pk else None)


def _after_member(sender: Any, instance: Member, **kwargs: Any) -> None:
    """A member's status counts in the quorum of kinds that count full members only."""
    if _paused() or kwargs.get("created") or getattr(instance, "_obligation_status", instance.status) == instance.status:
        return
    years = stored_years()
    if not years:
        return
    rows = (Meeting.objects.filter(attendances__member=instance, attendances__expected=True,  # scope-ok: derivation
                                   status=MeetingStatus.CONFIRMED, kind__quorum_voting_only=True)
            .values_list("org_id", "starts_at").distinct())
    _refresh_slices({(org_id, timezone.localdate(starts).year) for org_id, starts in rows})


def _rules_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Every stored year: a year's rows apply to later years without rows of their own, and the
    first year's to the years before it (``RulesTable.first_row_applies_before``)."""
    if not _paused():
        refresh(None, stored_years())


def connect() -> None:
    """Subscribe (from the app's ``ready``): events where the meetings module sends one, model
    signals for the rest (a meeting's own save covers confirmation, amendment and cancellation,
    also of rows written without the services)."""
    from dangjian.meetings import signals

    signals.attendance_recorded.derive(attendance_recorded)
    signals.attendance_recorded.batch_for(attendance_recorded)(attendances_recorded)
    signals.meeting_confirmed.derive(meeting_confirmed)
    uid = "meetings.stored"
    pre_save.connect(_before_meeting, sender=Meeting, dispatch_uid=f"{uid}.meeting.pre")
    post_save.connect(_after_meeting, sender=Meeting, dispatch_uid=f"{uid}.meeting.post")
    post_delete.connect(_deleted_meeting, sender=Meeting, dispatch_uid=f"{uid}.meeting.delete")
    pre_save.connect(_before_org, sender=Organization, dispatch_uid=f"{uid}.org.pre")
    post_save.connect(_after_org, sender=Organization, dispatch_uid=f"{uid}.org.post")
    post_save.connect(_committee_changed, sender=CommitteePost, dispatch_uid=f"{uid}.post.save")
    post_delete.connect(_committee_changed, sender=CommitteePost, dispatch_uid=f"{uid}.post.delete")
    pre_save.connect(_before_member, sender=Member, dispatch_uid=f"{uid}.member.pre")
    post_save.connect(_after_member, sender=Member, dispatch_uid=f"{uid}.member.post")
    for model in (MeetingRequirement, MeetingRules, MeetingKind):
        post_save.connect(_rules_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}.save")
        post_delete.connect(_rules_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}.delete")

