"""The sentences that name a field in a validation message (请填写“姓名”。 “姓名”最多 50 个字，
现有 51 个。), one set of msgids for the forms (``core.forms.name_field_messages``), the API
(``core.api.messages``) and the import cells (``core.imports``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

#: Field-specific sentences for Django's stock validation messages ("确保该变量包含不超过 200
#: 字符" names no field): ``%(field)s`` is the field's label; the others are the validator's.
FIELD_MESSAGES: dict[str, Any] = {
    "max_length": _("%(field)s may have at most %(limit_value)d characters; it has %(show_value)d."),
    "min_length": _("%(field)s needs at least %(limit_value)d characters; it has %(show_value)d."),
    "invalid_choice": _("The %(field)s chosen is not among the options; choose again."),
    "invalid_pk_value": _("The %(field)s chosen is not among the options; choose again."),
    "invalid_list": _("The %(field)s chosen is not among the options; choose again."),
    "max_value": _("%(field)s cannot be more than %(limit_value)s."),
    "min_value": _("%(field)s cannot be less than %(limit_value)s."),
    "max_digits": _("%(field)s may have at most %(max)s digits."),
    "max_decimal_places": _("%(field)s may have at most %(max)s decimal places."),
    "max_whole_digits": _("%(field)s may have at most %(max)s digits before the decimal point."),
}
REQUIRED_TEXT = _("Please fill in %(field)s.")
REQUIRED_CHOICE = _("Please choose %(field)s.")
INVALID_BY_TYPE: tuple[tuple[type[forms.Field], Any], ...] = (
    (forms.DateTimeField, _("%(field)s is not a valid date and time; enter it like 2026-12-01 09:30.")),
    (forms.DateField, _("%(field)s is not a valid date; enter it like 2026-12-01.")),
    (forms.TimeField, _("%(field)s is not a valid time; enter it like 09:30.")),
    (forms.EmailField, _("%(field)s is not a valid email address.")),
    (forms.DecimalField, _("%(field)s must be a number.")),  # before IntegerField: its subclasses
    (forms.FloatField, _("%(field)s must be a number.")),
    (forms.IntegerField, _("%(field)s must be a whole number.")),
    (forms.Field, _("%(field)s is not filled in correctly; check it.")),
)


def naming(template: Any, label: Any, *, has_params: bool) -> Any:
    """``template`` with the field's label put in, translated when shown (lazy); a label's
    ``%`` is escaped where the validator's parameters are formatted in afterwards."""

    def render() -> str:
        name = str(label)
        return str(template).replace("%(field)s", name.replace("%", "%%") if has_params else name)

    return lazy(render, str)()


