"""Computations over members: composition roll-ups for any subtree (one aggregate query)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from dangjian.members.choices import Education, MemberStatus, PersonnelType
from dangjian.members.models import Member

#: Age bands (upper bounds inclusive) for the composition roll-up.
AGE_BANDS = ((30, "30岁及以下"), (40, "31-40岁"), (50, "41-50岁"), (200, "51岁及以上"))


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def composition(members: QuerySet[Member], today: dt.date) -> dict[str, Any]:
    """Counts of active members by status, personnel type, age band and education.

    One aggregate query over whatever (scoped, subtree-filtered) queryset is given; each
    figure can be opened as the same queryset with the matching filter (see ``filters``).
    """
    aggregates: dict[str, Any] = {"total": Count("id")}
    for key, q in filters(today).items():
        aggregates[key] = Count("id", filter=q)
    return members.filter(is_active=True).aggregate(**aggregates)


def filters(today: dt.date) -> dict[str, Q]:
    """The filter behind each composition figure, so every count opens into its rows."""
    result: dict[str, Q] = {
        f"status_{value}": Q(status=value) for value in MemberStatus.values
    } | {f"type_{value}": Q(personnel_type=value) for value in PersonnelType.values}
    lower = 0
    for upper, _label in AGE_BANDS:
        # born after (today - upper - 1 years) and on/before (today - lower years)
        q = Q(birth_date__gt=_years_ago(today, upper + 1))
        if lower:
            q &= Q(birth_date__lte=_years_ago(today, lower))
        result[f"age_{upper}"] = q
        lower = upper + 1
    for value in Education.values:
        result[f"education_{value}"] = Q(education=value)
    return result


def status_change_errors(member: Any, data: Any) -> dict[str, str]:
    """Errors for a profile edit (screen or API) that tries to change a member's status or set
    a probationary member's full-membership date: both change only through the development
    pipeline's approved full-membership step (转正), never by editing the profile."""
    errors: dict[str, str] = {}
    status = data.get("status") if hasattr(data, "get") else None
    if status not in (None, "") and status != member.status:
        errors["status"] = gettext("The member status cannot be edited. A probationary member becomes a full member "
                                   "only through the approved full-membership step of member development.")
    full_on = data.get("full_member_on") if hasattr(data, "get") else None
    if member.status == MemberStatus.PROBATIONARY and full_on not in (None, ""):
        errors["full_member_on"] = gettext("A probationary member's full-membership date is set by the approved "
                                           "full-membership step of member development, not by editing the profile.")
    return errors
