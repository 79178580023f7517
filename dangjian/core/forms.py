"""Forms of the core: scoped choices, the version guard, Chinese field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy

from dangjian.core import text
from dangjian.core.fieldmessages import FIELD_MESSAGES, INVALID_BY_TYPE, REQUIRED_CHOICE, REQUIRED_TEXT
from dangjian.core.fieldmessages import naming as _naming


class FastSelect(forms.Select):
    """A select that renders its options in Python.

    Django renders every option through its own template include; a filter offering the
    ~500 committees of a province then costs more than the page's queries. The markup is the
    same, every value and label escaped by ``format_html``.
    """

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html('<select name="{}"{}>', name, flatatt(final_attrs))]
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):  # an optgroup
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(self._option(v, label, selected) for v, label in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, option_label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value and label escaped above)

    @staticmethod
    def _option(value: Any, label: Any, selected: set[str]) -> str:
        text = "" if value is None else str(value)
        mark = " selected" if text in selected else ""
        return f'<option value="{escape(text)}"{mark}>{escape(label)}</option>'


#: The empty choice of every select: a sentence, not Django's dashes.
EMPTY_CHOICE = pgettext_lazy("empty choice", "Please choose")


def name_empty_choice(field: forms.Field) -> None:
    """Label a select's empty choice 请选择 (model choices, and choice lists that start empty)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = EMPTY_CHOICE
        return
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]
        if choices and choices[0][0] in ("", None) and str(choices[0][1]).strip("-") == "":
            field.choices = [("", EMPTY_CHOICE), *choices[1:]]


class LabelledChoiceIterator(forms.models.ModelChoiceIterator):
    """Options labelled by their model's ``choice_labels(rows) -> {pk: label}`` classmethod,
    computed for all options at once (an organization after its parent path); other models'
    options as Django labels them.

    It is the iterator of every ``ModelChoiceField`` (set once in ``CoreConfig.ready``): model
    forms, plain forms, filters and the admin alike, whatever queryset a form assigns later."""

    def __iter__(self) -> Any:
        labeller = getattr(self.queryset.model, "choice_labels", None) if self.queryset is not None else None
        if not callable(labeller):
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset)
        labels = labeller(rows)
        for row in rows:
            value, label = self.choice(row)
            yield value, labels.get(row.pk, label)


def narrow_choices(form: forms.BaseForm, user: Any) -> None:
    """Limit every foreign-key choice to the rows the user may see (AC-02); render single
    selects with :class:`FastSelect` (options labelled by :class:`LabelledChoiceIterator`)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            queryset = field.queryset
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user, "view")
        if type(field.widget) is forms.Select:
            fast = FastSelect(attrs=field.widget.attrs, choices=getattr(field, "choices", field.widget.choices))
            fast.is_required = field.widget.is_required
            field.widget = fast


def preselect_single_choices(form: forms.BaseForm) -> None:
    """On a new, unbound form: a required choice the user has exactly one option for is chosen
    (a secretary of one branch finds their branch already selected). A model may say what its
    one sensible choice is with a ``default_choice(queryset) -> pk | None`` classmethod.
    Applied to a new record's form by ``core.views.ObjectEditView`` and to a field whose
    choices :func:`restrict` sets (the plain forms of module screens)."""
    for name in form.fields:
        preselect_single_choice(form, name)


def preselect_single_choice(form: forms.BaseForm, name: str) -> None:
    field = form.fields[name]
    if form.is_bound or not isinstance(field, forms.ModelChoiceField) or not field.required or field.disabled:
        return
    if isinstance(field, forms.ModelMultipleChoiceField):
        return
    if form.initial.get(name) not in (None, "") or field.initial not in (None, "") or field.queryset is None:
        return
    default = getattr(field.queryset.model, "default_choice", None)
    if callable(default):  # the model knows its own "only one sensible choice"
        chosen = default(field.queryset)
        if chosen is not None:
            form.initial[name] = chosen
        return
    options = list(field.queryset.values_list("pk", flat=True)[:2])
    if len(options) == 1:
        form.initial[name] = options[0]


def name_field_messages(form: forms.BaseForm) -> None:
    """Replace Django's stock validation messages of every field by sentences naming the field
    (请填写姓名。 姓名最多 50 个字，现有 51 个。 所选党支部不在可选范围内，请重新选择。). Applied
    by :class:`ScopedModelForm` and :class:`FieldMessagesMixin` (plain forms); a form's own
    ``error_messages`` are kept."""
    for name, field in form.fields.items():
        label = field.label or capfirst(name.replace("_", " "))
        stock = _stock_messages(field)
        messages: dict[str, Any] = {}
        is_choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(field.widget, forms.Select)
        messages["required"] = _naming(REQUIRED_CHOICE if is_choice else REQUIRED_TEXT, label, has_params=False)
        for code, template in FIELD_MESSAGES.items():
            messages[code] = _naming(template, label, has_params=True)
        invalid = next(t for cls, t in INVALID_BY_TYPE if isinstance(field, cls))
        messages["invalid"] = _naming(invalid, label, has_params=True)
        for code, sentence in messages.items():
            own = field.error_messages.get(code)
            if own is None or own == stock.get(code):  # not a message the form chose itself
                field.error_messages[code] = sentence


def _stock_messages(field: forms.Field) -> dict[str, Any]:
    """The messages Django gives a field of this class (as ``Field.__init__`` merges them)."""
    messages: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


class FieldMessagesMixin:
    """A plain form whose validation messages name their fields (:func:`name_field_messages`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_field_messages(self)  # type: ignore[arg-type]


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
        name_field_messages(self)
        if not hasattr(self.instance, "version"):
            del self.fields["version"]
        elif not self.instance._state.adding:
            # An edit says which version it was made on; a missing or zero version is treated as
            # stale (the conflict page), never as "no check" (REL-03).
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        for field in self.fields.values():
            name_empty_choice(field)
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DateField):
                field.widget.input_type = "date"  # type: ignore[attr-defined]
                field.widget.format = "%Y-%m-%d"  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        self._clean_text()
        super()._post_clean()  # type: ignore[misc]
        if self.instance._state.adding or not hasattr(self.instance, "version") or not hasattr(self, "cleaned_data"):
            return
        # The conditional UPDATE in ChangeLoggedModel.save compares this with the stored version:
        # a missing or zero version can never match, so the save raises VersionConflict.
        self.instance.version = self.cleaned_data.get("version") or 0


    def _clean_text(self) -> None:
        """NFC, and no invisible or direction-changing characters in names, codes, titles (IO-01)."""
        if not hasattr(self, "cleaned_data"):
            return
        model = getattr(self._meta, "model", None)
        for name, value in list(self.cleaned_data.items()):
            if not isinstance(value, str) or not value:
                continue
            value = text.normalize(value)
            wrong = text.problem(value, one_line=not text.is_free_text(model, name))
            if wrong:
                self.add_error(name, wrong)
            else:
                self.cleaned_data[name] = value


def restrict(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Set the choices of a model choice field (typed helper); on a new form a single sensible
    choice is preselected (:func:`preselect_single_choice`)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    name_empty_choice(field)
    field.queryset = queryset
    preselect_single_choice(form, name)
