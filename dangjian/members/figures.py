"""Dashboard figures of the member module: the composition of a subtree's members (数据看板)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext

from dangjian.core.figures import FigureData, FigureItem, Subtree, drill, rate
from dangjian.members.choices import Education, Gender, MemberStatus, PersonnelType
from dangjian.members.models import Member
from dangjian.members.rules import AGE_BANDS, filters

LIST = "members:member_list"


def _on_roll(subtree: Subtree) -> object:
    return Member.objects.filter(org__path__startswith=subtree.path, is_active=True)  # scope-ok: the dashboard checked the subtree


def composition(subtree: Subtree) -> FigureData:
    """Members on the roll by status and personnel type (one aggregate query)."""
    aggregates = {"total": Count("id")}
    aggregates |= {f"s_{v}": Count("id", filter=Q(status=v)) for v in MemberStatus.values}
    aggregates |= {f"t_{v}": Count("id", filter=Q(personnel_type=v)) for v in PersonnelType.values}
    aggregates |= {f"g_{v}": Count("id", filter=Q(gender=v)) for v in Gender.values}
    row = _on_roll(subtree).aggregate(**aggregates)  # type: ignore[attr-defined]
    items = [FigureItem(str(label), row[f"s_{value}"], drill(LIST, subtree, is_active="true", status=value))
             for value, label in MemberStatus.choices]
    items += [FigureItem(str(label), row[f"t_{value}"], drill(LIST, subtree, is_active="true", personnel_type=value))
              for value, label in PersonnelType.choices]
    items += [FigureItem(str(label), row[f"g_{value}"], drill(LIST, subtree, is_active="true", gender=value),
                         note=f"{rate(row[f'g_{value}'], row['total'])}%")
              for value, label in Gender.choices]
    headline = [FigureItem(gettext("Members on the roll"), row["total"], drill(LIST, subtree, is_active="true"))]
    return FigureData(items=items, headline=headline, unit=gettext("people"))


def education_and_age(subtree: Subtree) -> FigureData:
    """Members on the roll by education and age band (one aggregate query; the age bands are
    those of the composition roll-up, members.rules.filters)."""
    qs = filters(subtree.today)
    aggregates = {f"e_{v}": Count("id", filter=Q(education=v)) for v in Education.values}
    aggregates |= {f"a_{upper}": Count("id", filter=qs[f"age_{upper}"]) for upper, _label in AGE_BANDS}
    row = _on_roll(subtree).aggregate(**aggregates)  # type: ignore[attr-defined]
    items = [FigureItem(str(label), row[f"e_{value}"], drill(LIST, subtree, is_active="true", education=value))
             for value, label in Education.choices]
    ages = [FigureItem(label, row[f"a_{upper}"]) for upper, label in AGE_BANDS]
    return FigureData(items=items, headline=ages, unit=gettext("people"))
