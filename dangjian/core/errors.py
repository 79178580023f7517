"""One error type for business rules, and the one place database constraint violations become
sentences.

A service refuses an input by raising :class:`RuleError` with a gettext message, naming the
field it is about when there is one::

    raise RuleError(_("The end month cannot be before the start month."), field="to_month")

The core screens show it beside that field (or at the top of the form) with the user's input
kept — :class:`~dangjian.core.views.ObjectEditView` on its own, a module's action screen by
wrapping the service call in :func:`on_form` or :func:`as_message` — and the API's exception
handler answers 400 in the one error shape. Nobody else catches it.

A database constraint a user can trigger (a negative amount, a duplicate, a form submitted
twice) declares its sentence where it is defined, as the constraint's
``violation_error_message``; :func:`constraint_error` turns the ``IntegrityError`` of a save
into a :class:`RuleError` with that sentence, so no user ever reads a constraint's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class RuleError(ValidationError):
    """A business rule refused the input; the message is a gettext string shown to the user.

    ``field`` names the form/serializer field the error belongs to (``None``: the whole form).
    It is a ``ValidationError``, so model validation, forms and the API treat it as one."""

    def __init__(self, message: Any, *, field: str | None = None, code: str = "rule",
                 params: dict[str, Any] | None = None) -> None:
        if isinstance(message, dict | list):
            super().__init__(message)
        elif field:
            super().__init__({field: [ValidationError(message, code=code, params=params)]})
        else:
            super().__init__(message, code=code, params=params)
        self.field = field

    def __str__(self) -> str:
        return text(self)


#: When a user-triggerable constraint declares no sentence of its own.
GENERIC_CONSTRAINT = _("This would duplicate an existing record or break a data rule, so nothing "
                                  "was saved. Check the entries and try again.")


def text(exc: ValidationError) -> str:
    """All messages of a validation error as one sentence line (for a flash message)."""
    return "；".join(str(m) for m in exc.messages)


def add_to_form(form: Any, exc: ValidationError) -> None:
    """Put a rule error on a bound form: beside a field the form has, else at its top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages if hasattr(error, "messages") else str(error))
        return
    for message in exc.messages:
        form.add_error(None, message)


# --- database constraints -----------------------------------------------------------------------


def _fields_of(constraint: models.BaseConstraint) -> list[str]:
    fields = list(getattr(constraint, "fields", ()) or ())
    condition = getattr(constraint, "condition", None)
    if not fields and isinstance(condition, models.Q):
        fields = sorted({name.split("__")[0] for name, _value in _leaves(condition)})
    return fields


def _leaves(q: models.Q) -> Iterator[tuple[str, Any]]:
    for child in q.children:
        if isinstance(child, models.Q):
            yield from _leaves(child)
        elif isinstance(child, tuple):
            yield child[0], child[1]


@cache
def _constraints() -> tuple[dict[str, tuple[models.BaseConstraint, list[str]]], dict[tuple[str, frozenset[str]], Any]]:
    """Constraint name -> (constraint, its fields); and (table, columns) -> the same, for
    SQLite, which reports a violated unique constraint by its columns, not its name."""
    by_name: dict[str, tuple[models.BaseConstraint, list[str]]] = {}
    by_columns: dict[tuple[str, frozenset[str]], Any] = {}
    for model in apps.get_models():
        table = model._meta.db_table
        for constraint in model._meta.constraints:
            fields = _fields_of(constraint)
            by_name[constraint.name] = (constraint, fields)
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                columns = frozenset(str(getattr(model._meta.get_field(f), "column", f)) for f in constraint.fields)
                by_columns[(table, columns)] = (constraint, fields)
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key:
                by_columns[(table, frozenset([field.column]))] = (model, [field.name])
    return by_name, by_columns


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_QUOTED = re.compile(r'"([^"]+)"')


def constraint_error(exc: IntegrityError) -> RuleError:
    """The sentence for a violated constraint: its ``violation_error_message``, a unique
    field's own message, or a general sentence — never the constraint's name."""
    by_name, by_columns = _constraints()
    raw = str(exc)
    found: Any = None
    match = _SQLITE_UNIQUE.search(raw)
    if match:
        pairs = [part.strip().split(".", 1) for part in match.group(1).split(",")]
        if pairs and all(len(p) == 2 for p in pairs):
            found = by_columns.get((pairs[0][0], frozenset(p[1] for p in pairs)))
    if found is None:
        for name in [*_QUOTED.findall(raw), raw.rsplit(":", 1)[-1].strip()]:
            if name in by_name:
                found = by_name[name]
                break
    if found is None:
        return RuleError(GENERIC_CONSTRAINT, code="constraint")
    owner: Any = found[0]
    fields: list[str] = found[1]
    field = fields[0] if len(fields) == 1 else None
    if isinstance(owner, type) and issubclass(owner, models.Model):  # a unique field: Django's own sentence
        model_field: Any = owner._meta.get_field(fields[0])
        message: Any = model_field.error_messages["unique"] % {
            "model_name": owner._meta.verbose_name, "field_label": model_field.verbose_name}
    elif declared_sentence(owner):
        message = owner.violation_error_message
    else:
        message = GENERIC_CONSTRAINT
    return RuleError(message, field=field, code="constraint")


def declared_sentence(constraint: models.BaseConstraint) -> bool:
    """Whether a constraint declares the sentence a user reads when they violate it."""
    return constraint.violation_error_message != constraint.default_violation_error_message


# --- where the screens catch them ----------------------------------------------------------------


@contextmanager
def on_form(form: Any) -> Iterator[None]:
    """Run a service call in one transaction; a rule error (or a violated constraint) lands
    on ``form`` beside its field or at the top, the transaction is rolled back and the caller
    re-renders the still-bound form (input kept, status 400 when ``form.errors``)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        add_to_form(form, constraint_error(exc))
    except ValidationError as exc:
        add_to_form(form, exc)
    except (ProtectedError, RestrictedError) as exc:  # a delete inside the service: what still refers to it
        from dangjian.core.models import protected_message

        add_to_form(form, ValidationError(protected_message(exc)))


@contextmanager
def as_message(request: HttpRequest) -> Iterator[list[ValidationError]]:
    """Run a button's service call in one transaction; a rule error becomes an error message
    on the next page. The yielded list holds the error, so a caller can tell it failed."""
    failed: list[ValidationError] = []
    try:
        with transaction.atomic():
            yield failed
    except IntegrityError as exc:
        failed.append(constraint_error(exc))
    except ValidationError as exc:
        failed.append(exc)
    except (ProtectedError, RestrictedError) as exc:
        from dangjian.core.models import protected_message

        failed.append(ValidationError(protected_message(exc)))
    for error in failed:
        messages.error(request, text(error))


def api_errors(exc: ValidationError) -> dict[str, list[str]]:
    """A validation error as the API's ``errors`` member: field -> messages."""
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == NON_FIELD_ERRORS else k): [str(m) for m in ValidationError(v).messages]
                for k, v in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


__all__ = ["GENERIC_CONSTRAINT", "RuleError", "add_to_form", "api_errors", "as_message", "constraint_error",
           "declared_sentence", "on_form", "text"]
