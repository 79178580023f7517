"""The audit log screens: browse, filter, export — for the audit admin only (AC-04)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.excel import Column
from dangjian.core.filtersets import ScopedFilterSet
from dangjian.core.models import AuditEntry
from dangjian.core.tables import BaseTable
from dangjian.core.views import ModelViews


class AuditTable(BaseTable):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s", linkify=True, verbose_name=_("time"))

    class Meta(BaseTable.Meta):
        model = AuditEntry
        fields = ("at", "actor_name", "event", "success", "object_type", "object_repr", "ip", "source")


class AuditFilterSet(ScopedFilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="icontains", label=_("actor"))
    event = django_filters.CharFilter(field_name="event", label=_("event"))
    object_type = django_filters.CharFilter(field_name="object_type", label=_("object type"))
    object_id = django_filters.CharFilter(field_name="object_id", label=_("object id"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("from"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("to"))

    class Meta:
        model = AuditEntry
        fields = ("actor", "event", "object_type", "object_id", "since", "until")


class AuditViews(ModelViews):
    model = AuditEntry
    name = "audit"
    namespace = "core"
    table = AuditTable
    filterset = AuditFilterSet
    actions = ("list", "detail", "export")
    detail_template = "core/audit_detail.html"
    detail_fields = ("at", "actor_name", "event", "success", "object_type", "object_id", "object_repr",
                     "org_path", "ip", "request_id", "source", "reason")
    export_columns = (
        Column("时间", "at", 18), Column("操作人", "actor_name"), Column("事件", "event"),
        Column("成功", "success", 6), Column("对象类型", "object_type", 18), Column("对象编号", "object_id"),
        Column("对象", "object_repr", 24), Column("组织路径", "org_path", 20), Column("IP", "ip"),
        Column("请求编号", "request_id", 34), Column("变更", lambda e: str(e.changes), 60),
    )
