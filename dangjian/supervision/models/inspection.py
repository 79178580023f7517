"""Political inspection (政治督察, SPEC F11; DOMAIN.md 7): the coverage rule, plans per term
with rounds, inspections of targets by teams, findings by the seven areas, clues transferred
to a department, rectification items tracked to 销号 and accountability records (一案双查).

Who sees what is narrower than the organization tree (see :mod:`.visibility`): an inspector
reaches only the inspections of teams they are on; a target's own staff see their inspection,
its findings once fed back, and their rectification items — never working notes or clues; a
clue is seen by the team, the receiving department and the plan's leadership only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.attachments import AttachmentBase
from dangjian.core.models import ScopedModel
from dangjian.core.rectification import RectificationBase, RectificationStatus
from dangjian.core.rules import RulesTable
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind, UnitKind
from dangjian.orgs.models import Organization
from dangjian.supervision.models.visibility import ClueQuerySet, InspectionQuerySet


class Area7(models.TextChoices):
    """The seven areas an inspection covers (政治、思想、组织、作风、纪律、反腐倡廉、制度建设)."""

    POLITICAL = "political", _("Political building")
    IDEOLOGICAL = "ideological", _("Ideological building")
    ORGANIZATIONAL = "organizational", _("Organizational building")
    CONDUCT = "conduct", _("Work style")
    DISCIPLINE = "discipline", _("Discipline")
    INTEGRITY = "integrity", _("Anti-corruption and integrity")
    INSTITUTIONS = "institutions", _("Institution building")


class Stage(models.TextChoices):
    """The stages of an inspection (DOMAIN.md 7, modelled on the 巡视 rules)."""

    PREPARATION = "preparation", _("Preparation")
    STATIONED = "stationed", _("Stationed")
    REPORT = "report", _("Report")
    FEEDBACK = "feedback", _("Feedback given")
    RECTIFICATION = "rectification", _("Rectification")
    REVISIT = "revisit", _("Revisit")
    DONE = "done", _("Done")


STAGE_ORDER = [s.value for s in Stage]


class CoverageRule(RulesTable):
    """How often each kind of organization under an inspecting committee must be inspected
    within a term (a row per year and target kind)."""

    effective_field = "year"

    year = models.PositiveSmallIntegerField(_("year"))
    target_kind = models.CharField(_("target kind"), max_length=20, choices=OrgKind.choices)
    #: the police unit kind the row is for (十四五: county bureaus and headquarters departments twice
    #: in five years); empty: every unit. A row for the target's unit kind wins over the empty one.
    unit_kind = models.CharField(_("police unit kind"), max_length=20, choices=UnitKind.choices, blank=True,
                                 default="", help_text=_("Empty: every unit. A row for a unit kind takes precedence "
                                                         "for targets of that kind of unit."))
    #: how deep under the inspecting committee the rule reaches (1: its direct children)
    max_depth = models.PositiveSmallIntegerField(_("levels below the committee"), default=1)
    times = models.PositiveSmallIntegerField(_("inspections required in the term"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=5)
    basis = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year", "target_kind")
        constraints = [models.UniqueConstraint(fields=("year", "target_kind", "unit_kind"), name="uniq_coverage_rule",
                                               violation_error_message=_("This year already has a coverage rule for that kind."))]
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")

    def __str__(self) -> str:
        unit = f" {self.get_unit_kind_display()}" if self.unit_kind else ""
        return f"{self.year} {self.get_target_kind_display()}{unit} x{self.times}"


class InspectionDeadlines(RulesTable):
    """Default deadlines counted from the feedback (整改方案 and 整改报告) and the revisit."""

    effective_field = "year"

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    plan_months = models.PositiveSmallIntegerField(_("rectification plan due (months after feedback)"), default=1)
    report_months = models.PositiveSmallIntegerField(_("rectification report due (months after feedback)"),
                                                     default=2)
    revisit_months = models.PositiveSmallIntegerField(_("revisit within (months after feedback)"), default=12)
    basis = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("inspection deadlines")
        verbose_name_plural = _("inspection deadlines")

    def __str__(self) -> str:
        return str(self.year)


class InspectionPlan(ScopedModel):
    """The inspecting committee's plan for one term, in rounds."""

    scope_area = "inspection_plans"
    scope_path = "committee"

    committee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inspection_plans",
                                  verbose_name=_("inspecting committee"))
    title = models.CharField(_("title"), max_length=200)
    term_start = models.PositiveSmallIntegerField(_("first year of the term"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=5)
    rounds_per_year = models.PositiveSmallIntegerField(_("rounds per year"), default=2)
    capacity = models.PositiveSmallIntegerField(_("targets per round (team capacity)"), default=4)
    leaders = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("inspection leadership"))

    class Meta:
        ordering = ("-term_start", "id")
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.title

    @property
    def term_end(self) -> int:
        return self.term_start + self.term_years - 1


class InspectionRound(ScopedModel):
    scope_area = "inspection_plans"
    scope_path = "plan__committee"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="rounds",
                             verbose_name=_("inspection plan"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("round"))
    starts_on = models.DateField(_("starts on"))

    class Meta:
        ordering = ("plan", "year", "number")
        constraints = [models.UniqueConstraint(fields=("plan", "year", "number"), name="uniq_inspection_round",
                                               violation_error_message=_("This plan already has that round in that year."))]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")

    def __str__(self) -> str:
        return f"{self.year}-{self.number}"


class Inspection(ScopedModel):
    """One target inspected in one round by one team."""

    scope_area = "inspection"
    scope_path = "target"
    committee_path = "round__plan__committee"
    team_path = ""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="inspections",
                              verbose_name=_("inspection round"))
    target = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inspections",
                               verbose_name=_("inspected organization"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("team leader"))
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="inspection_teams",
                                  verbose_name=_("team members"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.PREPARATION)
    stationed_on = models.DateField(_("stationed on"), null=True, blank=True)
    feedback_on = models.DateField(_("feedback given on"), null=True, blank=True)
    views_collected = models.TextField(_("views of the discipline, organization, audit and petition offices"), blank=True)
    methods = models.TextField(_("talks, document review, questionnaires and democratic evaluation"), blank=True)
    evaluation = models.JSONField(_("evaluation of the main responsibility"), default=dict, blank=True)
    feedback_leadership = models.TextField(_("feedback to the leadership team"), blank=True)
    feedback_head = models.TextField(_("feedback to its head"), blank=True)

    objects = InspectionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("-round__year", "-round__number", "target__path")
        constraints = [models.UniqueConstraint(fields=("round", "target"), name="uniq_inspection_target",
                                               violation_error_message=_("This organization is already inspected in that round."))]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.target} ({self.round})"

    @property
    def is_fed_back(self) -> bool:
        return self.feedback_on is not None


class WorkingNote(ScopedModel):
    """A team's working note (talk records, leads): the team's and the leadership's only."""

    scope_area = "inspection"
    scope_path = "inspection__target"
    committee_path = "inspection__round__plan__committee"
    team_path = "inspection__"
    target_sees = "never"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="notes",
                                   verbose_name=_("inspection"))
    text = models.TextField(_("note"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("written by"))

    objects = InspectionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("-id",)
        verbose_name = _("working note")
        verbose_name_plural = _("working notes")

    def __str__(self) -> str:
        return self.text[:40]


class Finding(ScopedModel):
    """A problem found, by area, with its evidence; the target sees it once confirmed and fed back."""

    scope_area = "inspection"
    scope_path = "inspection__target"
    committee_path = "inspection__round__plan__committee"
    team_path = "inspection__"
    target_sees = "after_feedback"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings",
                                   verbose_name=_("inspection"))
    area = models.CharField(_("area"), max_length=16, choices=Area7.choices)
    text = models.TextField(_("finding"))
    evidence = models.TextField(_("evidence"), blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)

    objects = InspectionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("inspection", "area", "id")
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:40]


class Clue(ScopedModel):
    """A problem clue transferred (移交) to a named department: seen by the team, the receiving
    department and the plan's leadership only; every read is audited."""

    scope_area = "clues"
    scope_path = "inspection__target"

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="clues",
                                   verbose_name=_("inspection"))
    finding = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="clues",
                                verbose_name=_("finding"))
    department = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="received_clues",
                                   verbose_name=_("receiving department"))
    summary = models.TextField(_("clue"))
    transferred_on = models.DateField(_("transferred on"), default=timezone.localdate)
    outcome = models.TextField(_("handling result"), blank=True)

    objects = ClueQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("-transferred_on", "-id")
        verbose_name = _("clue")
        verbose_name_plural = _("clues")

    def __str__(self) -> str:
        return self.summary[:40]


class InspectionRectification(RectificationBase):
    """A rectification item from an inspection finding (dangjian.core.rectification): closing
    (销号) needs evidence and the inspector's sign-off; the revisit reopens what did not hold."""

    scope_area = "inspection"
    scope_path = "org"
    committee_path = "finding__inspection__round__plan__committee"
    team_path = "finding__inspection__"
    target_sees = "always"
    target_writes = True

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inspection_rectifications",
                            verbose_name=_("organization"))
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="rectifications",
                                verbose_name=_("finding"))
    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible"))
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("signed off by"))
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    objects = InspectionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("deadline", "id")
        verbose_name = _("inspection rectification item")
        verbose_name_plural = _("inspection rectification items")

    @property
    def closed_late(self) -> bool:
        return self.status == RectificationStatus.CLOSED and bool(self.closed_on and self.closed_on > self.deadline)


class RectificationEvidence(AttachmentBase):
    scope_area = "inspection"
    scope_path = "item__org"
    committee_path = "item__finding__inspection__round__plan__committee"
    team_path = "item__finding__inspection__"
    target_sees = "always"
    target_writes = True
    upload_prefix = "rectification"

    item = models.ForeignKey(InspectionRectification, on_delete=models.CASCADE, related_name="attachments",
                             verbose_name=_("rectification item"))

    objects = InspectionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("id",)
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")


class AccountabilityKind(models.TextChoices):
    PRINCIPAL = "principal", _("Main responsibility")
    SUPERVISORY = "supervisory", _("Supervisory responsibility")
    DIRECT = "direct", _("Direct responsibility")


class Accountability(ScopedModel):
    """An accountability record (一案双查) linked to the finding it answers."""

    scope_area = "inspection"
    scope_path = "finding__inspection__target"
    committee_path = "finding__inspection__round__plan__committee"
    team_path = "finding__inspection__"
    target_sees = "never"

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="accountabilities",
                                verbose_name=_("finding"))
    kind = models.CharField(_("responsibility"), max_length=12, choices=AccountabilityKind.choices)
    person = models.CharField(_("person held accountable"), max_length=100)
    decision = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))

    objects = InspectionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("-decided_on", "id")
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")

    def __str__(self) -> str:
        return self.person
