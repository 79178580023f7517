"""The audit log screens: browse, filter, export — for the audit admin only (AC-04)."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.apps import apps
from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.audit_labels import SOURCE_LABELS, event_label, event_labels, object_type_extra_label
from dangjian.core.excel import Column
from dangjian.core.filtersets import ScopedFilterSet
from dangjian.core.models import AuditEntry
from dangjian.core.modules import audit_object_type_labels
from dangjian.core.tables import BaseTable
from dangjian.core.views import ModelViews

#: Keys of non-field change records (exports, reveals) and of fields without a translated label
#: (the tree's internal columns).
CHANGE_KEY_LABELS: dict[str, Any] = {
    "rows": _("rows"),
    "filters": _("filters"),
    "field": _("field"),
    "path": _("tree path"),
    "depth": _("tree depth"),
    "numchild": _("number of sub-organizations"),
}


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> Any:
    model = model_for(object_type)
    if model is not None:
        return model._meta.verbose_name
    return object_type_extra_label(object_type) or object_type


def object_type_choices() -> list[tuple[str, Any]]:
    """The project's models that name themselves in the interface language (a translated
    verbose_name): internal tables (locks, password history, idempotency keys) stay out."""
    models_ = [(m._meta.label_lower, m._meta.verbose_name) for m in apps.get_models()
               if m.__module__.startswith("dangjian.") and isinstance(m._meta.verbose_name, Promise)]
    return sorted([*models_, *audit_object_type_labels().items()], key=lambda choice: str(choice[1]))


def change_rows(entry: AuditEntry) -> list[tuple[Any, Any, Any]]:
    """(label, before, after) of an entry's changes, fields named as on the screens."""
    model = model_for(entry.object_type)
    fields: dict[str, models.Field[Any, Any]] = {}
    if model is not None:
        for model_field in model._meta.concrete_fields:
            fields[model_field.attname] = fields[model_field.name] = model_field
    rows = []
    for key, value in (entry.changes or {}).items():
        f = fields.get(key)
        label = CHANGE_KEY_LABELS.get(key) or (f.verbose_name if f is not None else key)
        if isinstance(value, list | tuple) and len(value) == 2:
            rows.append((label, _shown(f, value[0]), _shown(f, value[1])))
        elif isinstance(value, str) and value in fields:  # {"field": "id_number"}
            rows.append((label, None, fields[value].verbose_name))
        else:
            rows.append((label, None, value))
    return rows


def _shown(f: models.Field[Any, Any] | None, value: Any) -> Any:
    """A stored value as the screens show it: choice labels, 是/否."""
    if value is True or value is False:
        return gettext("Yes") if value else gettext("No")
    if f is not None and f.choices and isinstance(value, str | int):
        return dict(f.flatchoices).get(value, value)
    return value


class AuditTable(BaseTable):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s", linkify=True, verbose_name=_("time"))

    class Meta(BaseTable.Meta):
        model = AuditEntry
        fields = ("at", "actor_name", "event", "success", "object_type", "object_repr", "ip", "source")

    def render_event(self, value: str) -> Any:
        return event_label(value)

    def render_object_type(self, value: str) -> Any:
        return object_type_label(value)

    def render_source(self, value: str) -> Any:
        return SOURCE_LABELS.get(value, value)


class AuditFilterSet(ScopedFilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="icontains", label=_("actor"))
    event = django_filters.ChoiceFilter(field_name="event", label=_("event"), choices=lambda: list(event_labels().items()))
    object_type = django_filters.ChoiceFilter(field_name="object_type", label=_("object type"), choices=object_type_choices)
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
        Column("时间", "at", 18), Column("操作人", "actor_name"), Column("事件", lambda e: str(event_label(e.event))),
        Column("成功", "success", 6), Column("对象类型", lambda e: str(object_type_label(e.object_type)), 18), Column("对象编号", "object_id"),
        Column("对象", "object_repr", 24), Column("组织路径", "org_path", 20), Column("IP", "ip"),
        Column("请求编号", "request_id", 34), Column("变更", lambda e: str(e.changes), 60),
    )

    @classmethod
    def detail_rows(cls, obj: Any) -> list[tuple[str, Any]]:
        shown = {"event": event_label, "object_type": object_type_label, "source": lambda v: SOURCE_LABELS.get(v, v)}
        rows = super().detail_rows(obj)
        return [(label, shown[name](value) if name in shown else value)
                for name, (label, value) in zip(cls.detail_fields, rows, strict=True)]

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"change_rows": change_rows(obj)}
