"""Study and tests (F9): the question bank, tests and attempts, courses with visible-time credit.

Rules as data: :class:`StudyRule` (one row per year) holds the thresholds a result depends on
(rapid-fire answering, course visible-time share, the heartbeat's longest credited gap); every
attempt and completion keeps the rule row it was judged with.

The answer key (``Question.answer``) is read only by :mod:`dangjian.study.grading` on the
server; the member's pages and the API render :func:`dangjian.study.rules.public_question`,
which carries no key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    JUDGE = "judge", _("True or false")
    FILL = "fill", _("Fill in the blank")


class Difficulty(models.IntegerChoices):
    EASY = 1, pgettext_lazy("difficulty", "Easy")
    MEDIUM = 2, pgettext_lazy("difficulty", "Medium")
    HARD = 3, pgettext_lazy("difficulty", "Hard")


class MultipleScoring(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing")
    PARTIAL = "partial", _("Partial credit for a correct subset")


class AttemptStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    SUBMITTED = "submitted", pgettext_lazy("attempt", "Submitted")
    AUTO = "auto", _("Submitted at the time limit")


class StudyRule(RulesTable):
    """The year's thresholds of study and tests (DOMAIN.md 5.3: no daily quotas, no public ranking)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rapid_seconds = models.PositiveSmallIntegerField(
        _("rapid answer (seconds)"), default=3,
        help_text=_("An answer saved sooner than this after the previous one counts as rapid."))
    rapid_share = models.PositiveSmallIntegerField(
        _("rapid answers flagged from (%)"), default=50,
        help_text=_("An attempt is flagged when at least this share of its answers were rapid."))
    visible_percent = models.PositiveSmallIntegerField(
        _("visible time needed (%)"), default=80,
        help_text=_("Share of a chapter's expected duration the page must have been visible."))
    heartbeat_seconds = models.PositiveSmallIntegerField(
        _("heartbeat gap credited at most (seconds)"), default=30,
        help_text=_("A heartbeat credits the time since the previous one, at most this much."))
    xuexi_cap = models.PositiveSmallIntegerField(
        _("Xuexi Qiangguo points cap per year"), default=5,
        help_text=_("Most member points an imported Xuexi Qiangguo yearly total may add."))
    xuexi_per_point = models.PositiveIntegerField(
        _("Xuexi Qiangguo score per member point"), default=2000)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("study rule")
        verbose_name_plural = _("study rules")

    def __str__(self) -> str:
        return gettext("%(year)s study rules") % {"year": self.year}


class Question(ScopedModel):
    """A question of an organization's bank. Options are lines of text; the key names them by letter."""

    scope_area = "study"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    kind = models.CharField(_("question type"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    options = models.TextField(_("options"), blank=True, help_text=_("One option per line (choice questions)."))
    answer = models.CharField(
        _("answer key"), max_length=200,
        help_text=_("Letters for choice questions (A, ACD), T or F for true or false, accepted answers "
                    "separated by | for fill-in."))
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Comma separated."))
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), choices=Difficulty.choices,
                                                  default=Difficulty.MEDIUM)
    source = models.CharField(_("source"), max_length=200, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ("org", "id")
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "difficulty"])]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace(chr(0xFF0C), ",").split(",") if t.strip()]

    def clean(self) -> None:
        from dangjian.study.rules import key_problem

        problem = key_problem(self.kind, self.option_list, self.answer)
        if problem:
            from django.core.exceptions import ValidationError

            raise ValidationError({problem[0]: problem[1]})


class Exam(ScopedModel):
    """A test (理论测试) of an organization, open to every member of its subtree within its window."""

    scope_area = "study"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organizing organization"))
    title = models.CharField(_("title"), max_length=120)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=30)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    multiple_scoring = models.CharField(_("multiple choice scoring"), max_length=10, choices=MultipleScoring.choices,
                                        default=MultipleScoring.ALL_OR_NOTHING)
    shuffle = models.BooleanField(_("shuffle questions and options"), default=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ("-opens_at", "id")
        verbose_name = _("test")
        verbose_name_plural = _("tests")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": gettext("The test must close after it opens.")})


class ExamQuestion(ScopedModel):
    """A question on a test, with its points."""

    scope_area = "study"
    scope_path = "exam__org"

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="items", verbose_name=_("test"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, default=Decimal("1"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("exam", "position", "id")
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["exam", "question"], name="study_question_once_per_exam",
                                    violation_error_message=_("This question is already on the test.")),
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.question}"


class Attempt(ScopedModel):
    """A member's attempt at a test: the shuffled order (seeded per attempt), the deadline by the
    server's clock, and after submission the score and the flags for the organizer."""

    scope_area = "study"
    scope_path = "org"
    owner_path = "member"

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("test"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"), help_text=_("The member's organization when starting."))
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    seed = models.BigIntegerField(_("shuffle seed"))
    layout = models.JSONField(_("layout"), default=list, help_text=_("Question ids and option orders shown."))
    status = models.CharField(_("status"), max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.ACTIVE)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    session = models.CharField(_("session"), max_length=64, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=1, null=True, blank=True)
    max_score = models.DecimalField(_("full marks"), max_digits=7, decimal_places=1, null=True, blank=True)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    flags = models.CharField(_("flags"), max_length=100, blank=True)
    rule = models.ForeignKey(StudyRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("rules applied"))

    audit_exclude = ("layout", "seed", "session")

    class Meta:
        ordering = ("-started_at", "id")
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member"], condition=Q(status="active"), name="study_one_active_attempt",
                                    violation_error_message=_("You already have a test in progress.")),
            models.UniqueConstraint(fields=["exam", "member", "number"], name="study_attempt_number",
                                    violation_error_message=_("This attempt was already started.")),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["exam", "status"]),
                                                 models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.exam} · {self.member}"

    @property
    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(",") if f]


class Answer(models.Model):
    """One saved answer: written by a single UPDATE of its pre-created row (no audit per keystroke;
    the attempt's start and submission are audited)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    response = models.CharField(max_length=200, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    correct = models.BooleanField(null=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["attempt", "question"], name="study_one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


class Course(ScopedModel):
    """A course (微党课) of an organization: text, a video link on the intranet, chapters."""

    scope_area = "study"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    hours = models.DecimalField(_("credit hours"), max_digits=4, decimal_places=1, default=Decimal("1"))
    published = models.BooleanField(_("published"), default=False)
    required_by = models.DateField(_("required by"), null=True, blank=True,
                                   help_text=_("Every member of the organization's subtree completes it by this date."))

    class Meta:
        ordering = ("org", "-id")
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class Chapter(ScopedModel):
    scope_area = "study"
    scope_path = "course__org"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("course"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), blank=True)
    video_url = models.CharField(_("video link (intranet)"), max_length=300, blank=True)
    expected_minutes = models.PositiveSmallIntegerField(_("expected duration (minutes)"), default=10)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("course", "position", "id")
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return f"{self.course} · {self.title}"


class ChapterProgress(models.Model):
    """Visible-page seconds credited to a member on a chapter by the heartbeat (the server's clock
    bounds each credit: a background tab or a forged report earns nothing more). Not audited per
    beat (an infrastructure counter, declared in ``unscoped_models``); it sits in the study area's
    member data."""

    scope_area: ClassVar[str] = "study"

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    visible_seconds = models.PositiveIntegerField(default=0)
    last_beat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member", "chapter"], name="study_one_progress_per_chapter"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.chapter_id}"


class CourseCompletion(ScopedModel):
    """A member completed a course: the evidence of the points entry and of the year's hours."""

    scope_area = "study"
    scope_path = "org"
    owner_path = "member"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions", verbose_name=_("course"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    rule = models.ForeignKey(StudyRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("rules applied"))

    class Meta:
        ordering = ("-completed_on", "id")
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["course", "member"], name="study_complete_once",
                                    violation_error_message=_("This course is already completed.")),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.member}"
