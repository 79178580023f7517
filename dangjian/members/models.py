"""Members (F2, the profile part), committee posts and organization-relationship transfers."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.core import idcard
from dangjian.core.crypto import blind_index_candidates, get_provider
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import ScopedModel
from dangjian.core.rotation import register_blind_index
from dangjian.members import names
from dangjian.members.choices import (
    Education,
    Gender,
    MemberStatus,
    PersonnelType,
    Post,
    TransferDirection,
)
from dangjian.orgs.models import Organization

ID_INDEX_PURPOSE = "member.id_number"


def id_number_index(number: str) -> str:
    """The blind index of an ID number: equality lookups without the plaintext."""
    return get_provider().blind_index(idcard.normalize(number), purpose=ID_INDEX_PURPOSE)


def id_number_indexes(number: str) -> list[str]:
    """Its blind index under every loaded key: lookups keep finding rows during a rotation."""
    return blind_index_candidates(idcard.normalize(number), purpose=ID_INDEX_PURPOSE)


def pinyin_initials(name: str) -> str:
    return names.initials(name)


class Member(ScopedModel):
    """A party member: the profile a branch keeps (党员信息).

    The ID number is stored encrypted with a blind index (DP-01) and shown masked (DP-02);
    ``name_initials`` makes ``zs`` find 张三; ``name_pinyin`` orders lists and pickers by pinyin
    (surnames by their surname reading: 曾 zeng, 单 shan; ``dangjian.members.names``).
    """

    scope_area = "members"
    scope_path = "org"
    owner_path = "pk"
    audit_exclude = ("id_number_index", "name_initials", "name_pinyin")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, db_index=True, editable=False)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, default="", editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("ID number"), context="member.id_number")
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    police_number = models.CharField(_("police number"), max_length=20, unique=True, null=True, blank=True)
    personnel_type = models.CharField(_("personnel type"), max_length=12, choices=PersonnelType.choices)
    rank = models.CharField(_("police rank"), max_length=30, blank=True)
    job_title = models.CharField(_("post"), max_length=50, blank=True)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    joined_party_on = models.DateField(_("joined the party on"))
    full_member_on = models.DateField(_("became full member on"), null=True, blank=True)
    status = models.CharField(_("member status"), max_length=16, choices=MemberStatus.choices)
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("branch"),
    )
    group = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="group_members",
        verbose_name=_("party group"),
    )
    is_active = models.BooleanField(_("on the roll"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ("org__path", "name_pinyin", "name", "id")
        verbose_name = _("member")
        verbose_name_plural = _("members")
        # No index on status alone: two values, and PostgreSQL's planner was seen ANDing it
        # into every branch lookup of a list page.
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "name"]),
                                                 models.Index(fields=["org", "name_pinyin"])]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return idcard.mask(self.id_number)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.id_number:
            try:
                self.id_number = idcard.validate(self.id_number)
            except ValidationError as exc:
                errors.setdefault("id_number", []).extend(exc.messages)
            else:
                if self.birth_date and idcard.birth_date(self.id_number) != self.birth_date:
                    errors.setdefault("id_number", []).append(
                        gettext("The birth date inside the ID number does not match the birth date entered.")
                    )
                if self.gender and idcard.gender(self.id_number) != self.gender:
                    errors.setdefault("id_number", []).append(
                        gettext("The gender digit of the ID number does not match the gender entered.")
                    )
                indexes = id_number_indexes(self.id_number)
                if Member.objects.filter(id_number_index__in=indexes).exclude(pk=self.pk).exists():
                    errors.setdefault("id_number", []).append(gettext("A member with this ID number already exists."))
        if self.status == MemberStatus.FULL and not self.full_member_on:
            errors.setdefault("full_member_on", []).append(gettext("A full member needs the date they became full."))
        if self.full_member_on and self.joined_party_on and self.full_member_on < self.joined_party_on:
            errors.setdefault("full_member_on", []).append(gettext("Cannot be earlier than the date of joining the party."))
        if self.group_id and self.org_id and self.group is not None and not self.group.path.startswith(self.org.path):
            errors.setdefault("group", []).append(gettext("The party group must belong to the member's branch."))
        for name, problem in clerk_checks(self):
            errors.setdefault(name, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def prepare_name(self) -> None:
        """Trim the name and derive its search initials and sort key (save and bulk writes)."""
        self.name = self.name.strip()
        self.name_initials = names.initials(self.name)
        self.name_pinyin = names.sort_key(self.name)

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.prepare_name()
        if self.id_number:
            self.id_number = idcard.normalize(self.id_number)
            self.id_number_index = id_number_index(self.id_number)
        if not self.police_number:
            self.police_number = None
        super().save(*args, **kwargs)

    def age_on(self, day: dt.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class CommitteePost(ScopedModel):
    """A post on an organization's committee (书记, 副书记, 委员 ...) held from a date to a date."""

    scope_area = "posts"
    scope_path = "org"
    owner_path = "member"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="posts", verbose_name=_("organization"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="posts", verbose_name=_("member"))
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ("org", "post", "-started_on")
        verbose_name = _("committee post")
        verbose_name_plural = _("committee posts")

    def __str__(self) -> str:
        return f"{self.org} {self.get_post_display()} {self.member}"


class Transfer(ScopedModel):
    """An organization-relationship transfer (组织关系转接): in, out, or within the system."""

    scope_area = "members"
    scope_path = "member__org"
    owner_path = "member"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("member"))
    direction = models.CharField(_("direction"), max_length=10, choices=TransferDirection.choices)
    from_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from branch"),
    )
    to_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to branch"),
    )
    external_org = models.CharField(_("organization outside the system"), max_length=100, blank=True)
    transferred_on = models.DateField(_("transfer date"))
    letter_number = models.CharField(_("introduction letter number"), max_length=50, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ("-transferred_on", "-id")
        verbose_name = _("relationship transfer")
        verbose_name_plural = _("relationship transfers")

    def __str__(self) -> str:
        return f"{self.member} {self.get_direction_display()} {self.transferred_on}"


register_blind_index("members.Member", source="id_number", index="id_number_index", compute=id_number_index)


PHONE_RE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")
#: the branch kinds a member's record sits in (a party group is the ``group`` field)
MEMBER_ORG_KINDS = ("branch", "general_branch")


def clerk_checks(member: Member, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The checks a clerk expects of a member record (issue 11): dates not in the future and in
    order, a phone number that is one, the record in a branch, a police officer's 警号.
    (field, message) pairs; the screen, the import and the API all run them through ``clean``."""
    from django.utils import timezone

    today = today or timezone.localdate()
    problems: list[tuple[str, str]] = []
    for name in ("birth_date", "joined_party_on", "full_member_on"):
        value = getattr(member, name, None)
        if value and value > today:
            problems.append((name, gettext("This date is in the future (today is %(today)s).")
                             % {"today": f"{today.year}-{today.month:02d}-{today.day:02d}"}))
    if member.birth_date and member.joined_party_on and member.joined_party_on < dt.date(
            member.birth_date.year + 18, member.birth_date.month, min(member.birth_date.day, 28)):
        problems.append(("joined_party_on", gettext("A member joins the Party at 18 or older; check the birth date "
                                                    "and the date of joining.")))
    phone = (member.phone or "").strip().replace(" ", "")
    if phone and not PHONE_RE.fullmatch(phone):
        problems.append(("phone", gettext("Enter an 11-digit mobile number such as 13812345678, or a landline with "
                                          "its area code such as 0710-3456789.")))
    if member.org_id and member.org is not None and member.org.kind not in MEMBER_ORG_KINDS:
        problems.append(("org", gettext("A member belongs to a branch (or general branch), not to %(org)s; put "
                                        "them in their branch and, if any, its party group.") % {"org": member.org.name}))
    if member.personnel_type == PersonnelType.POLICE and not (member.police_number or "").strip():
        problems.append(("police_number", gettext("A police officer's record needs the police number.")))
    return problems
