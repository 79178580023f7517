"""Writes of study and tests: keyword-only, actor first, lock, re-check, audit.

A test is open to every member whose organization lies in the organizing organization's
subtree (``member.org.path`` starts with ``exam.org.path``). The server's clock rules: an
attempt's deadline is fixed when it starts (time limit, never after the window closes); an
answer arriving after it is refused and the attempt is submitted with what was saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.errors import RuleError
from dangjian.core.scoping import covers
from dangjian.members.models import Member
from dangjian.study import rules, signals
from dangjian.study.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Chapter,
    ChapterProgress,
    Course,
    CourseCompletion,
    Exam,
    ExamQuestion,
    MultipleScoring,
    Question,
    StudyRule,
)

FLAG_RAPID = "rapid"
FLAG_SESSION = "sessions"


def _member_of(actor: Any) -> Member:
    member_id = getattr(actor, "member_id", None)
    if not member_id:
        raise RuleError(gettext("Only a party member with a member record can take tests and courses."))
    return Member.objects.select_related("org").get(pk=member_id)  # scope-ok: the actor's own record


def open_to(member: Member, org: Any) -> bool:
    """Whether a test or course of ``org`` is open to ``member`` (the member is in its subtree)."""
    return member.org.path.startswith(org.path)


def session_tag(session_key: str | None) -> str:
    return hashlib.sha256((session_key or "").encode()).hexdigest()[:16]


# --- the bank and the paper -------------------------------------------------------------------


def add_questions(*, actor: Any, exam: Exam, questions: Iterable[Question], points: Decimal = Decimal("1")) -> int:
    """Put chosen questions on a draft test by hand (the bank of the test's organization and above)."""
    with transaction.atomic():
        exam = Exam.objects.select_for_update().select_related("org").get(pk=exam.pk)
        _check_draft(actor, exam)
        have = set(exam.items.values_list("question_id", flat=True))
        position = exam.items.count()
        added = 0
        for question in questions:
            if question.pk in have or not exam.org.path.startswith(question.org.path) and \
                    not question.org.path.startswith(exam.org.path):
                continue
            position += 1
            ExamQuestion(exam=exam, question=question, points=points, position=position).save()
            added += 1
        return added


def assemble(*, actor: Any, exam: Exam, tag: str, difficulty: int | None, count: int,
             points: Decimal = Decimal("1"), seed: int | None = None) -> int:
    """Draw ``count`` questions of ``tag`` (and ``difficulty``) at random from the bank the test's
    organization reaches; refused when the bank has fewer such questions than asked."""
    import random

    with transaction.atomic():
        exam = Exam.objects.select_for_update().select_related("org").get(pk=exam.pk)
        _check_draft(actor, exam)
        pool = bank_for(exam).exclude(pk__in=exam.items.values("question_id"))
        if difficulty:
            pool = pool.filter(difficulty=difficulty)
        ids = [q.pk for q in pool.only("id", "tags") if not tag or tag in q.tag_list]
        if count < 1:
            raise RuleError(gettext("Draw at least one question."), field="count")
        if len(ids) < count:
            raise RuleError(gettext("The bank has only %(n)s such questions not yet on the test.") % {"n": len(ids)},
                            field="count")
        chosen = random.Random(seed).sample(sorted(ids), count)  # noqa: S311 - drawing a paper, not a secret
        return add_questions(actor=actor, exam=exam, questions=Question.objects.filter(pk__in=chosen)  # scope-ok: drawn from bank_for
                             .select_related("org"), points=points)


def bank_for(exam: Exam) -> Any:
    """Questions a test may use: those of its organization's subtree and of the organizations above."""
    path = exam.org.path
    ancestors = [path[:i] for i in range(4, len(path) + 1, 4)]
    return Question.objects.filter(Q(org__path__startswith=path) | Q(org__path__in=ancestors))  # scope-ok: the test's own bank


def _check_draft(actor: Any, exam: Exam) -> None:
    if not covers(actor, "study", "change", exam.org):
        raise RuleError(gettext("You may not change tests of this organization."))
    if exam.published:
        raise RuleError(gettext("The test is published; its questions can no longer change."))


def publish(*, actor: Any, exam: Exam) -> Exam:
    with transaction.atomic():
        exam = Exam.objects.select_for_update().select_related("org").get(pk=exam.pk)
        _check_draft(actor, exam)
        if not exam.items.exists():
            raise RuleError(gettext("Put questions on the test before publishing it."))
        exam.published = True
        exam.save()
        return exam


# --- attempts ---------------------------------------------------------------------------------


def start_attempt(*, actor: Any, exam: Exam, session_key: str | None = None, now: dt.datetime | None = None) -> Attempt:
    """Start (or resume) the member's attempt. One active attempt per member (a partial unique
    constraint, re-checked under the member's lock); the deadline is the server's."""
    now = now or timezone.now()
    member = _member_of(actor)
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()  # scope-ok: the actor's own record
        exam = Exam.objects.select_related("org").get(pk=exam.pk)  # scope-ok: checked by open_to below
        if not exam.published or not open_to(member, exam.org):
            raise RuleError(gettext("This test is not open to you."))
        active = Attempt.objects.filter(member=member, status=AttemptStatus.ACTIVE).select_related("exam").first()  # scope-ok: own
        if active is not None and active.deadline <= now:
            _finish(active, auto=True, now=now)
            active = None
        if active is not None:
            if active.exam_id == exam.pk:
                return active
            raise RuleError(gettext("You already have a test in progress: %(title)s.") % {"title": active.exam.title})
        if now < exam.opens_at or now >= exam.closes_at:
            raise RuleError(gettext("The test is open from %(start)s to %(end)s.") % {
                "start": f"{timezone.localtime(exam.opens_at):%Y-%m-%d %H:%M}",
                "end": f"{timezone.localtime(exam.closes_at):%Y-%m-%d %H:%M}"})
        done = Attempt.objects.filter(exam=exam, member=member).count()  # scope-ok: own
        if done >= exam.attempts_allowed:
            raise RuleError(gettext("You have used all %(n)s attempts of this test.") % {"n": exam.attempts_allowed})
        items = list(exam.items.select_related("question"))
        seed = secrets.randbits(48)
        counts = {i.question_id: len(i.question.option_list) for i in items
                  if i.question.kind in ("single", "multiple")}
        attempt = Attempt(exam=exam, member=member, org=member.org, number=done + 1, seed=seed,
                          layout=rules.layout([i.question_id for i in items], counts, seed=seed, shuffle=exam.shuffle),
                          started_at=now, deadline=min(now + dt.timedelta(minutes=exam.time_limit_minutes),
                                                       exam.closes_at),
                          session=session_tag(session_key), rule=StudyRule.in_force(timezone.localtime(now).year))
        try:
            with transaction.atomic():
                attempt.save()
        except IntegrityError as exc:  # a second request raced this one past the lock (another node)
            raise RuleError(gettext("You already have a test in progress.")) from exc
        Answer.objects.bulk_create([Answer(attempt=attempt, question_id=i.question_id) for i in items])
        return attempt


def save_answer(*, actor: Any, attempt_id: int, question_id: int, shown: str, session_key: str | None = None,
                now: dt.datetime | None = None) -> Attempt:
    """Save one answer: one read of the attempt, one UPDATE of the answer's row.

    ``shown`` is what the member picked as displayed (letters of the shuffled options, T/F,
    or the text typed). After the deadline nothing is saved and the attempt is submitted."""
    now = now or timezone.now()
    member_id = getattr(actor, "member_id", None)
    attempt = (Attempt.objects.only("id", "member_id", "status", "deadline", "layout", "session", "flags")  # scope-ok: own
               .filter(pk=attempt_id, member_id=member_id).first()) if member_id else None
    if attempt is None:
        raise RuleError(gettext("This attempt is not yours."))
    if attempt.status != AttemptStatus.ACTIVE:
        raise RuleError(gettext("The test was already submitted."))
    if attempt.deadline <= now:
        submit(actor=actor, attempt_id=attempt.pk, auto=True, now=now)
        raise RuleError(gettext("Time is up: the test was submitted with the answers saved so far."))
    order = next((opts for qid, opts in attempt.layout if qid == question_id), None)
    if order is None:
        raise RuleError(gettext("This question is not on your test."))
    stored = rules.shown_to_original(shown, order) if order else shown.strip()[:200]
    written = Answer.objects.filter(attempt_id=attempt.pk, question_id=question_id).update(response=stored, saved_at=now)
    if not written:
        raise RuleError(gettext("This question is not on your test."))
    if session_key is not None and attempt.session and session_tag(session_key) != attempt.session \
            and FLAG_SESSION not in attempt.flag_list:
        Attempt.objects.filter(pk=attempt.pk).update(flags=",".join([*attempt.flag_list, FLAG_SESSION]))  # scope-ok: own
    return attempt


def submit(*, actor: Any, attempt_id: int, auto: bool = False, now: dt.datetime | None = None) -> Attempt:
    """Grade and close the member's attempt (the server grades; the key is read here only)."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(  # scope-ok: the actor's own (or the job's)
            pk=attempt_id, **({} if actor is None else {"member_id": getattr(actor, "member_id", None)})).first()
        if attempt is None:
            raise RuleError(gettext("This attempt is not yours."))
        if attempt.status != AttemptStatus.ACTIVE:
            return attempt
        return _finish(attempt, auto=auto or attempt.deadline <= now, now=now)


def _finish(attempt: Attempt, *, auto: bool, now: dt.datetime) -> Attempt:
    exam = attempt.exam
    partial = exam.multiple_scoring == MultipleScoring.PARTIAL
    points = dict(exam.items.values_list("question_id", "points"))
    answers = list(attempt.answers.select_related("question"))
    score = Decimal("0")
    for answer in answers:
        mark = rules.grade(answer.question.kind, answer.question.answer, answer.response,
                           points.get(answer.question_id, Decimal("0")), partial=partial)
        answer.points, answer.correct = mark.points, mark.correct
        score += mark.points
    Answer.objects.bulk_update(answers, ["points", "correct"])
    rule = attempt.rule or StudyRule.in_force(timezone.localtime(now).year)
    flags = attempt.flag_list
    if rule is not None and rules.rapid_share([a.saved_at for a in answers], attempt.started_at,
                                              rule.rapid_seconds) >= rule.rapid_share and len(answers) >= 3:
        flags.append(FLAG_RAPID)
    full = sum(points.values(), Decimal("0"))
    attempt.score, attempt.max_score = score, full
    attempt.percent = rules.percent(score, full)
    attempt.passed = attempt.percent >= exam.pass_percent
    attempt.status = AttemptStatus.AUTO if auto else AttemptStatus.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline)
    attempt.flags = ",".join(dict.fromkeys(flags))
    attempt.save()
    first_pass = attempt.passed and not Attempt.objects.filter(  # scope-ok: the same member's attempts
        exam_id=attempt.exam_id, member_id=attempt.member_id, passed=True).exclude(pk=attempt.pk).exists()
    if first_pass:
        signals.exam_passed.send(actor=None, evidence=attempt)
    return attempt


def submit_due(*, now: dt.datetime | None = None) -> int:
    """Submit every attempt whose deadline passed (the scheduled job; also done on the next request)."""
    now = now or timezone.now()
    due = list(Attempt.objects.filter(status=AttemptStatus.ACTIVE, deadline__lte=now).values_list("pk", flat=True))  # scope-ok: job
    for pk in due:
        submit(actor=None, attempt_id=pk, auto=True, now=now)
    return len(due)


# --- courses ----------------------------------------------------------------------------------


def heartbeat(*, actor: Any, chapter: Chapter, visible_seconds: int, now: dt.datetime | None = None) -> ChapterProgress:
    """Credit the visible time the page reports since its previous beat, bounded by the server's
    clock (the time since the previous beat) and by the rule's longest gap."""
    now = now or timezone.now()
    member = _member_of(actor)
    if not open_to(member, chapter.course.org) or not chapter.course.published:
        raise RuleError(gettext("This course is not open to you."))
    rule = StudyRule.in_force(timezone.localtime(now).year)
    cap = rule.heartbeat_seconds if rule else 30
    with transaction.atomic():
        progress, _created = ChapterProgress.objects.select_for_update().get_or_create(member=member, chapter=chapter)
        if progress.last_beat_at is not None:
            elapsed = max(0, int((now - progress.last_beat_at).total_seconds()))
            credit = min(max(0, int(visible_seconds)), elapsed, cap)
            progress.visible_seconds += credit
        progress.last_beat_at = now
        progress.save()
    return progress


def chapter_needed_seconds(chapter: Chapter, rule: StudyRule | None) -> int:
    share = rule.visible_percent if rule else 80
    return chapter.expected_minutes * 60 * share // 100


def complete_course(*, actor: Any, course: Course, now: dt.datetime | None = None) -> CourseCompletion:
    """Record the completion when every chapter's visible time reached the threshold; refused otherwise."""
    now = now or timezone.now()
    member = _member_of(actor)
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()  # scope-ok: the actor's own record
        course = Course.objects.select_related("org").get(pk=course.pk)  # scope-ok: checked by open_to
        if not course.published or not open_to(member, course.org):
            raise RuleError(gettext("This course is not open to you."))
        existing = CourseCompletion.objects.filter(course=course, member=member).first()  # scope-ok: own
        if existing is not None:
            return existing
        rule = StudyRule.in_force(timezone.localtime(now).year)
        seen = dict(ChapterProgress.objects.filter(member=member, chapter__course=course)
                    .values_list("chapter_id", "visible_seconds"))
        for chapter in course.chapters.all():
            need = chapter_needed_seconds(chapter, rule)
            if seen.get(chapter.pk, 0) < need:
                raise RuleError(gettext("Chapter %(title)s: %(seen)s of the %(need)s minutes needed were spent "
                                        "on the page.") % {"title": chapter.title, "seen": seen.get(chapter.pk, 0) // 60,
                                                           "need": (need + 59) // 60})
        completion = CourseCompletion(course=course, member=member, org=member.org, hours=course.hours, rule=rule,
                                      completed_on=timezone.localtime(now).date())
        completion.save()
        # the system judged the visible time, as it grades a test: automatic entries have no human recorder
        signals.course_completed.send(actor=None, evidence=completion)
        return completion


def hours_of(member: Member, year: int) -> Decimal:
    rows = CourseCompletion.objects.filter(member=member, completed_on__year=year)  # scope-ok: caller passes own member
    return sum((r.hours for r in rows), Decimal("0"))
