"""The yearly 党内统计 tables of a subtree: members on the roll by status, personnel type, gender,
ethnicity, age band, education, the year they joined and the kind of police unit (one aggregate
query)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext

from dangjian.core.figures import Subtree


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)


#: joining-year bands: (first year, last year), None open
JOINED_BANDS = ((None, 1977), (1978, 1991), (1992, 2001), (2002, 2011), (2012, None))


def _joined_label(low: int | None, high: int | None) -> str:
    if low is None:
        return gettext("%(y)d and before") % {"y": high}
    if high is None:
        return gettext("%(y)d and after") % {"y": low}
    return f"{low}–{high}"


def tables(subtree: Subtree) -> list[Table]:
    from dangjian.members.choices import Education, Gender, MemberStatus, PersonnelType
    from dangjian.members.models import Member
    from dangjian.members.rules import AGE_BANDS, filters
    from dangjian.orgs.choices import UnitKind

    age_q = filters(subtree.today)
    majority = Member._meta.get_field("ethnicity").default  # the roll's default: the Han majority
    groups: dict[str, list[tuple[str, Q]]] = {
        gettext("Member status"): [(str(label), Q(status=value)) for value, label in MemberStatus.choices],
        gettext("Personnel type"): [(str(label), Q(personnel_type=value)) for value, label in PersonnelType.choices],
        gettext("Gender"): [(str(label), Q(gender=value)) for value, label in Gender.choices],
        gettext("Ethnicity"): [(gettext("Han"), Q(ethnicity=majority)),
                              (gettext("Ethnic minorities"), ~Q(ethnicity=majority))],
        gettext("Age"): [(label, age_q[f"age_{upper}"]) for upper, label in AGE_BANDS],
        gettext("Education"): [(str(label), Q(education=value)) for value, label in Education.choices]
        + [(gettext("Not recorded"), Q(education=""))],
        gettext("Year of joining the party"): [
            (_joined_label(low, high),
             (Q(joined_party_on__gte=dt.date(low, 1, 1)) if low else Q()) & (Q(joined_party_on__lte=dt.date(high, 12, 31))
                                                                          if high else Q()))
            for low, high in JOINED_BANDS],
        gettext("Unit kind"): [(str(label), Q(org__unit__kind=value)) for value, label in UnitKind.choices]
        + [(gettext("No police unit"), Q(org__unit__isnull=True))],
    }
    aggregates: dict[str, Any] = {}
    for g, (_title, entries) in enumerate(groups.items()):
        for i, (_label, q) in enumerate(entries):
            aggregates[f"g{g}_{i}"] = Count("id", filter=q)
    row = (Member.objects  # scope-ok: the dashboard checked the subtree
           .filter(org__path__startswith=subtree.path, is_active=True).aggregate(**aggregates))
    return [Table(title, [(label, row[f"g{g}_{i}"]) for i, (label, _q) in enumerate(entries)])
            for g, (title, entries) in enumerate(groups.items())]
