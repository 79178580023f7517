"""Tables of the library's lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.library.models import Document, QualityFlag, QualityRule


class DocumentTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("title"))

    class Meta(BaseTable.Meta):
        model = Document
        fields = ("title", "short_title", "issuer", "doc_number")


class QualityRuleTable(BaseTable):
    year = tables.Column(linkify=True, verbose_name=_("year"))

    class Meta(BaseTable.Meta):
        model = QualityRule
        fields = ("year", "kind", "enabled", "duplicate_threshold", "min_minutes_chars", "require_resolution",
                  "require_attendance", "topic_repeat", "late_days")


class QualityFlagTable(BaseTable):
    meeting = tables.Column(linkify=True, verbose_name=_("record"))
    org = tables.Column(verbose_name=_("organization"), order_by=("org__path",))
    matched = tables.Column(verbose_name=_("matching record"))
    starts = tables.DateTimeColumn(accessor="meeting__starts_at", format="Y-m-d", verbose_name=_("held on"))

    class Meta(BaseTable.Meta):
        model = QualityFlag
        fields = ("starts", "meeting", "org", "reason", "similarity", "matched", "status")
