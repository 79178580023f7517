"""Writes of the points ledger: keyword-only, actor first, lock, re-check, audit.

Every write that changes what a member's year counts takes the member's :class:`PointBalance`
row ``FOR UPDATE`` first: entries of one member and year are serialized, so a cap holds under
concurrency and the balance stays the sum of the final entries.

The governed flow (DOMAIN.md 5.1, 公安分局党员积分管理办法): a scorer records a manual award (or a
member claims an item with evidence) -> the member confirms -> the branch approves (someone other
than the scorer) -> the branch publishes the month (公示) -> members may object within the window
(default 3 working days) and the branch answers -> entries become final and count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.attachments import store
from dangjian.core.bulk import insert
from dangjian.core.errors import RuleError
from dangjian.core.periods import month_start
from dangjian.core.scoping import covers
from dangjian.points.choices import EntryKind, EntryStatus, ObjectionOutcome, Trigger
from dangjian.points.models import (
    EntryAttachment,
    Objection,
    OrgPointSettings,
    PointBalance,
    PointCategory,
    PointEntry,
    PointRule,
    PointScheme,
    Publication,
    ViolationKind,
)

EVIDENCE_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx", "txt")
EVIDENCE_MAX_MB = 10


# --- rules ---------------------------------------------------------------------------------


def scheme_for(year: int) -> PointScheme:
    scheme = PointScheme.in_force(year)
    if scheme is None:
        raise RuleError(gettext("No points scheme is configured for %(year)s.") % {"year": year})
    return scheme


def rules_for(year: int, *triggers: str) -> list[PointRule]:
    """The active rules in force for ``year`` written by ``triggers``."""
    rows = PointRule.rows_in_force(year, PointRule.objects.select_related("category"))
    return list(rows.filter(is_active=True, trigger__in=triggers))


def add_working_days(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days`` working days (Monday to Friday; public holidays are not modelled)."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def settings_for(org: Any) -> OrgPointSettings | None:
    """The organization's own switches, else the nearest ancestor's (both off without any)."""
    paths = [org.path[:i] for i in range(len(org.path), 0, -org.steplen)]
    rows = {s.org.path: s for s in OrgPointSettings.objects.select_related("org").filter(org__path__in=paths)}
    return next((rows[p] for p in paths if p in rows), None)


@transaction.atomic
def copy_catalog(*, actor: Any, year: int) -> int:
    """Open ``year``'s catalog as a copy of the latest earlier year's (scheme, categories, rules,
    violation kinds). Past years keep their rows; a year that has rows is refused."""
    if PointScheme.objects.select_for_update().filter(year=year).exists():
        raise RuleError(gettext("The catalog of %(year)s already exists.") % {"year": year}, field="year")
    source = PointScheme.objects.filter(year__lt=year).order_by("-year").first()
    if source is None:
        raise RuleError(gettext("There is no earlier catalog to copy."), field="year")
    old = source.year
    scheme = PointScheme.objects.get(pk=source.pk)
    scheme.pk = None
    scheme._state.adding = True
    scheme.year, scheme.version, scheme.source = year, 1, gettext("Copied from %(year)s") % {"year": old}
    scheme.save()
    copied = 1
    categories = {}
    for cat in PointCategory.objects.filter(year=old):
        old_pk = cat.pk
        cat.pk, cat.year, cat.version = None, year, 1
        cat._state.adding = True
        cat.save()
        categories[old_pk] = cat
        copied += 1
    for rule in PointRule.objects.filter(year=old):
        rule.pk, rule.year, rule.version, rule.category = None, year, 1, categories[rule.category_id]
        rule._state.adding = True
        rule.save()
        copied += 1
    for kind in ViolationKind.objects.filter(year=old):
        kind.pk, kind.year, kind.version = None, year, 1
        kind._state.adding = True
        kind.save()
        copied += 1
    return copied


# --- the balance and the one way entries are written ---------------------------------------


def locked_balance(member: Any, year: int) -> PointBalance:
    """The member's balance row for ``year``, created if needed, locked ``FOR UPDATE``."""
    row = PointBalance.objects.select_for_update().filter(member=member, year=year).first()
    if row is not None:
        return row
    scheme = scheme_for(year)
    try:
        with transaction.atomic():
            PointBalance(member=member, year=year, org_id=member.org_id, org_path=member.org.path, scheme=scheme,
                         base=scheme.base, floor=scheme.floor, score=max(scheme.floor, scheme.base)).save()
    except IntegrityError:
        pass  # created by a concurrent write: lock that one
    return PointBalance.objects.select_for_update().get(member=member, year=year)


def rehome_balances(*, member: Any, from_year: int) -> int:
    """Move the member's balances of ``from_year`` and later to their current branch (locked,
    saved one by one so each move is audited); returns how many moved."""
    member = _member(member.pk)
    moved = 0
    for row in PointBalance.objects.select_for_update().filter(member=member, year__gte=from_year)\
            .exclude(org_id=member.org_id).order_by("year"):
        row.org_id, row.org_path = member.org_id, member.org.path
        row.save()
        moved += 1
    return moved


def _settle(balance: PointBalance, member: Any, *, ledger: int = 0, pending: int = 0) -> None:
    _add(balance, member, ledger=ledger, pending=pending)
    balance.save()


def _add(balance: PointBalance, member: Any, *, ledger: int = 0, pending: int = 0) -> None:
    balance.ledger += ledger
    balance.pending += pending
    balance.score = max(balance.floor, balance.base + balance.ledger)
    if balance.org_id != member.org_id:
        balance.org, balance.org_path = member.org, member.org.path


def _cap(member: Any, rule: PointRule, year: int, raw: int) -> tuple[int, str]:
    """What of ``raw`` the category's yearly cap still lets count (the balance row is locked)."""
    cap = rule.category.cap
    if raw <= 0 or cap is None:
        return raw, ""
    used = _counted_toward_caps().filter(
        member=member, year=year, rule__category__code=rule.category.code,
    ).aggregate(s=Sum("points"))["s"] or 0
    return _within_cap(rule, used, raw)


def _counted_toward_caps() -> Any:
    """The entries a category's yearly cap counts: live, positive, not reversals, not rejected."""
    return PointEntry.objects.filter(live=True, points__gt=0).exclude(kind=EntryKind.REVERSAL)\
        .exclude(status=EntryStatus.REJECTED)


def _within_cap(rule: PointRule, used: int, raw: int) -> tuple[int, str]:
    cap = rule.category.cap
    if raw <= 0 or cap is None:
        return raw, ""
    counted = max(0, min(raw, cap - used))
    if counted == raw:
        return raw, ""
    return counted, gettext("Yearly cap of %(cap)s points for %(category)s reached (%(used)s already counted): "
                            "%(counted)s of %(raw)s points counted.") % {
        "cap": cap, "category": rule.category.name, "used": used, "counted": counted, "raw": raw}


def _write(*, actor: Any, member: Any, rule: PointRule, day: dt.date, kind: str, status: str,
           evidence: str = "", evidence_label: str = "", note: str = "", multiplier: int = 1,
           balance: PointBalance | None = None) -> PointEntry:
    balance = balance or locked_balance(member, day.year)
    raw = rule.points * multiplier
    points, reason = _cap(member, rule, day.year, raw)
    now = timezone.now()
    entry = PointEntry(member=member, org_id=member.org_id, rule=rule, year=day.year, month=month_start(day),
                       kind=kind, rule_points=raw, points=points, capped_reason=reason, evidence=evidence,
                       evidence_label=evidence_label[:200], note=note[:300], status=status, recorded_by=actor,
                       final_at=now if status == EntryStatus.FINAL else None)
    entry.save()
    if status == EntryStatus.FINAL:
        _settle(balance, member, ledger=points)
    else:
        _settle(balance, member, pending=points)
    return entry


def _member(entry_or_member: Any) -> Any:
    from dangjian.members.models import Member

    return Member.objects.select_related("org").get(pk=entry_or_member)


def _finalize(entry: PointEntry, balance: PointBalance) -> None:
    entry.status, entry.final_at = EntryStatus.FINAL, timezone.now()
    entry.save()
    _settle(balance, entry.member, ledger=entry.points, pending=-entry.points)


def _reject(entry: PointEntry, balance: PointBalance, note: str = "") -> None:
    entry.status, entry.live = EntryStatus.REJECTED, False
    if note:
        entry.note = note[:300]
    entry.save()
    _settle(balance, entry.member, pending=-entry.points)


def _reverse(*, actor: Any, entry: PointEntry, reason: str, balance: PointBalance) -> PointEntry:
    reversal = PointEntry(member=entry.member, org_id=entry.member.org_id, rule=entry.rule, year=entry.year,
                          month=entry.month, kind=EntryKind.REVERSAL, rule_points=-entry.points, points=-entry.points,
                          evidence=f"points.pointentry:{entry.pk}", evidence_label=str(entry.rule.description),
                          note=reason[:300], status=EntryStatus.FINAL, live=False, reverses=entry, recorded_by=actor,
                          final_at=timezone.now())
    reversal.save()
    entry.live = False
    entry.save()
    _settle(balance, entry.member, ledger=reversal.points)
    return reversal


def _locked_entry(entry: PointEntry) -> tuple[PointEntry, PointBalance]:
    balance = locked_balance(_member(entry.member_id), entry.year)
    fresh = PointEntry.objects.select_related("member__org", "rule__category", "publication").get(pk=entry.pk)
    if fresh.version != entry.version:
        from dangjian.core.models import VersionConflict

        raise VersionConflict
    return fresh, balance


# --- automatic entries (derive receivers) ---------------------------------------------------


def derive(*, actor: Any, rule: PointRule, member: Any, evidence: str, evidence_label: str, day: dt.date,
           multiplier: int = 1) -> PointEntry:
    """The automatic entry of (rule, evidence, member): written once; a replay returns it."""
    member = _member(member.pk)
    balance = locked_balance(member, day.year)
    existing = PointEntry.objects.filter(rule=rule, evidence=evidence, member=member, live=True).first()
    if existing is not None:
        return existing
    return _write(actor=actor, member=member, rule=rule, day=day, kind=EntryKind.AUTOMATIC, status=EntryStatus.FINAL,
                  evidence=evidence, evidence_label=evidence_label, multiplier=multiplier, balance=balance)


@dataclass(frozen=True)
class Derivation:
    """One automatic entry wanted by a batch receiver: what :func:`derive` takes."""

    rule: PointRule
    member_id: int
    evidence: str
    evidence_label: str
    day: dt.date


def derive_many(*, actor: Any, wanted: Sequence[Derivation]) -> list[PointEntry]:
    """The automatic entries of many (rule, evidence, member) at once, as :func:`derive` one by
    one would write them (same caps in the same order, same balances, one audit entry per row),
    in a number of statements that does not grow with the rows: the members' balances are
    locked ``FOR UPDATE`` together, entries and new balances are bulk-written and audited with
    :func:`audit.record_created`, changed balances with :func:`audit.record_updated`. Returns
    the entries written (replays of live entries are skipped)."""
    from dangjian.core import audit
    from dangjian.members.models import Member

    if not wanted:
        return []
    members = Member.objects.select_related("org").in_bulk({w.member_id for w in wanted})
    years = {w.day.year for w in wanted}
    balances = _locked_balances(members, {(w.member_id, w.day.year) for w in wanted})
    before = {key: audit.snapshot(row) for key, row in balances.items()}
    seen = set(PointEntry.objects.filter(evidence__in={w.evidence for w in wanted}, live=True)
               .values_list("rule_id", "evidence", "member_id"))
    codes = {w.rule.category.code for w in wanted if w.rule.category.cap is not None}
    used: dict[tuple[int, int, str], int] = defaultdict(int)
    if codes:
        for row in _counted_toward_caps().filter(member_id__in=list(members), year__in=years,
                                                 rule__category__code__in=codes)\
                .values("member_id", "year", "rule__category__code").annotate(s=Sum("points")):
            used[row["member_id"], row["year"], row["rule__category__code"]] = row["s"] or 0
    now = timezone.now()
    entries = []
    for w in wanted:
        if (w.rule.pk, w.evidence, w.member_id) in seen:
            continue
        seen.add((w.rule.pk, w.evidence, w.member_id))
        member, year = members[w.member_id], w.day.year
        cap_key = (w.member_id, year, w.rule.category.code)
        points, reason = _within_cap(w.rule, used[cap_key], w.rule.points)
        if points > 0:
            used[cap_key] += points
        entries.append(PointEntry(
            member=member, org=member.org, rule=w.rule, year=year, month=month_start(w.day),
            kind=EntryKind.AUTOMATIC, rule_points=w.rule.points, points=points, capped_reason=reason,
            evidence=w.evidence, evidence_label=w.evidence_label[:200], status=EntryStatus.FINAL,
            recorded_by=actor if getattr(actor, "pk", None) else None, final_at=now))
        _add(balances[w.member_id, year], member, ledger=points)
    insert(entries)
    audit.record_created(entries)
    changed = [(row, before[key]) for key, row in balances.items() if audit.snapshot(row) != before[key]]
    for row, _before in changed:
        row.version += 1
        row.updated_at = now
    PointBalance.objects.bulk_update([row for row, _b in changed],
                                     ["ledger", "pending", "score", "org", "org_path", "version", "updated_at"],
                                     batch_size=500)
    audit.record_updated(changed)
    return entries


def with_live_entries(evidence: set[str]) -> set[str]:
    """Which of the ``evidence`` keys have live automatic entries."""
    return set(PointEntry.objects.filter(evidence__in=evidence, live=True, kind=EntryKind.AUTOMATIC)
               .values_list("evidence", flat=True).distinct())


def _locked_balances(members: dict[int, Any], pairs: set[tuple[int, int]]) -> dict[tuple[int, int], PointBalance]:
    """The balance rows of (member id, year) ``pairs``, locked ``FOR UPDATE``; the missing ones
    are created (bulk-written and audited) as :func:`locked_balance` would create them."""
    from dangjian.core import audit

    found = PointBalance.objects.select_for_update().filter(
        member_id__in={m for m, _y in pairs}, year__in={y for _m, y in pairs})
    rows = {(b.member_id, b.year): b for b in found if (b.member_id, b.year) in pairs}
    for row in rows.values():
        row.member = members[row.member_id]
        if row.org_id == row.member.org_id:
            row.org = row.member.org
    missing = sorted(pairs - set(rows))
    if not missing:
        return rows
    schemes = {year: scheme_for(year) for year in {y for _m, y in missing}}
    fresh = []
    for member_id, year in missing:
        member, scheme = members[member_id], schemes[year]
        fresh.append(PointBalance(member=member, year=year, org=member.org, org_path=member.org.path,
                                  scheme=scheme, base=scheme.base, floor=scheme.floor,
                                  score=max(scheme.floor, scheme.base)))
    try:
        with transaction.atomic():
            insert(fresh)
            audit.record_created(fresh)
    except IntegrityError:  # a concurrent write created some of them: take them one by one
        fresh = [locked_balance(members[member_id], year) for member_id, year in missing]
    rows.update({(b.member_id, b.year): b for b in fresh})
    return rows


def withdraw(*, actor: Any, member: Any, evidence: str, year: int, keep: Iterable[int] = (), reason: str) -> int:
    """Reverse the live automatic entries of ``evidence`` for ``member`` except those of rules ``keep``."""
    live = list(PointEntry.objects.filter(evidence=evidence, member=member, live=True, kind=EntryKind.AUTOMATIC)
                .exclude(rule_id__in=list(keep)))
    if not live:
        return 0
    balance = locked_balance(_member(member.pk), year)
    for entry in live:
        entry, _b = _locked_entry(entry)
        _reverse(actor=actor, entry=entry, reason=reason, balance=balance)
    return len(live)


# --- manual awards and claims ---------------------------------------------------------------


def _own_member_id(actor: Any) -> int | None:
    return getattr(actor, "member_id", None)


@transaction.atomic
def record(*, actor: Any, member: Any, rule: PointRule, day: dt.date, note: str = "",
           uploads: Iterable[Any] = ()) -> PointEntry:
    """A scorer's manual award (or deduction): it waits for the member's confirmation. A member
    recording for themselves is a claim: it goes straight to the branch."""
    member = _member(member.pk)
    claim = _own_member_id(actor) == member.pk
    if rule.automatic:
        raise RuleError(gettext("This rule is written automatically from its source records."), field="rule")
    if not rule.is_active:
        raise RuleError(gettext("This rule is no longer active."), field="rule")
    in_force = {r.pk for r in rules_for(day.year, Trigger.MANUAL, Trigger.CLAIM)}
    if rule.pk not in in_force:
        raise RuleError(gettext("This rule is not in the catalog of %(year)s.") % {"year": day.year}, field="rule")
    if claim:
        if rule.trigger != Trigger.CLAIM:
            raise RuleError(gettext("Members may claim only items marked as claimable."), field="rule")
        if not list(uploads):
            raise RuleError(gettext("A claim needs its evidence: attach a file."), field="file")
    elif not covers(actor, "points", "add", member.org):
        raise RuleError(gettext("You may not score members of this organization."), field="member")
    if not note.strip():
        raise RuleError(gettext("Say what the points are for."), field="note")
    if day > timezone.localdate():
        raise RuleError(gettext("The date cannot be in the future."), field="day")
    status = EntryStatus.RECORDED
    if claim:
        status = EntryStatus.CONFIRMED if rule.needs_approval else EntryStatus.APPROVED
    entry = _write(actor=actor, member=member, rule=rule, day=day, status=status,
                   kind=EntryKind.CLAIM if claim else EntryKind.MANUAL, note=note.strip())
    if claim:
        entry.confirmed_at = timezone.now()
        entry.save()
    for upload in uploads:
        store(EntryAttachment(entry=entry), upload, actor=actor, allowed=EVIDENCE_TYPES, max_mb=EVIDENCE_MAX_MB)
    return entry


@transaction.atomic
def add_evidence(*, actor: Any, entry: PointEntry, upload: Any) -> EntryAttachment:
    if entry.status not in EntryStatus.pending():
        raise RuleError(gettext("Evidence can be added only while the entry is pending."))
    if _own_member_id(actor) != entry.member_id and not covers(actor, "points", "change", entry.org):
        raise RuleError(gettext("You may not add evidence to this entry."))
    attachment = EntryAttachment(entry=entry)
    store(attachment, upload, actor=actor, allowed=EVIDENCE_TYPES, max_mb=EVIDENCE_MAX_MB)
    return attachment


@transaction.atomic
def confirm(*, actor: Any, entry: PointEntry, accept: bool, note: str = "") -> PointEntry:
    """The member confirms (or disputes) what the scorer recorded for them."""
    entry, balance = _locked_entry(entry)
    if _own_member_id(actor) != entry.member_id:
        # a member without an account signs the paper 登记表; the branch records that signature
        from dangjian.accounts.models import User

        has_account = User.objects.filter(member_id=entry.member_id, is_active=True).exists()
        if has_account or not covers(actor, "points", "change", entry.org):
            raise RuleError(gettext("Only the member concerned confirms an entry."))
        if not note.strip():
            raise RuleError(gettext("Note where the member signed (the paper registration form)."), field="note")
    if entry.status != EntryStatus.RECORDED:
        raise RuleError(gettext("This entry is not waiting for your confirmation."))
    if not accept:
        _reject(entry, balance, note or gettext("Disputed by the member"))
        return entry
    entry.status = EntryStatus.CONFIRMED if entry.rule.needs_approval else EntryStatus.APPROVED
    entry.confirmed_at = timezone.now()
    if note.strip() and _own_member_id(actor) != entry.member_id:
        entry.note = f"{entry.note} / {note.strip()}"[:300]
    entry.save()
    return entry


@transaction.atomic
def approve(*, actor: Any, entry: PointEntry, accept: bool, note: str = "") -> PointEntry:
    """The branch approves a confirmed entry: never the scorer who recorded it."""
    entry, balance = _locked_entry(entry)
    if not covers(actor, "points", "change", entry.org):
        raise RuleError(gettext("You may not approve entries of this organization."))
    if entry.status != EntryStatus.CONFIRMED:
        raise RuleError(gettext("This entry is not waiting for approval."))
    if entry.recorded_by_id == actor.pk and entry.kind == EntryKind.MANUAL:
        raise RuleError(gettext("An entry is approved by someone other than its scorer."))
    if _own_member_id(actor) == entry.member_id:
        raise RuleError(gettext("You may not approve your own entry."))
    if not accept:
        if not note.strip():
            raise RuleError(gettext("Give the reason for rejecting."), field="note")
        _reject(entry, balance, note)
        return entry
    entry.status, entry.approved_by, entry.approved_at = EntryStatus.APPROVED, actor, timezone.now()
    entry.save()
    return entry


@transaction.atomic
def reverse(*, actor: Any, entry: PointEntry, reason: str) -> PointEntry:
    """Correct a final entry by a reversing entry that points at it; nothing is edited."""
    entry, balance = _locked_entry(entry)
    if not covers(actor, "points", "change", entry.org):
        raise RuleError(gettext("You may not correct entries of this organization."))
    if entry.status != EntryStatus.FINAL or entry.kind == EntryKind.REVERSAL:
        raise RuleError(gettext("Only a final entry can be reversed."))
    if not entry.live:
        raise RuleError(gettext("This entry has already been reversed."))
    if not reason.strip():
        raise RuleError(gettext("Give the reason for the correction."), field="reason")
    return _reverse(actor=actor, entry=entry, reason=reason.strip(), balance=balance)


# --- publication (公示) and objections --------------------------------------------------------


@transaction.atomic
def publish(*, actor: Any, org: Any, month: dt.date, today: dt.date | None = None) -> Publication:
    """Publish a branch's month: approved entries enter the objection window; the month's
    automatic entries are listed with them."""
    today = today or timezone.localdate()
    month = month_start(month)
    if not covers(actor, "points", "change", org):
        raise RuleError(gettext("You may not publish for this organization."), field="org")
    if month > today:
        raise RuleError(gettext("A month is published once it has begun."), field="month")
    if Publication.objects.filter(org=org, month=month).exists():
        raise RuleError(gettext("This branch has already published this month."), field="month")
    scheme = scheme_for(month.year)
    publication = Publication(org=org, month=month, published_on=today, published_by=actor,
                              window_ends_on=add_working_days(today, scheme.objection_working_days))
    publication.save()
    for entry in PointEntry.objects.select_for_update().filter(org=org, month__lte=month, publication__isnull=True,
                                                              status=EntryStatus.APPROVED):
        entry.status, entry.publication = EntryStatus.PUBLISHED, publication
        entry.save()
    listed = PointEntry.objects.filter(org=org, month=month, publication__isnull=True, status=EntryStatus.FINAL)\
        .update(publication=publication)
    from dangjian.core import audit

    audit.record("publish", obj=publication, actor=actor, changes={"automatic_entries_listed": listed})
    return publication


def window_open(publication: Publication, today: dt.date) -> bool:
    return today <= publication.window_ends_on


@transaction.atomic
def object_to(*, actor: Any, entry: PointEntry, reason: str, today: dt.date | None = None) -> Objection:
    """A member objects to one of their published entries, within the window only."""
    today = today or timezone.localdate()
    entry, _balance = _locked_entry(entry)
    if _own_member_id(actor) != entry.member_id:
        raise RuleError(gettext("Members object to their own entries."))
    publication = entry.publication
    if publication is None:
        raise RuleError(gettext("This entry has not been published yet."))
    if not window_open(publication, today):
        raise RuleError(gettext("The objection window of this publication closed on %(date)s: objections are no "
                                "longer accepted. Speak to your branch secretary.")
                        % {"date": f"{publication.window_ends_on:%Y-%m-%d}"})
    if entry.objections.filter(outcome=ObjectionOutcome.OPEN).exists():
        raise RuleError(gettext("Your objection to this entry is already waiting for an answer."))
    if entry.status == EntryStatus.REJECTED or not entry.live:
        raise RuleError(gettext("This entry no longer counts."))
    if not reason.strip():
        raise RuleError(gettext("Say why you object."), field="reason")
    objection = Objection(entry=entry, member_id=entry.member_id, reason=reason.strip())
    objection.save()
    return objection


@transaction.atomic
def answer(*, actor: Any, objection: Objection, upheld: bool, text: str,
           today: dt.date | None = None) -> Objection:
    """The branch answers an objection: upheld, the entry does not count (a published entry is
    rejected, a final one reversed); dismissed, it stands."""
    today = today or timezone.localdate()
    objection = Objection.objects.select_for_update().select_related("entry").get(pk=objection.pk)
    entry, balance = _locked_entry(objection.entry)
    if not covers(actor, "points", "change", entry.org):
        raise RuleError(gettext("You may not answer objections of this organization."))
    if objection.outcome != ObjectionOutcome.OPEN:
        raise RuleError(gettext("This objection has already been answered."))
    if not text.strip():
        raise RuleError(gettext("Write the answer the member will read."), field="answer")
    objection.outcome = ObjectionOutcome.UPHELD if upheld else ObjectionOutcome.DISMISSED
    objection.answer, objection.answered_by, objection.answered_at = text.strip(), actor, timezone.now()
    objection.save()
    if upheld:
        if entry.status == EntryStatus.FINAL and entry.live:
            _reverse(actor=actor, entry=entry, reason=gettext("Objection upheld: %(answer)s") % {"answer": text.strip()},
                     balance=balance)
        elif entry.status in EntryStatus.pending():
            _reject(entry, balance, gettext("Objection upheld"))
    elif entry.status == EntryStatus.PUBLISHED and entry.publication and not window_open(entry.publication, today):
        _finalize(entry, balance)
    return objection


@transaction.atomic
def close(*, actor: Any, publication: Publication, today: dt.date | None = None) -> int:
    """After the window: published entries without an open objection become final."""
    today = today or timezone.localdate()
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if window_open(publication, today):
        raise RuleError(gettext("The objection window is open until %(date)s.")
                        % {"date": f"{publication.window_ends_on:%Y-%m-%d}"})
    finalized = 0
    for entry in PointEntry.objects.filter(publication=publication, status=EntryStatus.PUBLISHED)\
            .exclude(objections__outcome=ObjectionOutcome.OPEN).order_by("member_id", "id"):
        entry, balance = _locked_entry(entry)
        _finalize(entry, balance)
        finalized += 1
    if publication.closed_at is None:
        publication.closed_at = timezone.now()
        publication.save()
    return finalized


def close_due(*, today: dt.date | None = None) -> int:
    """The scheduler's daily pass: close every publication whose window has ended."""
    today = today or timezone.localdate()
    done = 0
    for publication in Publication.objects.filter(closed_at__isnull=True, window_ends_on__lt=today):
        done += close(actor=None, publication=publication, today=today)
    return done
