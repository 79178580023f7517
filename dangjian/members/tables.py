"""Tables of the member screens (ID numbers only ever masked)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.tables import BaseTable
from dangjian.members.models import CommitteePost, Member, Transfer


class MemberTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name=pgettext_lazy("person", "name"))
    org = tables.Column(verbose_name=_("branch"), order_by=("org__path",))

    class Meta(BaseTable.Meta):
        model = Member
        fields = ("name", "gender", "police_number", "personnel_type", "status", "org", "job_title",
                  "education", "joined_party_on")


class TransferTable(BaseTable):
    member = tables.Column(linkify=True, verbose_name=_("member"))

    class Meta(BaseTable.Meta):
        model = Transfer
        fields = ("member", "direction", "from_org", "to_org", "external_org", "transferred_on", "letter_number")


class PostTable(BaseTable):
    member = tables.Column(linkify=True, verbose_name=_("member"))
    org = tables.Column(linkify=True, verbose_name=_("organization"))

    class Meta(BaseTable.Meta):
        model = CommitteePost
        fields = ("org", "post", "member", "started_on", "ended_on")
