"""API test client whose every response is validated against the OpenAPI document.

Documented responses must match their schema; undocumented error responses must have the
API's one error shape ({"code", "detail", "errors"?}).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

ERROR_SHAPE = {
    "type": "object",
    "required": ["code", "detail"],
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}


def _nullable_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable`` (still emitted by DRF's paginator schema) as JSON Schema."""
    if isinstance(node, dict):
        node = {k: _nullable_to_json_schema(v) for k, v in node.items()}
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"] if isinstance(node["type"], str) else [*node["type"], "null"]
        return node
    if isinstance(node, list):
        return [_nullable_to_json_schema(v) for v in node]
    return node


@lru_cache(maxsize=1)
def openapi() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return _nullable_to_json_schema(schema)  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _routes() -> list[tuple[re.Pattern[str], str]]:
    routes = []
    for template in openapi()["paths"]:
        pattern = re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
        pattern = re.sub(r"\{[^/]+\}", "[^/]+", pattern)
        routes.append((re.compile(f"^{pattern}$"), template))
    # Literal segments win over parameters (``/meetings/checkin/`` is not ``/meetings/{id}/``).
    return sorted(routes, key=lambda route: route[1].count("{"))


def response_schema(path: str, method: str, status: int) -> dict[str, Any] | None:
    """The documented JSON schema of a response, or None when the status is undocumented."""
    for pattern, template in _routes():
        if pattern.match(path):
            operation = openapi()["paths"][template].get(method.lower())
            if operation is None:
                return None
            documented = operation.get("responses", {}).get(str(status))
            if documented is None:
                return None
            content = documented.get("content", {}).get("application/json")
            return content.get("schema") if content else {}
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def validate_response(method: str, path: str, response: Any) -> None:
    if not path.startswith("/api/v1/") or path.startswith(("/api/v1/schema/", "/api/v1/docs/")):
        return
    status = response.status_code
    body = response.json() if response.content else None
    schema = response_schema(path, method, status)
    if schema is None:
        if status >= 400 and status not in (405,):
            Draft202012Validator(ERROR_SHAPE).validate(body)
            return
        raise AssertionError(f"{method} {path} answered {status}, which the OpenAPI document does not describe")
    if schema:
        full = {**schema, "components": openapi().get("components", {})}
        Draft202012Validator(full).validate(body)


class SchemaValidatingClient(APIClient):
    """An APIClient that checks every response against the OpenAPI document."""

    def generic(self, method: str, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().generic(method, path, *args, **kwargs)
        validate_response(method, path.split("?")[0], response)
        return response
