"""Writes of the assessment module: keyword-only, actor first, lock, re-check, audit.

- :func:`mark` — organizations whose evidence changed (the recompute job's work list);
- :func:`recompute` — the live results of organizations, in bulk, one audit entry per call;
- :func:`publish` — the committee freezes its subtree's year: a published result is a copy
  made once and never written again;
- :func:`check_level_above` — a committee's score (an item's, a project's) or a veto decision
  is given by the level above the organization, never by the organization itself;
- :func:`vote`, :func:`close_round` — anonymous ballots of the secretaries' review;
- :func:`set_member_grade`, :func:`record_disposal` — 民主评议党员 decisions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.assessment import grading
from dangjian.assessment.choices import DisposalStep, MemberGrade, ResultState, RoundStatus
from dangjian.assessment.models import (
    BallotCount,
    Disposal,
    GradeResult,
    MemberReview,
    PendingGrade,
    ResultLine,
    ReviewAttendee,
    ReviewOption,
    ReviewReport,
    ReviewRound,
)
from dangjian.core import audit
from dangjian.core.errors import RuleError
from dangjian.core.scoping import covers
from dangjian.orgs.models import Organization


def parent_path(path: str) -> str:
    step = int(Organization.steplen)
    return path[:-step] if len(path) > step else path


def check_level_above(actor: Any, org: Any, what: str = "") -> None:
    """Refuse unless ``actor`` holds "change" in the area on the level above ``org``."""
    if actor is None or not getattr(actor, "pk", None):
        return  # the system (a job, the demo) acts for the level above
    if not covers(actor, "assessment", "change", parent_path(org.path)):
        raise RuleError(gettext("Only the level above this organization may give %(what)s.")
                        % {"what": what or gettext("this score")})


def mark(org_ids: Iterable[int], year: int) -> None:
    """Note organizations whose evidence of ``year`` changed (once each, whatever the races)."""
    PendingGrade.objects.bulk_create([PendingGrade(org_id=o, year=year) for o in set(org_ids) if o],
                                     ignore_conflicts=True)


def mark_with_ancestors(org: Any, year: int) -> None:
    """``org`` and the organizations above it (a group's facts count for its branch)."""
    paths = [org.path[:i] for i in range(Organization.steplen, len(org.path) + 1, Organization.steplen)]
    mark(Organization.objects.filter(path__in=paths).values_list("id", flat=True), year)


def graded(queryset: Any = None) -> Any:
    qs = Organization.objects.all() if queryset is None else queryset
    return qs.filter(is_active=True, kind__in=grading.GRADED_KINDS)


def recompute(*, actor: Any, year: int, org_ids: Iterable[int] | None = None, today: dt.date | None = None,
              chunk: int = 2000) -> int:
    """Recompute the live results of ``org_ids`` (default: the pending ones of ``year``) and
    clear their marks; published results are never touched. Returns the number recomputed."""
    rules = grading.RuleSet.load(year)
    if rules is None:
        return 0
    with transaction.atomic():
        if org_ids is None:
            pending = PendingGrade.objects.select_for_update(skip_locked=True).filter(year=year)
            org_ids = list(pending.values_list("org_id", flat=True))
        org_ids = list(org_ids)
        ids = list(graded().filter(pk__in=org_ids).values_list("id", "path"))
        done = 0
        now = timezone.now()
        for start in range(0, len(ids), chunk):
            part = dict(ids[start:start + chunk])
            computed = grading.compute(part, year, today=today, rules=rules)
            # the live rows are replaced, lines and all (a delete and two inserts: cheaper than an
            # update of thousands of rows); published rows are another state and never touched
            stale = GradeResult.objects.filter(org_id__in=list(part), year=year, state=ResultState.LIVE)
            ResultLine.objects.filter(result__in=stale.values("pk")).delete()
            stale.delete()
            new = [GradeResult(org_id=org_id, year=year, state=ResultState.LIVE, scheme=rules.scheme, total=c.total,
                               computed_at=now, level_by_total=c.level_by_total, level=c.level, why=c.why[:300])
                   for org_id, c in computed.items()]
            GradeResult.objects.bulk_create(new, batch_size=2000)
            rows = {r.org_id: r for r in new}
            ResultLine.objects.bulk_create([
                ResultLine(result=rows[org_id], kind=line.kind, label=line.label[:300], points=line.points,
                           evidence=line.evidence, url=line.url, order=n)
                for org_id, c in computed.items() for n, line in enumerate(c.lines)], batch_size=5000)
            done += len(computed)
        PendingGrade.objects.filter(year=year, org_id__in=org_ids).delete()
        if done:
            audit.record("recompute", object_type="assessment.graderesult", object_repr=str(year),
                         changes={"year": year, "organizations": done}, actor=actor)
    return done


def publish(*, actor: Any, org: Organization, year: int, decision_ref: str, today: dt.date | None = None) -> int:
    """Publish the year's grades of the organizations below ``org`` (recomputed now, then the
    percentage caps over them); already published organizations keep their result."""
    if not decision_ref.strip():
        raise RuleError(gettext("Give the meeting or document of the decision."), field="decision_ref")
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=org.pk)
        if not covers(actor, "assessment", "change", locked):
            raise RuleError(gettext("You may not publish the grades of this organization."))
        below = graded(Organization.objects.filter(path__startswith=locked.path, depth__gt=locked.depth))
        published = set(GradeResult.objects.filter(year=year, state=ResultState.PUBLISHED,
                                                    org__in=below).values_list("org_id", flat=True))
        ids = [i for i in below.values_list("id", flat=True) if i not in published]
        if not ids:
            raise RuleError(gettext("Every organization below has its published result already."))
        recompute(actor=actor, year=year, org_ids=ids, today=today)
        live = list(GradeResult.objects.filter(org_id__in=ids, year=year, state=ResultState.LIVE)
                    .select_related("org", "level", "scheme").prefetch_related("lines"))
        rules = grading.RuleSet.load(year)
        ranked = [grading.Ranked(r, r.total, sum((ln.points for ln in r.lines.all() if ln.kind in ("mandated", "routine")),
                                                 Decimal(0)), r.org.path, r.level, r.why) for r in live]
        if rules is not None:
            grading.apply_caps(ranked, rules.levels)
        ranks = grading.rank(ranked)
        now = timezone.now()
        copies = []
        for item in ranked:
            r = item.key
            copies.append(GradeResult(org_id=r.org_id, year=year, state=ResultState.PUBLISHED, scheme=r.scheme,
                                      total=r.total, level_by_total=r.level_by_total, level=item.level,
                                      why=item.why[:300], rank=ranks[r], computed_at=r.computed_at, published_at=now,
                                      published_by=actor if getattr(actor, "pk", None) else None,
                                      decision_ref=decision_ref.strip()))
        GradeResult.objects.bulk_create(copies)
        by_org = {c.org_id: c for c in copies}
        ResultLine.objects.bulk_create([
            ResultLine(result=by_org[r.org_id], kind=ln.kind, label=ln.label, points=ln.points,
                       evidence=ln.evidence, url=ln.url, order=ln.order)
            for r in live for ln in r.lines.all()], batch_size=5000)
        audit.record("publish", obj=locked, changes={"year": year, "organizations": len(copies),
                                                     "decision": decision_ref.strip()}, actor=actor)
    return len(copies)


# --- 书记抓党建述职评议 -------------------------------------------------------------------------


def vote(*, actor: Any, round: ReviewRound, choices: dict[int, int]) -> None:
    """One anonymous ballot: a choice of the scale for every report of the round. Adds one to
    each (report, option) counter and sets the voter's flag; nothing links the two."""
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round.pk)
        if locked.status != RoundStatus.OPEN:
            raise RuleError(gettext("Voting in this round is closed."))
        attendee = ReviewAttendee.objects.select_for_update().filter(round=locked, user=actor).first()
        if attendee is None:
            raise RuleError(gettext("You are not an attendee of this round."))
        if attendee.has_voted:
            raise RuleError(gettext("You have already voted in this round."))
        reports = set(ReviewReport.objects.filter(round=locked).values_list("id", flat=True))
        options = set(ReviewOption.rows_in_force(locked.year).values_list("id", flat=True))
        if set(choices) != reports or not set(choices.values()) <= options:
            raise RuleError(gettext("Choose one rating for every report."))
        # every counter of the round is written by this one statement (the chosen ones +1, the
        # others +0): on PostgreSQL each row's transaction id (xmin) then says only that this
        # ballot was the latest, never which options it chose
        chosen = Q(pk__in=[])
        for report_id, option_id in choices.items():
            chosen |= Q(report_id=report_id, option_id=option_id)
        BallotCount.objects.filter(report__round=locked).update(
            count=F("count") + Case(When(chosen, then=Value(1)), default=Value(0)))
        attendee.has_voted = True
        attendee.save()


def open_counters(report: ReviewReport) -> None:
    """The report's counters at zero, one per option of the scale (made before any vote, so a
    vote only ever increments)."""
    BallotCount.objects.bulk_create([BallotCount(report=report, option_id=o) for o in
                                     ReviewOption.rows_in_force(report.round.year).values_list("id", flat=True)],
                                    ignore_conflicts=True)


def close_round(*, actor: Any, round: ReviewRound) -> ReviewRound:
    """Close the vote: each report's average score and rating (the best option whose
    ``min_average`` the average reaches); the tally becomes visible; the grades recompute."""
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round.pk)
        if not covers(actor, "assessment", "change", locked.org):
            raise RuleError(gettext("You may not close this round."))
        if locked.status != RoundStatus.OPEN:
            raise RuleError(gettext("This round is already closed."))
        options = list(ReviewOption.rows_in_force(locked.year).order_by("-min_average"))
        for report in ReviewReport.objects.filter(round=locked).select_related("org"):
            counts = list(BallotCount.objects.filter(report=report).select_related("option"))
            n = sum(c.count for c in counts)
            if n:
                report.average = (sum((Decimal(c.option.score) * c.count for c in counts), Decimal(0)) / n
                                  ).quantize(Decimal("0.01"))
                report.rating = next((o for o in options if report.average >= o.min_average), options[-1])
            report.save()
            mark([report.org_id], locked.year)
        locked.status = RoundStatus.CLOSED
        locked.save()
    return locked


def tally(round: ReviewRound) -> list[tuple[ReviewReport, list[tuple[ReviewOption, int]], int]]:
    """The counts per report and option: only for a closed round (the screens show nothing before)."""
    if round.status != RoundStatus.CLOSED:
        return []
    options = list(ReviewOption.rows_in_force(round.year).order_by("order"))
    out = []
    for report in ReviewReport.objects.filter(round=round).select_related("org", "secretary", "rating"):
        counts = dict(BallotCount.objects.filter(report=report).values_list("option_id", "count"))
        out.append((report, [(o, counts.get(o.pk, 0)) for o in options], sum(counts.values())))
    return out


def turnout(round: ReviewRound) -> tuple[int, int]:
    attendees = ReviewAttendee.objects.filter(round=round)
    return attendees.filter(has_voted=True).count(), attendees.count()


# --- 民主评议党员 -------------------------------------------------------------------------------


def excellent_allowed(n: int, share: Decimal) -> int:
    return math.floor(n * Decimal(share) / 100)


def set_member_grade(*, actor: Any, review: MemberReview, grade: str, decision_ref: str) -> MemberReview:
    """The grade decided by the branch (after the 支委会 proposal): 优秀 at most the round's
    share of the members reviewed, a maximum and never a quota."""
    from dangjian.assessment.models import MemberReviewRound

    with transaction.atomic():
        round_ = MemberReviewRound.objects.select_for_update().get(pk=review.round_id)
        locked = MemberReview.objects.select_for_update().get(pk=review.pk)
        if not covers(actor, "assessment", "change", round_.org):
            raise RuleError(gettext("You may not grade the members of this branch."))
        if grade not in MemberGrade.values:
            raise RuleError(gettext("Choose a grade."), field="grade")
        if not decision_ref.strip():
            raise RuleError(gettext("Give the meeting or document of the decision."), field="decision_ref")
        if not locked.proposal:
            raise RuleError(gettext("The branch committee's proposal comes first."), field="grade")
        if grade == MemberGrade.EXCELLENT:
            n = MemberReview.objects.filter(round=round_).count()
            taken = MemberReview.objects.filter(round=round_, grade=MemberGrade.EXCELLENT).exclude(pk=locked.pk).count()
            allowed = excellent_allowed(n, round_.excellent_max_share)
            if taken + 1 > allowed:
                raise RuleError(gettext("At most %(n)s of %(total)s members may be graded excellent (%(share)s%%).")
                                % {"n": allowed, "total": n, "share": f"{round_.excellent_max_share:g}"},
                                field="grade")
        locked.grade, locked.decision_ref = grade, decision_ref.strip()
        locked.save()
    return locked


DISPOSAL_ORDER = [DisposalStep.CORRECT, DisposalStep.PERSUADE, DisposalStep.REMOVE]


def record_disposal(*, actor: Any, review: MemberReview, step: str, decided_on: dt.date,
                    decision_ref: str, note: str = "") -> Disposal:
    """Record one 处置 decision for an unqualified member, in order (限期改正 → 劝退 → 除名):
    the platform records what was decided and never takes a step itself."""
    with transaction.atomic():
        locked = MemberReview.objects.select_for_update().select_related("round__org").get(pk=review.pk)
        if not covers(actor, "assessment", "change", locked.round.org):
            raise RuleError(gettext("You may not record decisions for this branch."))
        if locked.grade != MemberGrade.UNQUALIFIED:
            raise RuleError(gettext("Only an unqualified member's evaluation has disposal steps."))
        if not decision_ref.strip():
            raise RuleError(gettext("Give the meeting or document of the decision."), field="decision_ref")
        done = list(locked.disposals.values_list("step", flat=True))
        index = DISPOSAL_ORDER.index(DisposalStep(step))
        if index > 0 and DISPOSAL_ORDER[index - 1] not in done:
            raise RuleError(gettext("%(step)s follows %(before)s.")
                            % {"step": DisposalStep(step).label, "before": DISPOSAL_ORDER[index - 1].label},
                            field="step")
        row = Disposal(review=locked, step=step, decided_on=decided_on, decision_ref=decision_ref.strip(), note=note)
        row.save()
    return row


def vote_total(report: ReviewReport) -> int:
    return int(BallotCount.objects.filter(report=report).aggregate(n=Sum("count"))["n"] or 0)
