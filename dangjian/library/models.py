"""The rules library (党内法规库, F18) and the record-quality checks (防形式主义).

Library: a regulation ``Document`` has ``Version`` s with their effective dates; a version holds
its ``Article`` s (number, label, chapter, text). ``Posting`` is the inverted index (term ->
article, term frequency) that search ranks with BM25 on SQLite and PostgreSQL alike. A
``Citation`` ties a rule row of the platform (a dues band, a meeting kind, a requirement) to the
article it applies.

Quality: ``QualityRule`` rows (rules as data, per year and meeting kind) set the thresholds;
``RecordPrint`` / ``RecordBand`` are the MinHash signature of a saved record and its LSH band
keys (an indexed table: the candidates of a record are an index look-up); ``QualityFlag`` is
what the reviewer sees: the record, the reason, the evidence (matching record, similarity,
rule row) and the reviewer's decision.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable


class Document(ScopedModel):
    """A regulation (党章, 支部工作条例, a bureau's own 办法 ...)."""

    scope_area = "library"
    scope_path = None

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    short_title = models.CharField(_("short title"), max_length=40, blank=True,
                                   help_text=_("How people name it in a question, e.g. the branch work rules."))
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("code",)
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def __str__(self) -> str:
        return f"\u300a{self.title}\u300b"  # zh-ok: text pattern of regulations, not a message

    def get_absolute_url(self) -> str:
        return reverse("library:document", args=[self.pk])

    def version_in_force(self, at: dt.date | None = None) -> Version | None:
        at = at or timezone.localdate()
        return (self.versions.filter(effective_from__lte=at).order_by("-effective_from").first()
                or self.versions.order_by("effective_from").first())


class Version(ScopedModel):
    """One text of a regulation, in force from a date until the next version's date."""

    scope_area = "library"
    scope_path = None

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("regulation"))
    label = models.CharField(_("version"), max_length=40)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source of the text"), max_length=300, blank=True)
    restated = models.BooleanField(
        _("restated text"), default=False,
        help_text=_("The articles restate the rule in our words (from DOMAIN.md); upload the official text to replace them."),
    )
    file_name = models.CharField(_("uploaded file"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))

    class Meta:
        ordering = ("document", "-effective_from")
        verbose_name = _("regulation version")
        verbose_name_plural = _("regulation versions")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["document", "label"], name="library_one_version_label",
                violation_error_message=_("This regulation already has a version with this label.")),
        ]

    def __str__(self) -> str:
        return f"{self.document}\uff08{self.label}\uff09"  # zh-ok: text pattern of regulations, not a message


class Article(ScopedModel):
    """One article (第X条) of a version, with its chapter and its numbered items in the text."""

    scope_area = "library"
    scope_path = None

    edition = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="articles",
                                verbose_name=_("regulation version"))
    number = models.PositiveSmallIntegerField(_("article number"))
    label = models.CharField(_("article"), max_length=20)
    chapter = models.CharField(_("chapter"), max_length=60, blank=True)
    text = models.TextField(_("text"))
    items = models.PositiveSmallIntegerField(_("numbered items"), default=0)
    length = models.PositiveIntegerField(_("index terms"), default=0, editable=False)

    class Meta:
        ordering = ("edition", "number")
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["edition", "number"], name="library_one_article_number",
                violation_error_message=_("This version already has an article with this number.")),
        ]

    def __str__(self) -> str:
        return f"{self.edition.document}{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("library:article", args=[self.pk])

    @property
    def citation_text(self) -> str:
        return f"{self.edition.document}\uff08{self.edition.label}\uff09{self.label}"  # zh-ok: text pattern of regulations, not a message


class Posting(models.Model):
    """The inverted index: a term of an article and how often it occurs there."""

    term = models.CharField(max_length=40)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    tf = models.PositiveSmallIntegerField(default=1)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["term", "article"], name="library_posting_term")]

    def __str__(self) -> str:
        return f"{self.term}:{self.article_id}"


class Citation(ScopedModel):
    """A rule row of the platform (``rule_model`` / ``object_id``; no id: the whole table) and the
    article it applies."""

    scope_area = "library"
    scope_path = None

    rule_model = models.CharField(_("rule table"), max_length=60)
    object_id = models.PositiveIntegerField(_("rule row"), null=True, blank=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations",
                                verbose_name=_("article"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("rule_model", "object_id")
        verbose_name = _("rule citation")
        verbose_name_plural = _("rule citations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["rule_model", "object_id", "article"], name="library_one_citation",
                violation_error_message=_("This rule already cites this article.")),
        ]

    def __str__(self) -> str:
        return f"{self.rule_model}:{self.object_id or '*'} -> {self.article_id}"


# --- Record quality --------------------------------------------------------------------------


class QualityCheck(models.TextChoices):
    NEAR_DUPLICATE = "near_duplicate", _("Near-duplicate of another record")
    TOO_SHORT = "too_short", _("Minutes far shorter than the minimum")
    BOILERPLATE = "boilerplate", _("Minutes are only boilerplate")
    NO_RESOLUTION = "no_resolution", _("No resolution recorded")
    NO_ATTENDANCE = "no_attendance", _("No attendance recorded")
    TOPIC_REPEAT = "topic_repeat", _("Topic repeats the previous meeting's")
    LATE_RECORD = "late_record", _("Recorded long after the meeting")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class QualityRule(RulesTable):
    """The record-quality thresholds of a year for one meeting kind (no kind: every other kind).
    Modest on purpose: a flag asks a reviewer to look, it never blocks or scores a record."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.ForeignKey("meetings.MeetingKind", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("meeting kind"),
                             help_text=_("Empty: every kind without its own row."))
    enabled = models.BooleanField(_("checks on"), default=True)
    duplicate_threshold = models.DecimalField(
        _("near-duplicate similarity"), max_digits=3, decimal_places=2, default=Decimal("0.70"),
        help_text=_("Share of shared text (0-1) from which two records are flagged as near-duplicates."),
    )
    min_minutes_chars = models.PositiveIntegerField(
        _("minimum length of the minutes (characters)"), default=80,
        help_text=_("0: no length check."),
    )
    require_resolution = models.BooleanField(_("minutes must record a resolution"), default=False)
    resolution_words = models.CharField(
        _("words that mark a resolution"), max_length=200, blank=True,
        help_text=_("Separated by spaces."),
    )
    boilerplate_words = models.CharField(
        _("boilerplate phrases"), max_length=300, blank=True,
        help_text=_("Separated by spaces; minutes that are nothing but these are flagged."),
    )
    require_attendance = models.BooleanField(_("attendance must be recorded"), default=True)
    topic_repeat = models.BooleanField(_("flag a topic repeating the previous meeting's"), default=False)
    late_days = models.PositiveSmallIntegerField(
        _("recorded late after (days)"), default=30,
        help_text=_("0: no check. Days between the meeting's end and the creation of its record."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year", "kind_id")
        verbose_name = _("record-quality rule")
        verbose_name_plural = _("record-quality rules")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "kind"], name="library_one_quality_rule",
                violation_error_message=_("A record-quality rule for this year and meeting kind already exists.")),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind or '*'}"

    @classmethod
    def for_meeting(cls, kind_id: int, year: int) -> QualityRule | None:
        rows = list(cls.rows_in_force(year))
        own = [r for r in rows if r.kind_id == kind_id]
        general = [r for r in rows if r.kind_id is None]
        return (own or general or [None])[0]


class RecordPrint(models.Model):
    """The MinHash signature of a saved record's minutes (infrastructure: no screen)."""

    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    signature = models.BinaryField()
    shingles = models.PositiveIntegerField(default=0)
    #: blake2b of the normalised minutes the signature was made from (empty: made before it was kept)
    digest = models.BinaryField(max_length=16, default=b"")

    def __str__(self) -> str:
        return f"print:{self.meeting_id}"


class RecordBand(models.Model):
    """One LSH band key of a record's signature: equal keys make candidates."""

    band_key = models.BigIntegerField()
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["band_key"], name="library_band_key")]

    def __str__(self) -> str:
        return f"band:{self.meeting_id}"


class QualityFlag(ScopedModel):
    """A record the checks flagged, with its evidence, for the reviewer to confirm or dismiss."""

    scope_area = "quality"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="quality_flags",
                                verbose_name=_("record"))
    reason = models.CharField(_("check"), max_length=20, choices=QualityCheck.choices)
    matched = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("matching record"))
    matched_key = models.PositiveIntegerField(default=0, editable=False)
    similarity = models.DecimalField(_("similarity"), max_digits=4, decimal_places=3, null=True, blank=True)
    rule = models.ForeignKey(QualityRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule"))
    detail = models.CharField(_("evidence"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("reviewer's note"), max_length=300, blank=True)

    class Meta:
        ordering = ("status", "-created_at", "-id")
        verbose_name = _("record-quality flag")
        verbose_name_plural = _("record-quality flags")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["meeting", "reason", "matched_key"], name="library_one_flag",
                violation_error_message=_("This record already has this flag.")),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "status"])]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.get_reason_display()}"
