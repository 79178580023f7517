"""Record-quality checks of meeting records (防形式主义): flags for the reviewer, never a block.

:func:`check_meeting` looks at one saved record against the rule row in force for its year and
kind and writes its flags with their evidence:

- near-duplicate: the MinHash signature of the normalised minutes (names of the organization's
  members, dates and numbers removed) shares an LSH band with earlier or same-period records of
  any organization; candidates whose exact shingle Jaccard reaches the threshold are flagged
  with the matching record and the similarity;
- too short / only boilerplate / no resolution / no attendance / a topic repeating the
  previous meeting of the kind / recorded long after the meeting.

Re-checking a record replaces its open flags; flags a reviewer confirmed or dismissed stay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from dangjian.library import minhash
from dangjian.library.models import (
    FlagStatus,
    QualityCheck,
    QualityFlag,
    QualityRule,
    RecordBand,
    RecordPrint,
)

#: At most this many candidates are compared exactly (the most band matches first).
MAX_CANDIDATES = 50


@dataclass
class Seen:
    """What a batch check (:func:`services.check_records`) already read: the member names of
    each organization and the shingles of each record it checked, so a candidate record is
    normalised once per batch, not once per record it is compared with."""

    names: dict[int, list[str]] = field(default_factory=dict)
    shingles: dict[int, set[bytes]] = field(default_factory=dict)
    rules: dict[tuple[int, int], QualityRule | None] = field(default_factory=dict)
    #: of the batch's records: those with a stored print, with any flag, with attendance taken
    #: (``None``: not known, ask the database)
    printed: set[int] | None = None
    flagged: set[int] | None = None
    attended: set[int] | None = None

    @classmethod
    def for_batch(cls, meeting_ids: list[int]) -> Seen:
        """What the batch's records already have, read once for all of them."""
        from dangjian.meetings.choices import AttendanceStatus
        from dangjian.meetings.models import Attendance

        printed: set[int] = set()
        flagged: set[int] = set()
        attended: set[int] = set()
        for start in range(0, len(meeting_ids), 500):
            chunk = meeting_ids[start:start + 500]
            printed |= set(RecordPrint.objects.filter(meeting_id__in=chunk).values_list("meeting_id", flat=True))
            flagged |= set(QualityFlag.objects.filter(meeting_id__in=chunk).values_list("meeting_id", flat=True))
            attended |= set(Attendance.objects.filter(meeting_id__in=chunk)  # scope-ok: the batch's own records
                            .exclude(status=AttendanceStatus.PENDING).values_list("meeting_id", flat=True))
        return cls(printed=printed, flagged=flagged, attended=attended)

    def rule_for(self, kind_id: int, year: int) -> QualityRule | None:
        if (kind_id, year) not in self.rules:
            self.rules[kind_id, year] = QualityRule.for_meeting(kind_id, year)
        return self.rules[kind_id, year]

    def names_of(self, org_id: int) -> list[str]:
        if org_id not in self.names:
            from dangjian.members.models import Member

            self.names[org_id] = list(Member.objects.filter(org_id=org_id)  # scope-ok: normalisation only
                                      .values_list("name", flat=True)[:500])
        return self.names[org_id]

    def shingles_of(self, meeting: Any) -> set[bytes]:
        if meeting.pk not in self.shingles:
            self.shingles[meeting.pk] = minhash.shingles(
                minhash.normalise(meeting.minutes or "", self.names_of(meeting.org_id)))
        return self.shingles[meeting.pk]


@dataclass
class Finding:
    check: str
    detail: str
    matched_id: int | None = None
    similarity: Decimal | None = None


def _names(meeting: Any) -> list[str]:
    from dangjian.members.models import Member

    return list(Member.objects.filter(org_id=meeting.org_id).values_list("name", flat=True)[:500])


def _normalised(meeting: Any, names: list[str] | None = None) -> str:
    return minhash.normalise(meeting.minutes or "", names if names is not None else _names(meeting))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def already_checked(meeting: Any) -> bool:
    """Whether the record was checked as it reads now (the digest of its normalised minutes is
    the stored one): a confirmation that changed nothing in the minutes needs no second check,
    and finding that out costs no MinHash signature."""
    stored = RecordPrint.objects.filter(meeting_id=meeting.pk).values_list("digest", flat=True).first()
    return stored is not None and bytes(stored) == _digest(_normalised(meeting))


def store_print(meeting: Any, sig: list[int], count: int, digest: bytes = b"", *, new: bool = False) -> None:
    """Store the record's signature and its LSH bands (``new``: the batch knows it has none yet)."""
    values = {"org_id": meeting.org_id, "starts_at": meeting.starts_at, "signature": minhash.pack(sig),
              "shingles": count, "digest": digest}
    if new:
        RecordPrint.objects.create(meeting_id=meeting.pk, **values)
    else:
        RecordPrint.objects.update_or_create(meeting_id=meeting.pk, defaults=values)
        RecordBand.objects.filter(meeting_id=meeting.pk).delete()
    if count:
        RecordBand.objects.bulk_create([RecordBand(band_key=k, meeting_id=meeting.pk) for k in minhash.band_keys(sig)])


def candidates(meeting_id: int, sig: list[int], *, limit: int = MAX_CANDIDATES) -> list[tuple[int, float]]:
    """(meeting id, estimated similarity) of the records sharing a band with ``sig`` (index look-up)."""
    keys = minhash.band_keys(sig)
    hits: dict[int, int] = {}
    for other in RecordBand.objects.filter(band_key__in=keys).exclude(meeting_id=meeting_id)\
            .values_list("meeting_id", flat=True)[:5000]:
        hits[other] = hits.get(other, 0) + 1
    best = sorted(hits.items(), key=lambda kv: -kv[1])[:limit]
    prints = dict(RecordPrint.objects.filter(meeting_id__in=[m for m, _n in best]).values_list("meeting_id", "signature"))
    out = [(m, minhash.similarity(sig, minhash.unpack(prints[m]))) for m, _n in best if m in prints]
    return sorted(out, key=lambda kv: -kv[1])


def find_duplicates(meeting: Any, rule: QualityRule, shingle_set: set[bytes], sig: list[int],
                    seen: Seen | None = None) -> list[Finding]:
    from dangjian.meetings.models import Meeting

    seen = seen or Seen()
    threshold = float(rule.duplicate_threshold)
    near = [(m, s) for m, s in candidates(meeting.pk, sig) if s >= threshold - 0.15]
    if not near:
        return []
    others = Meeting.objects.filter(pk__in=[m for m, _s in near]).select_related("org")  # scope-ok: evidence, shown scoped
    findings = []
    for other in others:
        # the later record is the copy; same start: the higher id
        if (other.starts_at, other.pk) > (meeting.starts_at, meeting.pk):
            continue
        exact = minhash.jaccard(shingle_set, seen.shingles_of(other))
        if exact >= threshold:
            findings.append(Finding(QualityCheck.NEAR_DUPLICATE, other.org.name, other.pk,
                                    Decimal(str(round(exact, 3)))))
    return findings


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w]


def content_findings(meeting: Any, rule: QualityRule, seen: Seen | None = None) -> list[Finding]:
    from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
    from dangjian.meetings.models import Attendance, Meeting

    out: list[Finding] = []
    minutes = (meeting.minutes or "").strip()
    body = re.sub(r"\s+", "", minutes)
    if rule.min_minutes_chars and len(body) < rule.min_minutes_chars:
        out.append(Finding(QualityCheck.TOO_SHORT, f"{len(body)}/{rule.min_minutes_chars}"))
    boiler = _words(rule.boilerplate_words)
    if boiler and body:
        rest = body
        for phrase in sorted(boiler, key=len, reverse=True):
            rest = rest.replace(phrase, "")
        rest = re.sub(r"[\W_\d]+", "", rest)
        if len(rest) < max(10, len(body) // 5):
            out.append(Finding(QualityCheck.BOILERPLATE, f"{len(rest)}/{len(body)}"))
    words = _words(rule.resolution_words)
    if rule.require_resolution and words and not any(w in minutes for w in words):
        out.append(Finding(QualityCheck.NO_RESOLUTION, " ".join(words)))
    if rule.require_attendance and meeting.status != MeetingStatus.PLANNED and not (
            meeting.pk in seen.attended if seen is not None and seen.attended is not None else
            Attendance.objects.filter(meeting_id=meeting.pk).exclude(status=AttendanceStatus.PENDING).exists()):
        out.append(Finding(QualityCheck.NO_ATTENDANCE, ""))
    if rule.topic_repeat:
        previous = Meeting.objects.filter(org_id=meeting.org_id, kind_id=meeting.kind_id,  # scope-ok: same org
                                          starts_at__lt=meeting.starts_at).exclude(pk=meeting.pk)\
            .exclude(status=MeetingStatus.CANCELLED).order_by("-starts_at").first()
        if previous is not None:
            a, b = minhash.normalise(previous.topic), minhash.normalise(meeting.topic)
            same = minhash.jaccard(minhash.shingles(a, 2), minhash.shingles(b, 2))
            if a and same >= float(rule.duplicate_threshold):
                out.append(Finding(QualityCheck.TOPIC_REPEAT, previous.topic[:100], previous.pk,
                                   Decimal(str(round(same, 3)))))
    if rule.late_days and meeting.created_at and meeting.ends_at:
        late = (meeting.created_at - meeting.ends_at) / dt.timedelta(days=1)
        if late > rule.late_days:
            out.append(Finding(QualityCheck.LATE_RECORD, f"{int(late)}/{rule.late_days}"))
    return out


def check_meeting(meeting: Any, *, names: list[str] | None = None, seen: Seen | None = None) -> list[QualityFlag]:
    """Check one record (planned and cancelled meetings have no record: nothing is checked).
    A batch passes what it has ``seen`` (names, the shingles of the records checked before)."""
    from dangjian.meetings.choices import MeetingStatus

    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED):
        return []
    year = meeting.starts_at.year
    rule = seen.rule_for(meeting.kind_id, year) if seen is not None else QualityRule.for_meeting(meeting.kind_id, year)
    if rule is None or not rule.enabled:
        return []
    with transaction.atomic():
        if seen is not None:
            names = seen.names_of(meeting.org_id)
        text = _normalised(meeting, names)
        shingle_set = minhash.shingles(text)
        if seen is not None:
            seen.shingles[meeting.pk] = shingle_set
        sig = minhash.signature(shingle_set)
        store_print(meeting, sig, len(shingle_set), _digest(text),
                    new=seen is not None and seen.printed is not None and meeting.pk not in seen.printed)
        findings = content_findings(meeting, rule, seen)
        if shingle_set:
            findings += find_duplicates(meeting, rule, shingle_set, sig, seen)
        decided: set[tuple[str, int]] = set()
        if seen is None or seen.flagged is None or meeting.pk in seen.flagged:
            QualityFlag.objects.filter(meeting_id=meeting.pk, status=FlagStatus.OPEN).delete()
            decided = set(QualityFlag.objects.filter(meeting_id=meeting.pk).values_list("reason", "matched_key"))
        flags = []
        for f in findings:
            if (f.check, f.matched_id or 0) in decided:
                continue
            flag = QualityFlag(org_id=meeting.org_id, meeting_id=meeting.pk, reason=f.check, matched_id=f.matched_id,
                               matched_key=f.matched_id or 0, similarity=f.similarity, rule=rule, detail=f.detail[:300])
            flag.save()
            flags.append(flag)
        return flags


def flags_between(qs: Any, start: dt.date, end: dt.date) -> Any:
    return qs.filter(Q(meeting__starts_at__date__gte=start) & Q(meeting__starts_at__date__lte=end))
