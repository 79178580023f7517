"""Member points (F5) and police daily-violation scoring (F6): rules as data, an append-only ledger.

Rules are yearly rows (:class:`PointScheme`, :class:`PointCategory`, :class:`PointRule`,
:class:`ViolationKind`); a year without rows uses the latest earlier year's (``RulesTable``), and
``services.copy_catalog`` copies them into a new year so past years keep theirs. Every
:class:`PointEntry` names the rule row it used, its member, its year and month and its evidence;
its facts (rule, member, points, evidence) never change once written — a correction is a
reversing entry pointing at the entry it reverses. :class:`PointBalance` is the maintained
per-member, per-year sum of the final entries (rankings read it, never the ledger).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.attachments import AttachmentBase
from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable
from dangjian.points.choices import (
    EntryKind,
    EntryStatus,
    Measure,
    ObjectionOutcome,
    ProposalStatus,
    Trigger,
    ViolationCycle,
    ViolationStatus,
)

# --- Rules as data --------------------------------------------------------------------------


class PointScheme(RulesTable):
    """A year's scheme: base, floor, stars, the publication window and the violation thresholds."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    base = models.IntegerField(_("base points"), default=60)
    floor = models.IntegerField(_("floor"), default=0, help_text=_("A balance never shows below this."))
    star_thresholds = models.CharField(
        _("star thresholds"), max_length=60, default="70,80,90",
        help_text=_("Balances at or above each number earn one more star, comma separated."))
    objection_working_days = models.PositiveSmallIntegerField(_("objection window (working days)"), default=3)
    violation_cycle = models.CharField(_("violation scoring cycle"), max_length=10, choices=ViolationCycle.choices,
                                       default=ViolationCycle.CALENDAR_YEAR)
    violation_thresholds = models.CharField(
        _("violation thresholds"), max_length=60, default="4,8,12",
        help_text=_("Totals that create a proposal: reminder talk, admonition talk, suspension and training."))
    appeal_days = models.PositiveSmallIntegerField(_("appeal window (days)"), default=5)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("points scheme")
        verbose_name_plural = _("points schemes")

    def __str__(self) -> str:
        return gettext("%(year)s points scheme") % {"year": self.year}

    @staticmethod
    def _numbers(text: str) -> list[int]:
        return sorted(int(part) for part in text.replace(chr(0xFF0C), ",").split(",") if part.strip().lstrip("-").isdigit())

    @property
    def stars(self) -> list[int]:
        return self._numbers(self.star_thresholds)

    @property
    def thresholds(self) -> list[int]:
        return self._numbers(self.violation_thresholds)

    def star_level(self, score: int) -> int:
        return sum(1 for t in self.stars if score >= t)


class PointCategory(RulesTable):
    """A category of rules with its cap per member per year (``None``: no cap)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    cap = models.PositiveSmallIntegerField(_("yearly cap"), null=True, blank=True,
                                           help_text=_("Most points the category adds per member per year; empty: no cap."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ("-year", "sort_order", "id")
        verbose_name = _("points category")
        verbose_name_plural = _("points categories")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "code"], name="one_point_category_per_year",
                                    violation_error_message=_("This year already has a category with this code.")),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class PointRule(RulesTable):
    """One rule of a year's catalog: what earns or costs how many points, and who writes it."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    code = models.SlugField(_("code"), max_length=40)
    category = models.ForeignKey(PointCategory, on_delete=models.PROTECT, related_name="rules",
                                 verbose_name=_("category"))
    description = models.CharField(_("description"), max_length=200)
    points = models.IntegerField(_("points"), help_text=_("Negative for a deduction."))
    trigger = models.CharField(_("written by"), max_length=20, choices=Trigger.choices, default=Trigger.MANUAL)
    meeting_kinds = models.CharField(_("meeting kinds"), max_length=300, blank=True,
                                     help_text=_("For attendance rules: meeting kind codes, comma separated."))
    needs_approval = models.BooleanField(_("needs branch approval"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("-year", "category__sort_order", "code")
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "code"], name="one_point_rule_per_year",
                                    violation_error_message=_("This year already has a rule with this code.")),
        ]

    def __str__(self) -> str:
        sign = "+" if self.points > 0 else ""
        return f"{self.description} ({sign}{self.points})"

    @property
    def automatic(self) -> bool:
        return self.trigger in Trigger.automatic()

    @property
    def kind_list(self) -> list[str]:
        return [k.strip() for k in self.meeting_kinds.split(",") if k.strip()]


class OrgPointSettings(ScopedModel):
    """An organization's switches: both off by default (DOMAIN.md 5.3: no forced daily quotas)."""

    scope_area = "points"
    scope_path = "org"

    org = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="point_settings",
                               verbose_name=_("organization"))
    rankings_public = models.BooleanField(
        _("members see the ranking"), default=False,
        help_text=_("Off: only officers see ranks. Points inform decisions; they never decide membership."))
    daily_quota = models.PositiveSmallIntegerField(
        _("daily points quota"), null=True, blank=True,
        help_text=_("Empty (the default): no daily quota. A quota is shown to members as a target only."))

    class Meta:
        ordering = ("org__path",)
        verbose_name = _("organization points settings")
        verbose_name_plural = _("organization points settings")

    def __str__(self) -> str:
        return str(self.org)


# --- The ledger -----------------------------------------------------------------------------


class PointEntry(ScopedModel):
    """One line of the ledger. Its facts never change; its state moves forward (scored,
    confirmed, approved, published, final or rejected) and only final entries count."""

    scope_area = "points"
    scope_path = "org"
    owner_path = "member"

    #: fields fixed once written (a correction is a reversal, never an edit)
    FACTS: ClassVar[tuple[str, ...]] = ("rule_id", "member_id", "year", "month", "points", "rule_points",
                                        "evidence", "reverses_id", "kind")

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="point_entries",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    rule = models.ForeignKey(PointRule, on_delete=models.PROTECT, related_name="entries", verbose_name=_("rule"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.DateField(_("month"))
    kind = models.CharField(_("entry kind"), max_length=10, choices=EntryKind.choices)
    rule_points = models.IntegerField(_("rule points"))
    points = models.IntegerField(_("points counted"))
    capped_reason = models.CharField(_("cap applied"), max_length=200, blank=True)
    evidence = models.CharField(_("evidence"), max_length=80, blank=True,
                                help_text=_("The source record: app.model:id."))
    evidence_label = models.CharField(_("evidence"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.FINAL)
    #: counts or may still count; False once rejected or reversed (the idempotency key's scope)
    live = models.BooleanField(_("live"), default=True, editable=False)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by", verbose_name=_("reverses"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    confirmed_at = models.DateTimeField(_("member confirmed at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    publication = models.ForeignKey("Publication", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="entries", verbose_name=_("publication"))
    final_at = models.DateTimeField(_("final at"), null=True, blank=True)

    class Meta:
        ordering = ("-month", "-id")
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["member", "year", "status"], name="point_entry_member_year"),
            models.Index(fields=["org", "month"], name="point_entry_org_month"),
            # the derive receivers' "already counted?" and withdraw lookups: the partial unique
            # constraint below cannot serve them (SQLite does not see that evidence = x implies
            # evidence <> ''), and without this every derived entry scanned the whole ledger
            models.Index(fields=["member", "evidence", "rule"], name="point_entry_member_evidence"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # one live entry per (rule, evidence, member): a replayed event never counts twice
            models.UniqueConstraint(fields=["rule", "evidence", "member"], condition=Q(live=True) & ~Q(evidence=""),
                                    name="one_live_point_entry_per_evidence",
                                    violation_error_message=_("This evidence already counts for this rule and member.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.rule.description} {self.points:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded = getattr(self, "_loaded_values", None)
        if not self._state.adding and loaded:
            changed = [f for f in self.FACTS if f in loaded and loaded[f] != getattr(self, f)]
            if changed:
                raise ValueError(f"a points entry's facts never change ({', '.join(changed)}): reverse it instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("the points ledger is append-only: reverse the entry instead")

    @property
    def counts(self) -> bool:
        return self.status == EntryStatus.FINAL

    @property
    def evidence_url(self) -> str:
        from dangjian.points.rules import evidence_url

        return evidence_url(self)


class EntryAttachment(AttachmentBase):
    """Evidence of a manual award or a self-claimed item (a certificate, an article, a photo)."""

    scope_area = "points"
    scope_path = "entry__org"
    owner_path = "entry__member"
    upload_prefix = "points"

    entry = models.ForeignKey(PointEntry, on_delete=models.PROTECT, related_name="attachments",
                              verbose_name=_("points entry"))

    class Meta:
        ordering = ("id",)
        verbose_name = _("points evidence file")
        verbose_name_plural = _("points evidence files")


class PointBalance(ScopedModel):
    """A member's year, maintained with every final entry: ``ledger`` is the sum of the final
    entries; ``score`` = max(floor, base + ledger), the figure ranked."""

    scope_area = "points"
    scope_path = "org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="point_balances",
                               verbose_name=_("member"))
    year = models.PositiveSmallIntegerField(_("year"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    org_path = models.CharField(max_length=255, editable=False)
    scheme = models.ForeignKey(PointScheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme"))
    base = models.IntegerField(_("base points"))
    floor = models.IntegerField(_("floor"))
    ledger = models.IntegerField(_("sum of final entries"), default=0)
    pending = models.IntegerField(_("pending points"), default=0)
    score = models.IntegerField(_("balance"))

    class Meta:
        ordering = ("-year", "-score", "member_id")
        verbose_name = _("points balance")
        verbose_name_plural = _("points balances")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["year", "org_path", "score"], name="point_balance_rank"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member", "year"], name="one_point_balance_per_year",
                                    violation_error_message=_("This member already has a balance for this year.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.score}"

    @property
    def floor_adjustment(self) -> int:
        return self.score - (self.base + self.ledger)


class Publication(ScopedModel):
    """A branch's monthly 公示 of its entries and the objection window it opens."""

    scope_area = "points"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    month = models.DateField(_("month"))
    published_on = models.DateField(_("published on"))
    window_ends_on = models.DateField(_("objections until"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("published by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ("-month", "org__path")
        verbose_name = _("points publication")
        verbose_name_plural = _("points publications")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "month"], name="one_point_publication_per_month",
                                    violation_error_message=_("This branch has already published this month.")),
        ]

    def __str__(self) -> str:
        return gettext("%(org)s points publication %(month)s") % {"org": self.org, "month": f"{self.month:%Y-%m}"}


class Objection(ScopedModel):
    """A member's objection to a published entry and the branch's answer."""

    scope_area = "points"
    scope_path = "entry__org"
    owner_path = "member"

    entry = models.ForeignKey(PointEntry, on_delete=models.PROTECT, related_name="objections",
                              verbose_name=_("points entry"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    reason = models.TextField(_("reason"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ObjectionOutcome.choices, blank=True, default="")
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("points objection")
        verbose_name_plural = _("points objections")

    def __str__(self) -> str:
        return f"{self.member}: {self.entry}"


# --- Violation scoring (F6) -----------------------------------------------------------------


class ViolationKind(RulesTable):
    """A kind of daily violation and its points (DOMAIN.md 6 defaults; the bureau's 记分办法 replaces them)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    points = models.PositiveSmallIntegerField(_("violation points"))
    clause = models.CharField(_("clause"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("-year", "points", "code")
        verbose_name = _("violation kind")
        verbose_name_plural = _("violation kinds")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "code"], name="one_violation_kind_per_year",
                                    violation_error_message=_("This year already has a violation kind with this code.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.points})"


class ViolationRecord(ScopedModel):
    """One violation: who, what, when, evidence, recorded by, confirmed by, the appeal."""

    scope_area = "discipline"
    scope_path = "org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="violations",
                               verbose_name=_("officer"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    kind = models.ForeignKey(ViolationKind, on_delete=models.PROTECT, related_name="records",
                             verbose_name=_("violation kind"))
    points = models.PositiveSmallIntegerField(_("violation points"), editable=False)
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("what happened"))
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ViolationStatus.choices,
                              default=ViolationStatus.RECORDED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("recorded by"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    appeal_reason = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_decision = models.TextField(_("appeal decision"), blank=True)
    appeal_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("appeal decided by"))

    class Meta:
        ordering = ("-occurred_on", "-id")
        verbose_name = _("violation record")
        verbose_name_plural = _("violation records")

    def __str__(self) -> str:
        return f"{self.member} {self.kind.name} {self.occurred_on:%Y-%m-%d}"


class ViolationProposal(ScopedModel):
    """A threshold reached in a cycle: a proposal for a named decision-maker, never a sanction."""

    scope_area = "discipline"
    scope_path = "org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("officer"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    cycle = models.CharField(_("cycle"), max_length=20)
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    total = models.PositiveSmallIntegerField(_("total when reached"))
    measure = models.CharField(_("proposed measure"), max_length=24, choices=Measure.choices)
    scheme = models.ForeignKey(PointScheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme"))
    decision_maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("decision-maker"))
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("violation measure proposal")
        verbose_name_plural = _("violation measure proposals")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member", "cycle", "threshold"], name="one_proposal_per_threshold",
                                    violation_error_message=_("This threshold already has a proposal in this cycle.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_measure_display()}"
