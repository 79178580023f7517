"""Forms of the core: scoped choices, the version guard, Chinese field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models


def narrow_choices(form: forms.BaseForm, user: Any) -> None:
    """Limit every foreign-key choice to the rows the user may see (AC-02)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            queryset = field.queryset
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user, "view")


class ScopedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm bound to the acting user.

    - every foreign-key choice is narrowed to what the user can see;
    - a hidden ``version`` carries the version the user loaded, so saving over a newer
      change raises ``VersionConflict`` (REL-03) instead of overwriting it;
    - subclasses list their fields explicitly (AC-03: no ``__all__``, no ``exclude``).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        narrow_choices(self, user)
        if not hasattr(self.instance, "version"):
            del self.fields["version"]
        elif self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DateField):
                field.widget.input_type = "date"  # type: ignore[attr-defined]
                field.widget.format = "%Y-%m-%d"  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        submitted = self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None
        if self.instance.pk is not None and submitted and hasattr(self.instance, "version"):
            self.instance.version = submitted


def restrict(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Set the choices of a model choice field (typed helper)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def model_has_scope(model: type[models.Model]) -> bool:
    return hasattr(model, "scope_area")
