"""The organization tree (F1): 党委 / 党总支 / 党支部 / 党小组 at any depth.

The tree is a materialized path (treebeard ``MP_Node``): a subtree is ``path LIKE 'prefix%'``
over an index, which is what every scoped query and roll-up uses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable
from dangjian.core.scoping import ScopedQuerySetMixin
from dangjian.orgs.choices import OrgKind, UnitKind


class PoliceUnit(ScopedModel):
    """A police unit an organization sits in (机关部门, 分县局, 派出所 ...): a lookup table."""

    scope_area = "orgs"
    scope_path = None

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("unit kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)

    class Meta:
        ordering = ("name",)
        verbose_name = _("police unit")
        verbose_name_plural = _("police units")

    def __str__(self) -> str:
        return self.name


def name_initials(name: str) -> str:
    """The pinyin initials of an organization's name, lower case (``xzyddzb``); letters and
    digits of the name stay as they are (``110zhzx`` for 110指挥中心)."""
    parts = lazy_pinyin(name.strip().lower(), style=Style.NORMAL, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]
    return "".join(part[0] for part in parts if part.strip())[:100]


class OrganizationQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):  # type: ignore[misc]
    """Tree queryset with scoping."""


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node, ScopedModel):
    """A party organization: a committee, general branch, branch or party group."""

    scope_area = "orgs"
    scope_path = ""

    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # type: ignore[misc]
    node_order_by: ClassVar[list[str]] = []

    name = models.CharField(_("name"), max_length=100)
    #: ``xzyddzb`` for 刑侦一大队党支部: what the tree's search box finds by (``name_initials``)
    name_initials = models.CharField(_("pinyin initials"), max_length=100, default="", editable=False)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.CharField(_("organization code"), max_length=32, unique=True)
    kind = models.CharField(_("organization kind"), max_length=20, choices=OrgKind.choices)
    unit = models.ForeignKey(
        PoliceUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations",
        verbose_name=_("police unit"),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganizationManager()  # type: ignore[misc]

    class Meta:
        ordering = ("path",)
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    audit_exclude = ("name_initials",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_initials = name_initials(self.name)
        super().save(*args, **kwargs)

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    @classmethod
    def default_choice(cls, queryset: Any) -> int | None:
        """The one sensible organization among ``queryset``'s options: the only option, or a
        branch every other option lies under (a branch secretary's branch above its groups; a
        committee's staff, who serve many branches, choose themselves). Read by the forms
        (``core.forms.preselect_single_choices``); at most 50 options looked at."""
        options = list(queryset.order_by("path").values_list("pk", "path", "kind")[:51])
        if not options or len(options) > 50:
            return None
        top_pk, top_path, top_kind = options[0]
        if len(options) == 1:
            return top_pk  # type: ignore[no-any-return]
        under = all(path.startswith(top_path) for _pk, path, _kind in options)
        return top_pk if under and top_kind == OrgKind.BRANCH else None  # type: ignore[no-any-return]

    @classmethod
    def choice_labels(cls, rows: list[Any]) -> dict[int, str]:
        """Labels of organization options that tell same-named ones apart (第一党小组 lies under
        many branches): each option after its nearest ancestors (at most two, short names where
        set), leaving out the ancestors every option shares. One query for all the options.
        Read by the forms (``core.forms.narrow_choices``)."""
        if not rows:
            return {}
        step = cls.steplen
        chains = {row.pk: [row.path[:i] for i in range(step, len(row.path), step)] for row in rows}
        shared = min(chains.values(), key=len)
        for chain in chains.values():
            while chain[:len(shared)] != shared:
                shared = shared[:-1]
        wanted = {path for chain in chains.values() for path in chain[len(shared):][-2:]}
        names = {path: short or name for path, short, name in  # scope-ok: names of the options' ancestors
                 cls._base_manager.filter(path__in=wanted).values_list("path", "short_name", "name")} if wanted else {}
        return {row.pk: " › ".join([*(names[p] for p in chains[row.pk][len(shared):][-2:] if p in names), row.name])
                for row in rows}

    def ancestor_paths(self) -> list[str]:
        """Paths of this node and its ancestors, root first (no query)."""
        return [self.path[: i * self.steplen] for i in range(1, self.depth + 1)]

    def delete(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Audit the node, then let treebeard delete it with its subtree.

        treebeard deletes a subtree with a queryset (not row by row), so ScopedModel's
        per-row audit would not run: the node is recorded here, in the same transaction."""
        from dangjian.core import audit

        with transaction.atomic():
            before = self.audit_snapshot()
            audit.record_change(self, "delete", before=before, after=None, object_id=self.pk, org_path=self.path)
            return MP_Node.delete(self, *args, **kwargs)


class OrganizationTerm(ScopedModel):
    """A term of office (届) of an organization's committee, with its planned end.

    Ends per DOMAIN.md 2.4: committees 5 years, branches and general branches 3 years
    (defaults in :class:`OrgRules`); an approved extension moves the end.
    """

    scope_area = "orgs"
    scope_path = "org"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms", verbose_name=_("organization"))
    number = models.PositiveSmallIntegerField(_("term number"), default=1)
    started_on = models.DateField(_("term start"))
    ends_on = models.DateField(_("term end"))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.CharField(_("extension reason"), max_length=200, blank=True)
    closed_on = models.DateField(_("closed on (re-election held)"), null=True, blank=True)

    class Meta:
        ordering = ("org", "-started_on")
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")

    def __str__(self) -> str:
        return f"{self.org} 第{self.number}届"

    @property
    def effective_end(self) -> dt.date:
        return self.extended_to or self.ends_on

    @property
    def usual_end(self) -> dt.date | None:
        """The end the organization rules give a term of this kind that starts on this day."""
        from dangjian.orgs.rules import default_term_end

        return default_term_end(self.org, self.started_on) if self.org_id and self.started_on else None

    usual_end.fget.short_description = _("usual term end (organization rules)")  # type: ignore[attr-defined]


class OrgRules(RulesTable):
    """Structure and term rules for one year (DOMAIN.md 2.3, 2.4): data, not constants.

    Editing next year's row never changes what earlier years were judged against.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    branch_min_full_members = models.PositiveSmallIntegerField(_("minimum full members of a branch"), default=3)
    committee_required_at = models.PositiveSmallIntegerField(
        _("full members from which a branch committee is required"), default=7
    )
    branch_max_members = models.PositiveSmallIntegerField(_("members above which a branch should split"), default=50)
    term_years_committee = models.PositiveSmallIntegerField(_("term of a party committee (years)"), default=5)
    term_years_branch = models.PositiveSmallIntegerField(_("term of a branch or general branch (years)"), default=3)
    term_warning_months = models.PositiveSmallIntegerField(_("term-expiry warning (months ahead)"), default=6)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("organization rules")
        verbose_name_plural = _("organization rules")

    def __str__(self) -> str:
        return f"{self.year}"

    @classmethod
    def for_year(cls, year: int) -> OrgRules:
        """The rules in force for ``year`` (:meth:`RulesTable.in_force`), else the defaults."""
        return cls.in_force(year) or cls(year=year)

    def term_years(self, org_kind: str) -> int:
        """How long a term of an organization of ``org_kind`` lasts: a party committee's 5
        years, a general branch's or branch's 3 (TERM18); a party group elects no committee."""
        return self.term_years_committee if org_kind == OrgKind.COMMITTEE else self.term_years_branch


def org_label(org: Any) -> str:
    return f"{org.name}（{org.get_kind_display()}）"
