"""Filter sets of the core: scoped choices and compact widgets (the subtree filter belongs to
the organization module: dangjian.orgs.filtersets.SubtreeFilter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext

from dangjian.core.forms import narrow_choices


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
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css + " form-control-sm" if css == "form-control" else css + " form-select-sm")
            _present(field)


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
