"""Filters of the member screens: search by name, pinyin initials or police number."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.members.choices import Education, Gender, MemberStatus, PersonnelType, Post, TransferDirection
from dangjian.members.models import CommitteePost, Member, Transfer
from dangjian.orgs.filtersets import SubtreeFilter
from dangjian.orgs.models import Organization


def search_members(qs: QuerySet[Member], value: str) -> QuerySet[Member]:
    """Name contains the text, or pinyin initials start with it (``zs`` -> 张三), or police number."""
    value = value.strip()
    if not value:
        return qs
    q = Q(name__icontains=value) | Q(police_number__iexact=value)
    if value.isascii() and value.isalpha():
        q |= Q(name_initials__startswith=value.lower())
    return qs.filter(q)


class MemberFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name, pinyin initials or police number"))
    org = django_filters.NumberFilter(field_name="org_id", widget=django_filters.widgets.forms.HiddenInput)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("member status"))
    personnel_type = django_filters.ChoiceFilter(choices=PersonnelType.choices, label=_("personnel type"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("gender"))
    education = django_filters.ChoiceFilter(choices=Education.choices, label=_("education"))
    is_active = django_filters.BooleanFilter(label=_("on the roll"))

    class Meta:
        model = Member
        fields = ("q", "within", "status", "personnel_type", "gender", "education", "is_active")

    def search(self, qs: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return search_members(qs, value)


class TransferFilterSet(ScopedFilterSet):
    member = django_filters.NumberFilter(field_name="member_id", widget=django_filters.widgets.forms.HiddenInput)
    direction = django_filters.ChoiceFilter(choices=TransferDirection.choices, label=_("direction"))
    within = SubtreeFilter(field_name="member__org__path", label=_("within organization"))

    class Meta:
        model = Transfer
        fields = ("member", "direction", "within")


class PostFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=django_filters.widgets.forms.HiddenInput)
    member = django_filters.NumberFilter(field_name="member_id", widget=django_filters.widgets.forms.HiddenInput)
    post = django_filters.ChoiceFilter(choices=Post.choices, label=_("post"))
    current = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("currently held"))

    class Meta:
        model = CommitteePost
        fields = ("org", "member", "post", "current")


__all__ = ["MemberFilterSet", "Organization", "PostFilterSet", "TransferFilterSet"]
