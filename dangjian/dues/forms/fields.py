"""One-time form tokens, the dues form fields and the pickers' helpers."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import FieldMessagesMixin, restrict
from dangjian.core.scoping import orgs_where, within_scope
from dangjian.dues import rules
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

TOKEN_SALT = "dangjian.dues.form-token"  # noqa: S105  (a signing salt, not a secret)


TOKEN_MAX_AGE = 24 * 3600


def issue_token(user: Any) -> str:
    """A one-time token for a payment form, bound to the user; its nonce is the idempotency key."""
    return signing.dumps({"u": user.pk, "n": uuid.uuid4().hex}, salt=TOKEN_SALT, compress=True)


def token_key(user: Any, token: str) -> str:
    """The idempotency key carried by ``token``; refuses tokens of another user or too old."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(gettext("This form has expired. Reload the page and enter the payment again.")) from exc
    if data.get("u") != user.pk or not re.fullmatch(r"[0-9a-f]{32}", str(data.get("n", ""))):
        raise ValidationError(gettext("This form has expired. Reload the page and enter the payment again."))
    return f"u{user.pk}-{data['n']}"


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.DateField):
    """A month entered as YYYY-MM (or a date): the first day of that month."""

    widget = MonthInput

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}", value.strip()):
            year, month = (int(x) for x in value.strip().split("-"))
            if not 1 <= month <= 12:
                raise ValidationError(gettext("Enter a valid month."))
            return dt.date(year, month, 1)
        day = super().to_python(value)
        return rules.month_start(day) if day else None


def month_inputs(form: forms.BaseForm) -> None:
    """Month pickers stay month pickers (ScopedModelForm turns every date field into a date input)."""
    for field in form.fields.values():
        if isinstance(field, MonthField):
            field.widget.input_type = "month"  # type: ignore[attr-defined]


def dues_members(user: Any, action: str = "add") -> QuerySet[Member]:
    """Active members of organizations in the user's dues scope."""
    return within_scope(Member.objects.visible_to(user, "view").filter(is_active=True), user, "dues", action)


def branch_choices(user: Any, action: str = "view") -> QuerySet[Organization]:
    return orgs_where(user, "dues", action).filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE])


class StyledForm(FieldMessagesMixin, forms.Form):
    """A plain form with Tabler classes; its messages name their fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DateField) and not isinstance(field, MonthField):
                field.widget.input_type = "date"  # type: ignore[attr-defined]


class OrgMonthForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("branch"))
    month = MonthField(label=_("month"))

    def __init__(self, *args: Any, user: Any, action: str = "add", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, action))


class OrgPeriodForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    first = MonthField(label=_("from month"))
    last = MonthField(label=_("to month"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, "view"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise ValidationError(gettext("The end month cannot be before the start month."))
        return data


class OrgYearForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, "view"))


class ArrearsForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    as_of = forms.DateField(label=_("as of"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, "view"))
