"""Honors (seed 001: 仪式感, 锦旗 stories, 红旗党组织) and commendations (seed 002: 表彰激励).

- ``CommendationKind`` — the year's catalog (优秀党员, 优秀党务工作者, 先进党组织, 五好党支部,
  红旗党组织, 立功受奖 levels) with each kind's yearly cap per awarding organization: rules as data.
- ``Commendation`` — a nomination by an organization, shown for review in its window, then
  decided by the level above through the core approvals facility; a confirmed commendation
  emits ``honors.commendation_confirmed`` (points writes one entry), a revoked one
  ``honors.commendation_revoked`` (points writes the reversing entry).
- ``HonorCeremony`` — 入警, 晋职晋衔, 立功受奖, 退休 ceremonies with date and people.
- ``Pennant`` — a 锦旗 from the public: from whom, for what case, officers and unit credited,
  the story told at the red morning meeting; counted per unit and year on the unit's page.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import ApprovalBase, ApprovalStatus, deciding_path
from dangjian.core.errors import RuleError
from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable
from dangjian.honors.choices import CeremonyKind, Nominee


def names(members: Any) -> str:
    return "、".join(m.name for m in members)  # zh-ok: the Chinese list separator


class CommendationKind(RulesTable):
    """One kind of commendation in a year's catalog and its cap: at most ``yearly_cap``
    confirmed per awarding organization (the level that decides) and year; empty: no cap."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    nominee = models.CharField(_("for"), max_length=12, choices=Nominee.choices, default=Nominee.MEMBER)
    yearly_cap = models.PositiveSmallIntegerField(_("yearly cap per awarding organization"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("-year", "order", "code")
        verbose_name = _("commendation kind")
        verbose_name_plural = _("commendation kinds")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "code"], name="one_commendation_kind_per_year",
                                    violation_error_message=_("This year already has a kind with this code.")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"  # zh-ok: full-width brackets around the year


class Commendation(ApprovalBase):
    """A nomination for a commendation, reviewed in its window, decided by the level above."""

    scope_area = "honors"
    scope_path = "org"
    #: the member's own commendations, in the member portal (the area's own rows)
    owner_path = "member"
    approval_self_message = _("A commendation cannot be decided by the person who nominated.")
    approval_decided_message = _("This nomination has already been decided.")
    approval_reference_message = _("Give the meeting or document of the decision.")

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="commendations",
                            verbose_name=_("nominating organization"))
    kind = models.ForeignKey(CommendationKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("member nominated"))
    nominee_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("organization nominated"))
    merits = models.TextField(_("merits"))
    review_from = models.DateField(_("review from"))
    review_until = models.DateField(_("review until"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    decision_ref = models.CharField(_("decision (meeting, document)"), max_length=200, blank=True)

    class Meta:
        ordering = ("-review_until", "-id")
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(review_until__gte=models.F("review_from")),
                                   name="commendation_window_in_order",
                                   violation_error_message=_("The review window must end on or after its start.")),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name}：{self.nominee_name}"  # zh-ok: full-width colon between kind and nominee

    @property
    def nominee_name(self) -> str:
        if self.member is not None:
            return self.member.name
        return self.nominee_org.name if self.nominee_org is not None else ""

    nominee_name.fget.short_description = _("nominee")  # type: ignore[attr-defined]

    @property
    def is_confirmed(self) -> bool:
        return self.status == ApprovalStatus.APPROVED and self.revoked_on is None

    def check_decision(self, *, approve: bool) -> None:
        """Decided only after the review window, and within the kind's yearly cap (the kind's
        row is locked so two approvals cannot both take the last place)."""
        today = timezone.localdate()
        if today <= self.review_until:
            raise RuleError(gettext("The review window is open until %(day)s; decide after it closes.")
                            % {"day": f"{self.review_until:%Y-%m-%d}"})
        if not approve:
            return
        kind = CommendationKind.objects.select_for_update().get(pk=self.kind_id)
        if kind.yearly_cap is None:
            return
        taken = Commendation.objects.filter(kind=kind, status=ApprovalStatus.APPROVED, revoked_on__isnull=True,
                                            org__path__startswith=deciding_path(self)).exclude(pk=self.pk).count()
        if taken >= kind.yearly_cap:
            raise RuleError(gettext("The cap of %(cap)s %(kind)s for this year is reached.")
                            % {"cap": kind.yearly_cap, "kind": kind.name})

    def after_decision(self, *, actor: Any, approve: bool) -> None:
        if approve:
            from dangjian.honors import signals

            signals.commendation_confirmed.send(actor=actor, evidence=self)


class HonorCeremony(ScopedModel):
    """An honor ceremony (仪式感): 入警, 晋职晋衔, 立功受奖 or 退休, with date and people."""

    scope_area = "honors"
    scope_path = "org"
    owner_path = "people"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="honor_ceremonies",
                            verbose_name=_("organization"))
    kind = models.CharField(_("ceremony"), max_length=12, choices=CeremonyKind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    people = models.ManyToManyField("members.Member", blank=True, related_name="+", verbose_name=_("people honored"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("-held_on", "-id")
        verbose_name = _("honor ceremony")
        verbose_name_plural = _("honor ceremonies")

    def __str__(self) -> str:
        return self.title

    @property
    def people_names(self) -> str:
        return names(self.people.all())

    people_names.fget.short_description = _("people honored")  # type: ignore[attr-defined]


class Pennant(ScopedModel):
    """A pennant (锦旗) from the public, credited to a unit and officers, with its story."""

    scope_area = "honors"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="pennants",
                            verbose_name=_("unit credited"))
    received_on = models.DateField(_("received on"))
    from_whom = models.CharField(_("from"), max_length=100)
    case = models.CharField(_("case"), max_length=200)
    inscription = models.CharField(_("inscription"), max_length=100, blank=True)
    officers = models.ManyToManyField("members.Member", blank=True, related_name="+",
                                      verbose_name=_("officers credited"))
    story = models.TextField(_("story"), blank=True)

    class Meta:
        ordering = ("-received_on", "-id")
        verbose_name = _("pennant")
        verbose_name_plural = _("pennants")

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} {self.from_whom}"

    @property
    def officer_names(self) -> str:
        return names(self.officers.all())

    officer_names.fget.short_description = _("officers credited")  # type: ignore[attr-defined]
