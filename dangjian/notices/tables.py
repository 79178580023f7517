"""Tables of the notices lists."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.notices.models import Announcement, AnnouncementReceipt, ChannelConfig


class AnnouncementTable(BaseTable):
    title = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Announcement
        fields = ("pinned", "kind", "title", "org", "published_at", "allow_comments")


class ReceiptTable(BaseTable):
    member = tables.Column(verbose_name=_("member"))
    org = tables.Column(accessor="member__org", verbose_name=_("organization"))
    read_at = tables.Column(verbose_name=_("read at"), default=_("not read yet"))

    class Meta(BaseTable.Meta):
        model = AnnouncementReceipt
        fields = ("announcement", "member", "org", "read_at")


class ChannelConfigTable(BaseTable):
    channel = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ChannelConfig
        fields = ("channel", "enabled", "base_url", "max_attempts", "per_minute", "quiet_start", "quiet_end")
