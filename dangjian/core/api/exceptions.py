"""One JSON error shape for the whole API, with Chinese messages:

    {"code": "not_found", "detail": "未找到。", "errors": {"field": ["..."]}}

A business rule refused by a service (``core.errors.RuleError``) and a violated database
constraint answer 400 with ``code: "invalid"`` and the sentence under its field or under
``non_field_errors``; views never wrap service calls themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from dangjian.core import errors
from dangjian.core.models import VersionConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """A write that does not say which version it was made on (REL-03): 428."""

    status_code = 428
    default_code = "precondition_required"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def _flatten(detail: Any, key: str = "", into: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Errors as ``{field: [messages]}`` at any depth: a nested row's field is named by its path
    (``components.1.amount``), so every client shows each message beside its field the same way."""
    errors: dict[str, list[str]] = {} if into is None else into
    if isinstance(detail, dict):
        for name, value in detail.items():
            _flatten(value, f"{key}.{name}" if key else str(name), errors)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                _flatten(value, f"{key}.{index}" if key else str(index), errors)
            else:
                errors.setdefault(key or "non_field_errors", []).append(str(value))
    else:
        errors.setdefault(key or "non_field_errors", []).append(str(detail))
    return errors


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, VersionConflict):
        exc = Conflict(gettext("Someone else changed this record after you loaded it. Reload it and try again."))
    elif isinstance(exc, IntegrityError):  # a constraint a client can trigger: its sentence, not its name
        exc = exceptions.ValidationError(errors.api_errors(errors.constraint_error(exc)))
    elif isinstance(exc, ValidationError):  # core.errors.RuleError from a service, or model validation
        exc = exceptions.ValidationError(errors.api_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(gettext("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
    body: dict[str, Any] = {"code": code}
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["detail"] = gettext("The submitted data is not valid.")
        body["errors"] = _flatten(data)
    else:
        body["detail"] = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    response.data = body
    return response
