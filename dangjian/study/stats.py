"""Results of a test in SQL over the path index: per question (correct rate, option distribution,
discrimination index) and per organization (participation and pass rates over the subtree).

Every figure is an aggregate query; nothing loads attempts one by one, so the next morning's
statistics of a province-wide test cost a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr

from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.study.models import Answer, Attempt, AttemptStatus, Exam
from dangjian.study.rules import LETTERS

DONE = (AttemptStatus.SUBMITTED, AttemptStatus.AUTO)
GROUP_SHARE = Decimal("0.27")  # upper and lower 27 % (Kelley) for the discrimination index


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def path_filter(prefixes: list[str] | None, exam: Exam, field_name: str) -> Q:
    """Rows in the test's subtree and in the user's scope (``None``: the user sees everything)."""
    q = Q(**{f"{field_name}__startswith": exam.org.path})
    if prefixes is None:
        return q
    scoped = Q(pk__in=[])
    for prefix in prefixes:
        scoped |= Q(**{f"{field_name}__startswith": prefix})
    return q & scoped


@dataclass
class QuestionStats:
    question_id: int
    text: str
    kind: str
    answered: int
    correct: int
    correct_rate: Decimal | None
    options: list[tuple[str, int]] = field(default_factory=list)
    discrimination: Decimal | None = None


def question_stats(exam: Exam, prefixes: list[str] | None) -> list[QuestionStats]:
    attempts = Attempt.objects.filter(path_filter(prefixes, exam, "org__path"), exam=exam, status__in=DONE)  # scope-ok: path_filter
    answers = Answer.objects.filter(attempt__in=attempts)
    letters = LETTERS[:8]
    rows = answers.values("question_id").annotate(
        answered=Count("id", filter=~Q(response="")),
        right=Coalesce(Sum(Value(1), filter=Q(correct=True), output_field=IntegerField()), 0),
        **{f"opt_{ch}": Count("id", filter=Q(response__contains=ch)) for ch in letters},
    )
    by_q = {r["question_id"]: r for r in rows}
    upper, lower = _groups(attempts)
    disc_rows: dict[int, dict[str, int]] = {}
    if upper is not None and lower is not None:
        for r in answers.values("question_id").annotate(
                up=Count("id", filter=Q(correct=True, attempt__score__gte=upper)),
                up_n=Count("id", filter=Q(attempt__score__gte=upper)),
                low=Count("id", filter=Q(correct=True, attempt__score__lte=lower)),
                low_n=Count("id", filter=Q(attempt__score__lte=lower))):
            disc_rows[r["question_id"]] = r
    result = []
    for item in exam.items.select_related("question"):
        q = item.question
        r = by_q.get(q.pk, {})
        answered, right = r.get("answered", 0), r.get("right", 0)
        stats = QuestionStats(q.pk, q.text, q.get_kind_display(), answered, right, rate(right, answered))
        if q.kind in ("single", "multiple"):
            stats.options = [(LETTERS[i], r.get(f"opt_{LETTERS[i]}", 0)) for i in range(min(len(q.option_list), 8))]
        d = disc_rows.get(q.pk)
        if d and d["up_n"] and d["low_n"]:
            stats.discrimination = (Decimal(d["up"]) / d["up_n"] - Decimal(d["low"]) / d["low_n"]).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
        result.append(stats)
    return result


def _groups(attempts: Any) -> tuple[Decimal | None, Decimal | None]:
    """Score cut-offs of the upper and lower 27 % of the attempts (two indexed ORDER BY ... LIMIT 1)."""
    n = attempts.count()
    k = int(Decimal(n) * GROUP_SHARE)
    if k < 1:
        return None, None
    upper = attempts.order_by("-score").values_list("score", flat=True)[k - 1]
    lower = attempts.order_by("score").values_list("score", flat=True)[k - 1]
    return upper, lower


@dataclass
class OrgStats:
    org: Any
    members: int
    took: int
    passed: int
    participation: Decimal | None
    pass_rate: Decimal | None


def org_stats(exam: Exam, prefixes: list[str] | None, under: Organization | None = None) -> list[OrgStats]:
    """One row per organization directly below ``under`` (default: the test's organization), each
    counting its whole subtree: members, members who took the test, members who passed."""
    top = under or exam.org
    cut = len(top.path) + Organization.steplen
    children = list(Organization.objects.filter(path_filter(prefixes, exam, "path"),  # scope-ok: path_filter
                                                path__startswith=top.path, depth=top.depth + 1).order_by("path"))
    if not children:
        children = [top]
        cut = len(top.path)
    members = dict(Member.objects.filter(path_filter(prefixes, exam, "org__path"), org__path__startswith=top.path)  # scope-ok: path_filter
                   .annotate(unit=Substr("org__path", 1, cut)).values("unit").annotate(n=Count("id"))
                   .values_list("unit", "n"))
    attempts = (Attempt.objects.filter(path_filter(prefixes, exam, "org__path"), exam=exam, status__in=DONE,  # scope-ok: path_filter
                                       org__path__startswith=top.path)
                .annotate(unit=Substr("org__path", 1, cut)).values("unit")
                .annotate(took=Count("member_id", distinct=True),
                          passed=Count("member_id", distinct=True, filter=Q(passed=True))))
    took = {r["unit"]: r for r in attempts}
    out = []
    for org in children:
        m = members.get(org.path, 0)
        t = took.get(org.path, {})
        out.append(OrgStats(org, m, t.get("took", 0), t.get("passed", 0), rate(t.get("took", 0), m),
                            rate(t.get("passed", 0), t.get("took", 0))))
    return out


def flagged(exam: Exam, prefixes: list[str] | None) -> Any:
    return (Attempt.objects.filter(path_filter(prefixes, exam, "org__path"), exam=exam)  # scope-ok: path_filter
            .exclude(flags="").select_related("member", "org").order_by("org__path", "member__name"))
