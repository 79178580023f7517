"""书记抓党建述职评议 (DOMAIN.md 8) and 民主评议党员 (DOMAIN.md 4.1).

Anonymous ballots: a voter's ballot adds one to ``BallotCount`` (report, option) — a counter
with no voter, no time and no row per ballot — and sets ``ReviewAttendee.has_voted``, a flag
per voter kept apart from the counts. Nothing stored links a choice to a voter: the audit log
records the flag (who voted, when) and never the counts, which are written in bulk with
``F()`` and are not audited. The tally is shown only after the round closes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.assessment.choices import DisposalStep, MemberGrade, RoundStatus
from dangjian.assessment.models.rules import ReviewOption, pts
from dangjian.core.attachments import AttachmentBase
from dangjian.core.models import ScopedModel


class ReviewRound(ScopedModel):
    scope_area = "assessment"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organizing committee"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("from"))
    closes_on = models.DateField(_("until"))
    session_on = models.DateField(_("on-site session"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)

    class Meta:
        ordering = ("-year", "org__path")
        verbose_name = _("secretaries' review round")
        verbose_name_plural = _("secretaries' review rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED


class ReviewReport(ScopedModel):
    """One secretary's report in a round and, after the close, its rating."""

    scope_area = "assessment"
    scope_path = "org"

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reports", verbose_name=_("round"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization reviewed"))
    secretary = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("secretary"))
    summary = models.TextField(_("report summary"), blank=True)
    remarks = models.TextField(_("remarks of the higher leaders"), blank=True)
    average = pts(_("average score"), null=True, blank=True)
    rating = models.ForeignKey(ReviewOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("rating"))
    rectification = models.TextField(_("rectification list"), blank=True)

    class Meta:
        ordering = ("round", "org__path")
        verbose_name = _("secretary's report")
        verbose_name_plural = _("secretaries' reports")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "org"], name="assessment_one_report_per_round",
                                    violation_error_message=_("This organization already reports in this round.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.secretary}"


class ReviewReportFile(AttachmentBase):
    scope_area = "assessment"
    scope_path = "report__org"
    upload_prefix = "assessment"

    report = models.ForeignKey(ReviewReport, on_delete=models.CASCADE, related_name="files", verbose_name=_("report"))

    class Meta:
        ordering = ("id",)
        verbose_name = _("report file")
        verbose_name_plural = _("report files")


class ReviewAttendee(ScopedModel):
    """An attendee entitled to vote once in a round; ``has_voted`` is all that is kept of it."""

    scope_area = "assessment"
    scope_path = "round__org"

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("round"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("attendee"))
    has_voted = models.BooleanField(_("has voted"), default=False)

    class Meta:
        ordering = ("round", "user__username")
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "user"], name="assessment_attend_once",
                                    violation_error_message=_("This user already attends this round.")),
        ]

    def __str__(self) -> str:
        return str(self.user)


class BallotCount(models.Model):
    """How many ballots chose ``option`` for ``report``: no voter, no time, no ballot row."""

    report = models.ForeignKey(ReviewReport, on_delete=models.CASCADE, related_name="counts")
    option = models.ForeignKey(ReviewOption, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "option"], name="assessment_one_count_per_option",
                                    violation_error_message=_("This count exists already.")),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.option_id}"


class MemberReviewRound(ScopedModel):
    """A branch's 民主评议党员 of a year; ``excellent_max_share``: 优秀 at most this percent of
    the members reviewed (a maximum, never a quota)."""

    scope_area = "assessment"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    year = models.PositiveSmallIntegerField(_("year"))
    excellent_max_share = models.DecimalField(_("excellent at most (% of members)"), max_digits=5, decimal_places=2,
                                              default=Decimal("33.33"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)

    class Meta:
        ordering = ("-year", "org__path")
        verbose_name = _("democratic evaluation of members")
        verbose_name_plural = _("democratic evaluations of members")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="assessment_one_member_review_per_year",
                                    violation_error_message=_("This branch already has an evaluation this year.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class MemberReview(ScopedModel):
    scope_area = "assessment"
    scope_path = "round__org"
    owner_path = "member"

    round = models.ForeignKey(MemberReviewRound, on_delete=models.CASCADE, related_name="reviews",
                              verbose_name=_("evaluation"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    peer_review = models.TextField(_("peer review"), blank=True)
    votes_excellent = models.PositiveIntegerField(_("votes: excellent"), default=0)
    votes_qualified = models.PositiveIntegerField(_("votes: qualified"), default=0)
    votes_basic = models.PositiveIntegerField(_("votes: basically qualified"), default=0)
    votes_unqualified = models.PositiveIntegerField(_("votes: unqualified"), default=0)
    proposal = models.CharField(_("proposal of the branch committee"), max_length=12, choices=MemberGrade.choices,
                                blank=True)
    grade = models.CharField(pgettext_lazy("assessment", "grade"), max_length=12, choices=MemberGrade.choices, blank=True)
    decision_ref = models.CharField(_("decision (meeting, document)"), max_length=200, blank=True)

    class Meta:
        ordering = ("round", "member__name")
        verbose_name = _("member evaluation")
        verbose_name_plural = _("member evaluations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "member"], name="assessment_one_review_per_member",
                                    violation_error_message=_("This member is already in this evaluation.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.round.year}"


class Disposal(ScopedModel):
    """A recorded 处置 decision for an unqualified member (限期改正 → 劝退 → 除名): never automatic."""

    scope_area = "assessment"
    scope_path = "review__round__org"
    owner_path = "review__member"

    review = models.ForeignKey(MemberReview, on_delete=models.PROTECT, related_name="disposals",
                               verbose_name=_("member evaluation"))
    step = models.CharField(_("step"), max_length=10, choices=DisposalStep.choices)
    decided_on = models.DateField(_("decided on"))
    decision_ref = models.CharField(_("decision (meeting, document)"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ("review", "decided_on", "id")
        verbose_name = _("disposal decision")
        verbose_name_plural = _("disposal decisions")

    def __str__(self) -> str:
        return f"{self.review.member} {self.get_step_display()}"
