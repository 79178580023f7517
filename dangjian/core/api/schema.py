"""OpenAPI generation for the scoped viewsets: the ``brief`` parameter and its response."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

BRIEF_COMPONENT = "Brief"


class ScopedAutoSchema(AutoSchema):
    """Adds ``?brief=1`` to list operations of scoped viewsets."""

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters())
        if self._is_list_view() and getattr(self.view, "supports_brief", False):
            params.append(OpenApiParameter("brief", OpenApiTypes.BOOL, description="只返回编号和名称"))
        return params


def brief_postprocessing_hook(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A list called with ``brief=1`` returns id + display rows: say so (items are oneOf)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[BRIEF_COMPONENT] = {
        "type": "object",
        "properties": {"id": {"type": "integer", "readOnly": True}, "display": {"type": "string", "readOnly": True}},
        "required": ["id", "display"],
        "additionalProperties": False,
    }
    for item in result.get("paths", {}).values():
        operation = item.get("get")
        if not operation or not any(p.get("name") == "brief" for p in operation.get("parameters", [])):
            continue
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        page = schemas.get(ref.rsplit("/", 1)[-1])
        if page and "results" in page.get("properties", {}):
            items = page["properties"]["results"]["items"]
            if "oneOf" not in items:
                page["properties"]["results"]["items"] = {"oneOf": [items, {"$ref": f"#/components/schemas/{BRIEF_COMPONENT}"}]}
    return result


__all__ = ["ScopedAutoSchema", "brief_postprocessing_hook", "build_parameter_type"]
