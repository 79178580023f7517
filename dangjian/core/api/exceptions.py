"""One JSON error shape for the whole API, with Chinese messages:

    {"code": "not_found", "detail": "未找到。", "errors": {"field": ["..."]}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from dangjian.core.models import VersionConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [str(v) if not isinstance(v, dict | list) else _flatten(v) for v in detail]
    return [str(detail)]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, VersionConflict):
        exc = Conflict(_("Someone else changed this record after you loaded it. Reload it and try again."))
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
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
        body["detail"] = _("The submitted data is not valid.")
        body["errors"] = _flatten(data) if isinstance(data, dict) else {"non_field_errors": _flatten(data)}
    else:
        body["detail"] = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    response.data = body
    return response
