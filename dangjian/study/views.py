"""Study screens: the bank, tests, courses and results for staff (the core's ModelViews), and the
member's mobile pages for taking a test or a course."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.errors import RuleError
from dangjian.core.excel import Column
from dangjian.core.scoping import get_scoped_or_404, scope_paths
from dangjian.core.views import ModelViews, Related
from dangjian.members.models import Member
from dangjian.study import rules, services, stats
from dangjian.study.filtersets import AttemptFilterSet, ChapterFilterSet, ExamFilterSet, QuestionFilterSet
from dangjian.study.forms import AssembleForm, ChapterForm, CourseForm, ExamForm, QuestionForm, StudyRuleForm
from dangjian.study.imports import EXPORT_COLUMNS, QuestionImporter
from dangjian.study.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Chapter,
    ChapterProgress,
    Course,
    CourseCompletion,
    Exam,
    Question,
    StudyRule,
)
from dangjian.study.tables import (
    AttemptTable,
    ChapterTable,
    CourseTable,
    ExamTable,
    QuestionTable,
    StudyRuleTable,
)

# --- staff screens ----------------------------------------------------------------------------


class QuestionViews(ModelViews):
    model = Question
    name = "question"
    namespace = "study"
    queryset = Question.objects.select_related("org")
    table = QuestionTable
    filterset = QuestionFilterSet
    form = QuestionForm
    importer = QuestionImporter
    detail_fields = ("org", "kind", "text", "options", "answer", "tags", "difficulty", "source", "explanation")
    export_columns = EXPORT_COLUMNS


class ExamViews(ModelViews):
    model = Exam
    name = "exam"
    namespace = "study"
    queryset = Exam.objects.select_related("org")
    table = ExamTable
    filterset = ExamFilterSet
    form = ExamForm
    detail_template = "study/exam_detail.html"
    detail_fields = ("org", "title", "opens_at", "closes_at", "time_limit_minutes", "attempts_allowed", "pass_percent",
                     "multiple_scoring", "shuffle", "published")
    export_columns = (Column(_("title"), "title", 30), Column(_("organizing organization"), "org__name", 28),
                      Column(_("opens at"), "opens_at", 18), Column(_("closes at"), "closes_at", 18))
    related = (Related(_("Test attempts"), "study:attempt_list", "exam"),)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"items": obj.items.select_related("question").order_by("position"),
                "assemble_form": AssembleForm()}


class AttemptViews(ModelViews):
    model = Attempt
    name = "attempt"
    namespace = "study"
    queryset = Attempt.objects.select_related("member", "org", "exam")
    table = AttemptTable
    filterset = AttemptFilterSet
    actions = ("list", "detail", "export")
    list_defer = ("layout",)
    detail_fields = ("exam", "member", "org", "number", "status", "started_at", "deadline", "submitted_at", "score",
                     "max_score", "percent", "passed", "flags")
    export_columns = (
        Column(_("test"), "exam__title", 24), Column(_("member"), "member__name", 12),
        Column(_("organization"), "org__name", 28), Column(_("attempt number"), "number", 6),
        Column(_("status"), "get_status_display", 10), Column(_("started at"), "started_at", 18),
        Column(_("submitted at"), "submitted_at", 18), Column(_("score"), "score", 8),
        Column(_("score (%)"), "percent", 8), Column(_("passed"), "passed", 6), Column(_("flags"), "flags", 12),
    )


class CourseViews(ModelViews):
    model = Course
    name = "course"
    namespace = "study"
    queryset = Course.objects.select_related("org")
    table = CourseTable
    form = CourseForm
    detail_fields = ("org", "title", "summary", "hours", "required_by", "published")
    export_columns = (Column(_("title"), "title", 30), Column(_("organization"), "org__name", 28),
                      Column(_("credit hours"), "hours", 8), Column(_("required by"), "required_by", 12))
    related = (Related(_("Chapters"), "study:chapter_list", "course"),)


class StudyRuleViews(ModelViews):
    model = StudyRule
    name = "rule"
    namespace = "study"
    table = StudyRuleTable
    form = StudyRuleForm
    actions = ("list", "detail", "add", "edit")  # a year's rules are kept: results name them
    detail_fields = ("year", "rapid_seconds", "rapid_share", "visible_percent", "heartbeat_seconds", "xuexi_cap",
                     "xuexi_per_point", "source")
    export_columns = (Column(_("year"), "year", 6), Column(_("visible time needed (%)"), "visible_percent", 8))


class ChapterViews(ModelViews):
    model = Chapter
    name = "chapter"
    namespace = "study"
    queryset = Chapter.objects.select_related("course")
    table = ChapterTable
    filterset = ChapterFilterSet
    form = ChapterForm
    detail_fields = ("course", "title", "body", "video_url", "expected_minutes", "position")
    export_columns = (Column(_("course"), "course__title", 30), Column(_("title"), "title", 30),
                      Column(_("expected duration (minutes)"), "expected_minutes", 8))


@require_POST
def exam_assemble(request: HttpRequest, pk: int) -> HttpResponse:
    exam = get_scoped_or_404(request.user, Exam.objects.select_related("org"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    form = AssembleForm(request.POST)
    if form.is_valid():
        try:
            n = services.assemble(actor=request.user, exam=exam, tag=form.cleaned_data["tag"].strip(),
                                  difficulty=form.cleaned_data["difficulty"], count=form.cleaned_data["count"],
                                  points=form.cleaned_data["points"] or Decimal("1"))
        except RuleError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, gettext("%(n)s questions added.") % {"n": n})
    else:
        messages.error(request, gettext("Give the number of questions to draw."))
    return HttpResponseRedirect(ExamViews.url("detail", exam))


@require_POST
def exam_publish(request: HttpRequest, pk: int) -> HttpResponse:
    exam = get_scoped_or_404(request.user, Exam.objects.select_related("org"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    try:
        services.publish(actor=request.user, exam=exam)
    except RuleError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("The test is published."))
    return HttpResponseRedirect(ExamViews.url("detail", exam))


@require_GET
def exam_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Per-question statistics, per-organization participation and pass rates, flagged attempts."""
    exam = get_scoped_or_404(request.user, Exam.objects.select_related("org"), "view", pk=pk)  # scope-ok: get_scoped_or_404
    prefixes = scope_paths(request.user, "study", "view")
    return render(request, "study/exam_results.html", {
        "exam": exam, "questions": stats.question_stats(exam, prefixes), "orgs": stats.org_stats(exam, prefixes),
        "flagged": stats.flagged(exam, prefixes)[:200],
    })


# --- the member's pages -----------------------------------------------------------------------


def _member(request: HttpRequest) -> Member:
    member_id = getattr(request.user, "member_id", None)
    if not member_id:
        raise Http404
    return Member.objects.select_related("org").get(pk=member_id)  # scope-ok: the user's own record


def _ancestors(member: Member) -> list[str]:
    path = member.org.path
    return [path[:i] for i in range(4, len(path) + 1, 4)]


def open_exams(member: Member) -> QuerySet[Exam]:
    """Published tests of the member's organization and of those above it (the rule of services.open_to)."""
    return Exam.objects.filter(org__path__in=_ancestors(member), published=True)  # scope-ok: open_to rule


def open_courses(member: Member) -> QuerySet[Course]:
    return Course.objects.filter(org__path__in=_ancestors(member), published=True)  # scope-ok: open_to rule


def inbox_due(user: Any) -> dict[str, Any] | None:
    """The member's reminders: open tests not yet taken, required courses not yet completed."""
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return None
    member = Member.objects.select_related("org").filter(pk=member_id).first()  # scope-ok: the user's own record
    if member is None:
        return None
    now = timezone.now()
    taken = Attempt.objects.filter(member=member).exclude(status=AttemptStatus.ACTIVE).values("exam_id")  # scope-ok: own
    exams = list(open_exams(member).filter(opens_at__lte=now, closes_at__gt=now).exclude(pk__in=taken).select_related("org")
                 .order_by("closes_at")[:10])
    done = CourseCompletion.objects.filter(member=member).values("course_id")  # scope-ok: own
    courses = list(open_courses(member).filter(required_by__isnull=False).exclude(pk__in=done).order_by("required_by")[:10])
    if not exams and not courses:
        return None
    return {"exams": exams, "courses": courses, "today": timezone.localdate()}


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The member's study corner (mobile-first): open tests, courses, results, hours and points."""
    member = _member(request)
    now = timezone.now()
    exams = list(open_exams(member).filter(closes_at__gt=now - dt.timedelta(days=30)).order_by("closes_at"))
    attempts = Attempt.objects.visible_to(request.user, "view").filter(member=member).select_related("exam")
    done = {c.course_id: c for c in CourseCompletion.objects.visible_to(request.user, "view").filter(member=member)}
    courses = list(open_courses(member).order_by("required_by", "-id"))
    year = timezone.localdate().year
    return render(request, "study/mine.html", {
        "member": member, "exams": exams, "attempts": attempts[:20], "now": now, "courses": courses, "done": done,
        "hours": services.hours_of(member, year), "year": year,
    })


@require_POST
def exam_start(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request)
    exam = open_exams(member).filter(pk=pk).first()
    if exam is None:
        raise Http404
    try:
        attempt = services.start_attempt(actor=request.user, exam=exam, session_key=request.session.session_key)
    except RuleError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("study:mine"))
    return HttpResponseRedirect(reverse("study:take", args=[attempt.pk]))


def _own_attempt(request: HttpRequest, pk: int) -> Attempt:
    return get_scoped_or_404(request.user, Attempt.objects.select_related("exam").filter(  # scope-ok: scoped lookup
        member_id=getattr(request.user, "member_id", None)), "view", pk=pk)


@require_GET
def take(request: HttpRequest, pk: int) -> HttpResponse:
    """The test page: the questions in the attempt's order, without the key; a timed-out attempt
    is submitted on this request (the server's clock)."""
    attempt = _own_attempt(request, pk)
    if attempt.status == AttemptStatus.ACTIVE and attempt.deadline <= timezone.now():
        attempt = services.submit(actor=request.user, attempt_id=attempt.pk, auto=True)
    if attempt.status != AttemptStatus.ACTIVE:
        return HttpResponseRedirect(reverse("study:result", args=[attempt.pk]))
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[qid for qid, _o in attempt.layout])}  # scope-ok: the attempt's
    saved = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "response"))  # scope-ok: own attempt
    items = [rules.public_question(questions[qid], order, n, saved.get(qid, ""))
             for n, (qid, order) in enumerate(attempt.layout, start=1) if qid in questions]
    remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return render(request, "study/take.html", {"attempt": attempt, "items": items, "remaining": remaining,
                                               "answered": sum(1 for i in items if i["saved"])})


@require_POST
def answer(request: HttpRequest, pk: int) -> JsonResponse:
    """Save one answer (JSON or form post): one read, one small write."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
    else:
        body = request.POST
    try:
        question_id = int(body.get("question", ""))
    except (TypeError, ValueError):
        return JsonResponse({"ok": False, "error": gettext("Choose a question.")}, status=400)
    value = body.get("answer", "")
    if isinstance(value, list):
        value = "".join(str(v) for v in value)
    try:
        services.save_answer(actor=request.user, attempt_id=pk, question_id=question_id, shown=str(value)[:200],
                             session_key=request.session.session_key)
    except RuleError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages),
                             "result": reverse("study:result", args=[pk])}, status=409)
    return JsonResponse({"ok": True})


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    services.submit(actor=request.user, attempt_id=attempt.pk)
    return HttpResponseRedirect(reverse("study:result", args=[attempt.pk]))


@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """After submission: the score, each question with the member's answer and the key, the points."""
    attempt = _own_attempt(request, pk)
    if attempt.status == AttemptStatus.ACTIVE:
        if attempt.deadline > timezone.now():
            return HttpResponseRedirect(reverse("study:take", args=[attempt.pk]))
        attempt = services.submit(actor=request.user, attempt_id=attempt.pk, auto=True)
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt).select_related("question")}  # scope-ok: own
    rows = []
    for n, (qid, order) in enumerate(attempt.layout, start=1):
        a = answers.get(qid)
        if a is None:
            continue
        q = a.question
        shown = rules.original_to_shown(a.response, order) if order else a.response
        key = rules.original_to_shown(rules.normalize_choice(q.answer), order) if order else q.answer
        if q.kind == "judge":
            labels = {rules.TRUE: gettext("True"), rules.FALSE: gettext("False")}
            shown, key = labels.get(rules.normalize_judge(shown), shown), labels.get(rules.normalize_judge(key), key)
        rows.append({"n": n, "q": rules.public_question(q, order, n, a.response), "shown": shown, "key": key,
                     "correct": a.correct, "points": a.points, "explanation": q.explanation})
    return render(request, "study/result.html", {"attempt": attempt, "rows": rows,
                                                 "points": _points_of(request, attempt)})


def _points_of(request: HttpRequest, attempt: Attempt) -> int | None:
    """Points the ledger wrote for this attempt (read through the ledger's own scoping)."""
    from django.apps import apps

    if not apps.is_installed("dangjian.points"):
        return None
    entry = apps.get_model("points", "PointEntry")
    rows = entry.objects.visible_to(request.user, "view").filter(evidence=f"study.attempt:{attempt.pk}", live=True)
    return sum(rows.values_list("points", flat=True)) if rows.exists() else None


@require_GET
def course_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request)
    course = open_courses(member).filter(pk=pk).first()
    if course is None:
        raise Http404
    chapters = list(course.chapters.all())
    rule = StudyRule.in_force(timezone.localdate().year)
    seen = dict(ChapterProgress.objects.filter(member=member, chapter__course=course)  # scope-ok: own progress
                .values_list("chapter_id", "visible_seconds"))
    rows = [{"chapter": c, "seen": seen.get(c.pk, 0) // 60, "need": (services.chapter_needed_seconds(c, rule) + 59) // 60,
             "ok": seen.get(c.pk, 0) >= services.chapter_needed_seconds(c, rule)} for c in chapters]
    completion = CourseCompletion.objects.visible_to(request.user, "view").filter(course=course, member=member).first()
    return render(request, "study/course.html", {"course": course, "rows": rows, "completion": completion,
                                                 "all_ok": all(r["ok"] for r in rows) and bool(rows)})


@require_GET
def chapter_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request)
    chapter = Chapter.objects.select_related("course").filter(  # scope-ok: open_courses rule
        pk=pk, course__in=open_courses(member)).first()
    if chapter is None:
        raise Http404
    rule = StudyRule.in_force(timezone.localdate().year)
    services.heartbeat(actor=request.user, chapter=chapter, visible_seconds=0)  # opens the visible-time clock
    return render(request, "study/chapter.html", {"chapter": chapter, "interval": min(15, rule.heartbeat_seconds if rule else 15),
                                                  "need": (services.chapter_needed_seconds(chapter, rule) + 59) // 60})


@require_POST
def chapter_beat(request: HttpRequest, pk: int) -> JsonResponse:
    member = _member(request)
    chapter = Chapter.objects.select_related("course__org").filter(  # scope-ok: open_courses rule
        pk=pk, course__in=open_courses(member)).first()
    if chapter is None:
        raise Http404
    try:
        seconds = int(request.POST.get("visible", "0"))
    except ValueError:
        seconds = 0
    progress = services.heartbeat(actor=request.user, chapter=chapter, visible_seconds=seconds)
    return JsonResponse({"ok": True, "seen": progress.visible_seconds})


@require_http_methods(["POST"])
def course_complete(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request)
    course = open_courses(member).filter(pk=pk).first()
    if course is None:
        raise Http404
    try:
        services.complete_course(actor=request.user, course=course)
    except RuleError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("Course completed."))
    return HttpResponseRedirect(reverse("study:course_page", args=[course.pk]))


