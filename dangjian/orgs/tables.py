"""Tables of the organization screens."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.orgs.models import Organization, OrganizationTerm


class OrganizationTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name=_("name"))
    parent_name = tables.Column(accessor="parent_name", verbose_name=_("parent organization"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Organization
        fields = ("name", "code", "kind", "unit", "parent_name", "founded_on")


class TermTable(BaseTable):
    org = tables.Column(linkify=True, verbose_name=_("organization"))
    number = tables.Column(linkify=True, verbose_name=_("term number"))

    class Meta(BaseTable.Meta):
        model = OrganizationTerm
        fields = ("org", "number", "started_on", "ends_on", "extended_to", "closed_on")
