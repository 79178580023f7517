"""Filter sets of the core: scoped choices and compact widgets (the subtree filter belongs to
the organization module: dangjian.orgs.filtersets.SubtreeFilter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext

from dangjian.core.forms import name_field_messages, narrow_choices


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose foreign-key choices are narrowed to the user's scope (AC-02)."""

    @classmethod
    def filter_for_field(cls, field: Any, field_name: str, lookup_expr: str | None = None) -> Any:
        """Filters generated from ``Meta.fields`` get the field's lazy verbose name as label.

        django-filter otherwise computes the label on first access and caches it as a plain
        string; when that first access happens outside a request (the API schema generator),
        the page later shows it in the wrong language.
        """
        new = super().filter_for_field(field, field_name, lookup_expr)
        if new.extra.get("label") is None and getattr(field, "verbose_name", None) and lookup_expr in (None, "exact"):
            new.label = capfirst(field.verbose_name)
        return new

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            narrow_choices(self.form, request.user)
        name_field_messages(self.form)
        for name, flt in self.filters.items():
            if isinstance(flt, django_filters.NumberFilter) and name in self.form.fields:
                bound_number(self.form.fields[name], flt.field_name, flt.lookup_expr)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css + " form-control-sm" if css == "form-control" else css + " form-select-sm")
            _present(field)


    @property
    def qs(self) -> Any:
        """An invalid filter value selects nothing (its error is shown beside the filter), rather
        than being dropped silently and listing everything."""
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs


#: Bounds of numeric filter values: row ids fit a 64-bit integer (SQLite overflows beyond it),
#: years are those a party record can carry.
ID_RANGE = (1, 2**63 - 1)
YEAR_RANGE = (1900, 2100)


def bound_number(field: forms.Field, field_name: str, lookup_expr: str) -> None:
    """Give a numeric filter field the range of what it filters, so an out-of-range value is a
    Chinese field error (400 in the API) instead of an overflow or a date error (a 500)."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    last = field_name.rsplit("__", 1)[-1]
    if last == "year" or lookup_expr == "year":
        low, high = YEAR_RANGE
    elif last in ("id", "pk") or last.endswith("_id"):
        low, high = ID_RANGE
    else:
        low, high = -(2**63), 2**63 - 1
    field.validators.extend([MinValueValidator(low), MaxValueValidator(high)])
    if isinstance(field, forms.DecimalField):
        field.widget.attrs.setdefault("min", low)
        field.widget.attrs.setdefault("max", high)


def _present(field: forms.Field) -> None:
    """Filter widgets read as a compact row: each select names itself in its empty choice
    ("党员状态：全部", not "---------" or 未知), a text box in its placeholder; dates use the
    browser's date picker."""
    widget = field.widget
    label = field.label
    if isinstance(widget, forms.NullBooleanSelect):
        widget.choices = [
            ("unknown", gettext("%(label)s: all") % {"label": label}),
            ("true", gettext("%(label)s: yes") % {"label": label}),
            ("false", gettext("%(label)s: no") % {"label": label}),
        ]
    elif isinstance(field, forms.ModelChoiceField):
        field.empty_label = gettext("%(label)s: all") % {"label": label}
    elif isinstance(field, django_filters.fields.ChoiceField):
        field.empty_label = gettext("%(label)s: all") % {"label": label}
        field.choices = [(value, text) for value, text in field.choices if value != ""]  # re-adds the empty choice
    elif isinstance(widget, forms.DateInput):
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"
    elif isinstance(widget, forms.TextInput):
        widget.attrs.setdefault("placeholder", label)
        widget.attrs.setdefault("autocomplete", "off")
