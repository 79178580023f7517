"""The API's validation messages name their field, as the forms' do (core.forms.name_field_messages).

DRF's stock messages (该字段是必填项。 请确保这个字段不能超过 50 个字符。 “x” 不是合法选项。) name
no field. :func:`name_serializer_field` gives every serializer field the forms' sentences, with
the same msgids: 请填写姓名。 姓名最多 50 个字，现有 51 个。 所选人员类别不在可选范围内，请重新选择。
It runs when a field is bound to its serializer (``Field.bind``, wrapped once in
``CoreConfig.ready``), so every serializer of every module gets it: model serializers, plain
input serializers of custom actions, nested ones. A serializer's own ``error_messages`` are kept.

DRF formats most messages with ``str.format`` (``{max_digits}``), the length and value limits
through Django validators with ``%`` parameters; the forms' templates are converted accordingly.
"""

from __future__ import annotations

import contextvars
import copy
import re
from typing import Any

from django import forms
from django.core import validators as django_validators
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import lazy
from rest_framework import fields, relations, serializers
from rest_framework.utils.formatting import lazy_format

from dangjian.core.fieldmessages import FIELD_MESSAGES, REQUIRED_CHOICE, REQUIRED_TEXT
from dangjian.core.fieldmessages import INVALID_BY_TYPE as FORM_INVALID
from dangjian.core.fieldmessages import naming as _naming

_TOKEN = re.compile(r"%\((\w+)\)[sd]")

#: Messages DRF formats itself (``fail(code, **kwargs)`` -> ``str.format``): code -> (the
#: forms' template code, the template's %-parameters -> DRF's format names).
FORMATTED = {
    "max_digits": ("max_digits", {"max": "max_digits"}),
    "max_decimal_places": ("max_decimal_places", {"max": "max_decimal_places"}),
    "max_whole_digits": ("max_whole_digits", {"max": "max_whole_digits"}),
}
#: Limits DRF checks through Django validators (``message % params``: limit_value, show_value).
VALIDATED = ("max_length", "min_length", "max_value", "min_value")
LIMIT_VALIDATORS = (django_validators.MaxLengthValidator, django_validators.MinLengthValidator,
                    django_validators.MaxValueValidator, django_validators.MinValueValidator)
#: Codes meaning "the value chosen is not among the options".
CHOICE_CODES = ("invalid_choice", "does_not_exist", "incorrect_type", "not_a_list")


def _invalid(field: fields.Field) -> Any:
    """The forms' "invalid" sentence of the matching form field class (subclasses first)."""
    by_form = dict(FORM_INVALID)
    for drf, form in ((fields.DateTimeField, forms.DateTimeField), (fields.DateField, forms.DateField),
                      (fields.TimeField, forms.TimeField), (fields.EmailField, forms.EmailField),
                      (fields.DecimalField, forms.DecimalField), (fields.FloatField, forms.FloatField),
                      (fields.IntegerField, forms.IntegerField)):
        if isinstance(field, drf):
            return by_form[form]
    return by_form[forms.Field]


def _formatted(template: Any, label: Any, names: dict[str, str] | None = None) -> Any:
    """``template`` with the label put in, ready for DRF's ``str.format`` (lazy): braces of the
    sentence escaped, the forms' ``%(x)s`` parameters turned into DRF's ``{y}``."""
    names = names or {}

    def render() -> str:
        sentence = str(template).replace("{", "{{").replace("}", "}}")
        sentence = sentence.replace("%(field)s", str(label).replace("{", "{{").replace("}", "}}"))
        return _TOKEN.sub(lambda m: "{" + names.get(m.group(1), m.group(1)) + "}", sentence)

    return lazy(render, str)()


def _stock(field: fields.Field) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def _is_choice(field: fields.Field) -> bool:
    return isinstance(field, fields.ChoiceField | relations.RelatedField | relations.ManyRelatedField
                      | fields.BooleanField)


def name_serializer_field(field: fields.Field, label: Any = None) -> None:
    """Replace DRF's stock messages of ``field`` by the forms' sentences naming it."""
    label = label if label is not None else field.label
    if not label:
        return
    stock = _stock(field)
    mine: dict[str, Any] = {}
    required = REQUIRED_CHOICE if _is_choice(field) else REQUIRED_TEXT
    for code in ("required", "null", "blank", "empty"):
        mine[code] = _formatted(required, label)
    container = isinstance(field, serializers.BaseSerializer | fields.ListField | fields.DictField
                           | fields.HStoreField | fields.JSONField)
    if not container:
        if _is_choice(field):
            for code in CHOICE_CODES:
                mine[code] = _formatted(FIELD_MESSAGES["invalid_choice"], label)
        invalid = _invalid(field)
        for code in ("invalid", "date", "datetime", "make_aware", "overflow", "max_string_length"):
            mine[code] = _formatted(invalid, label)
        for code, (template, names) in FORMATTED.items():
            mine[code] = _formatted(FIELD_MESSAGES[template], label, names)
        if isinstance(field, fields.FileField):
            mine["max_length"] = _formatted(FIELD_MESSAGES["max_length"], label,
                                            {"limit_value": "max_length", "show_value": "length"})
    replaced: dict[str, Any] = {}
    for code, sentence in mine.items():
        if code not in field.error_messages:
            continue
        own = field.error_messages[code]
        if own == stock.get(code):  # not a message the serializer chose itself
            field.error_messages[code] = sentence
    if not container and not isinstance(field, fields.FileField):
        for code in VALIDATED:
            if field.error_messages.get(code) is not None and field.error_messages[code] == stock.get(code):
                replaced[code] = _naming(FIELD_MESSAGES[code], label, has_params=True)
        if replaced:
            field.validators = [_renamed(v, replaced) for v in field.validators]
    if isinstance(field, relations.ManyRelatedField):
        name_serializer_field(field.child_relation, label)


def _renamed(validator: Any, sentences: dict[str, Any]) -> Any:
    """A copy of a stock length or value validator carrying the field's sentence (the model
    field's validators are shared objects: never changed in place)."""
    if not isinstance(validator, LIMIT_VALIDATORS):
        return validator
    code = validator.code
    if code not in sentences:
        return validator
    if not (isinstance(validator.message, lazy_format) or validator.message == type(validator).message):
        return validator  # a message someone chose
    renamed = copy.copy(validator)
    renamed.message = sentences[code]
    return renamed


#: The model of the viewset answering the request (set by ``ScopedModelViewSet.initial``): the
#: labels of input serializers built without a context (``XSerializer(data=request.data)``).
SERVING: contextvars.ContextVar[Any] = contextvars.ContextVar("dangjian_api_serving", default=None)


def model_label(field: fields.Field, field_name: str) -> Any:
    """The verbose name of the model field a serializer field stands for (its serializer's
    model, else its view's: a plain input serializer of a custom action), or ``None``: the
    API's messages name the field as the screens do (交纳日期, not "Paid on")."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None:
        view = (parent.context if parent is not None else {}).get("view")
        model = getattr(getattr(view, "queryset", None), "model", None) or SERVING.get()
    if model is None:
        return None
    try:
        found = model._meta.get_field(str(field.source or field_name).split(".")[0])
    except FieldDoesNotExist:  # not a model field: the serializer's own label
        return None
    return getattr(found, "verbose_name", None)  # a reverse relation has none


def install() -> None:
    """Wrap ``Field.bind`` once: every bound serializer field names itself in its messages."""
    if getattr(fields.Field.bind, "_names_messages", False):
        return
    original = fields.Field.bind

    def bind(self: fields.Field, field_name: str, parent: Any) -> None:
        labelled = self.label is not None
        original(self, field_name, parent)
        if field_name:  # a list's child or a many-relation's child is named by its parent
            name_serializer_field(self, None if labelled else model_label(self, field_name))

    bind._names_messages = True  # type: ignore[attr-defined]
    fields.Field.bind = bind  # type: ignore[method-assign]
