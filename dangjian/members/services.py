"""Member writes with business rules: transfers and revealing an ID number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from dangjian.core import audit, idcard
from dangjian.core.bulk import insert
from dangjian.core.errors import RuleError
from dangjian.core.scoping import OutOfScope, ensure_in_scope
from dangjian.members import signals
from dangjian.members.choices import TransferDirection
from dangjian.members.models import Member, Transfer, id_number_index
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization


def record_transfer(
    *, actor: Any, member: Member, direction: str, to_org: Organization | None, external_org: str,
    transferred_on: dt.date, letter_number: str = "", reason: str = "",
) -> Transfer:
    """Record a transfer and apply it to the member, in one transaction.

    - out: the member leaves the roll (kept for history, no longer active);
    - in: the member (re)joins the roll of their branch;
    - internal: the member moves to ``to_org``, which must lie in the actor's scope too.
    """
    check_transfer(direction=direction, to_org=to_org, external_org=external_org)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        ensure_in_scope(actor, member, "change")
        transfer = Transfer(
            member=member, direction=direction, from_org=member.org, to_org=to_org, external_org=external_org,
            transferred_on=transferred_on, letter_number=letter_number, reason=reason,
        )
        if direction == TransferDirection.OUT:
            member.is_active = False
            member.left_on = transferred_on
            member.group = None
        elif direction == TransferDirection.IN:
            transfer.from_org = None
            transfer.to_org = member.org
            member.is_active = True
            member.left_on = None
        elif direction == TransferDirection.INTERNAL and to_org is not None:
            if to_org.pk == member.org_id:
                raise ValidationError({"to_org": gettext("The member already belongs to this branch.")})
            member.org = to_org
            member.group = None
        member.save()
        transfer.save()
        ensure_in_scope(actor, member, "view")
        if direction == TransferDirection.INTERNAL:
            signals.member_moved.send(actor=actor, evidence=transfer)
    return transfer


def check_transfer(*, direction: str, to_org: Organization | None, external_org: str) -> None:
    """What each direction needs (the same rule for the screen and the API)."""
    if direction == TransferDirection.INTERNAL:
        if to_org is None:
            raise ValidationError({"to_org": gettext("Choose the branch the member moves to.")})
        if to_org.kind != OrgKind.BRANCH:
            raise ValidationError({"to_org": gettext("A member's relationship is kept by a branch: choose a branch.")})
    elif direction == TransferDirection.OUT and not external_org.strip():
        raise ValidationError({"external_org": gettext("Enter the organization the member transfers to.")})
    elif direction == TransferDirection.IN and not external_org.strip():
        raise ValidationError({"external_org": gettext("Enter the organization the member comes from.")})


def reveal_id_number(*, actor: Any, member: Member) -> str:
    """Return the full ID number; the reveal is audited (who, whose, when)."""
    with transaction.atomic():
        ensure_in_scope(actor, member, "reveal")
        audit.record("reveal", obj=member, changes={"field": "id_number"})
    return member.id_number


def import_members(*, actor: Any, members: Sequence[Member]) -> list[Member]:
    """Create validated members in bulk (Excel import, thousands of rows).

    The same preparation as ``Member.save()`` (trimmed name, pinyin initials, normalized ID
    number and its blind index, no empty police number), one bulk insert, one audit entry per
    member written explicitly (ARCHITECTURE.md: bulk writes only in services that record), and
    the scope re-checked for every new row before the caller's transaction can commit.
    """
    with transaction.atomic():
        for member in members:
            member.prepare_name()
            member.id_number = idcard.normalize(member.id_number)
            member.id_number_index = id_number_index(member.id_number)
            member.police_number = member.police_number or None
        created = list(insert(members))
        audit.record_created(created)
        pks = [m.pk for m in created]
        if Member.objects.filter(pk__in=pks).visible_to(actor, "add").count() != len(pks):
            raise OutOfScope
    return created


def admit_probationary(*, actor: Any, member: Member) -> Member:
    """Save a new probationary member admitted by the development pipeline (预备党员): the
    only way a member is created as probationary outside adding an existing one."""
    from dangjian.members.choices import MemberStatus

    if member.status != MemberStatus.PROBATIONARY or member.pk is not None:
        raise ValueError("admit_probationary saves a new probationary member")
    with transaction.atomic():
        member.clean()
        member.save()
        ensure_in_scope(actor, member, "view")
    return member


def convert_to_full(*, actor: Any, member: Member, full_member_on: dt.date) -> Member:
    """The member becomes a full member from ``full_member_on`` (the day the probation ends;
    党龄 counts from it). Called only by the approved full-membership step of the development
    pipeline, inside its transaction; screens, the API and imports cannot set the status."""
    from dangjian.members.choices import MemberStatus

    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.status != MemberStatus.PROBATIONARY:
            raise RuleError(gettext("Only a probationary member can become a full member."))
        member.status = MemberStatus.FULL
        member.full_member_on = full_member_on
        member.save()
    return member


def leave_probation(*, actor: Any, member: Member, on: dt.date) -> Member:
    """取消预备党员资格: the member leaves the roll (kept for history)."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        member.is_active = False
        member.left_on = on
        member.group = None
        member.save()
    return member
