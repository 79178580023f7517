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
from dataclasses import dataclass
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


def store_print(meeting: Any, sig: list[int], count: int, digest: bytes = b"") -> None:
    RecordPrint.objects.update_or_create(meeting_id=meeting.pk, defaults={
        "org_id": meeting.org_id, "starts_at": meeting.starts_at, "signature": minhash.pack(sig), "shingles": count,
        "digest": digest})
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


def find_duplicates(meeting: Any, rule: QualityRule, shingle_set: set[bytes], sig: list[int]) -> list[Finding]:
    from dangjian.meetings.models import Meeting

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
        exact = minhash.jaccard(shingle_set, minhash.shingles(minhash.normalise(other.minutes or "", _names(other))))
        if exact >= threshold:
            findings.append(Finding(QualityCheck.NEAR_DUPLICATE, other.org.name, other.pk,
                                    Decimal(str(round(exact, 3)))))
    return findings


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w]


def content_findings(meeting: Any, rule: QualityRule) -> list[Finding]:
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
    if rule.require_attendance and meeting.status != MeetingStatus.PLANNED and not Attendance.objects.filter(
            meeting_id=meeting.pk).exclude(status=AttendanceStatus.PENDING).exists():
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


def check_meeting(meeting: Any, *, names: list[str] | None = None) -> list[QualityFlag]:
    """Check one record (planned and cancelled meetings have no record: nothing is checked)."""
    from dangjian.meetings.choices import MeetingStatus

    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED):
        return []
    rule = QualityRule.for_meeting(meeting.kind_id, meeting.starts_at.year)
    if rule is None or not rule.enabled:
        return []
    with transaction.atomic():
        text = _normalised(meeting, names)
        shingle_set = minhash.shingles(text)
        sig = minhash.signature(shingle_set)
        store_print(meeting, sig, len(shingle_set), _digest(text))
        findings = content_findings(meeting, rule)
        if shingle_set:
            findings += find_duplicates(meeting, rule, shingle_set, sig)
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
