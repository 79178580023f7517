"""Serializer base of the API: scoped relation choices, the version guard, explicit fields."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from rest_framework import serializers

from dangjian.core import text


class ScopedModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A ModelSerializer for scoped models.

    - every related field's choices are narrowed to what the requesting user can see, so a
      client cannot attach a row to another branch's object by guessing its id (AC-02);
    - ``version`` is read-only in the body; writes compare it through ``If-Match`` or a
      ``version`` value in the payload (REL-03);
    - ``display`` is the row's ``str()``; subclasses list ``Meta.fields`` explicitly (AC-03).
    """

    display = serializers.SerializerMethodField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for field in self.fields.values():
            target: Any = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                target.queryset = queryset.visible_to(request.user, "view")

    def get_display(self, obj: Any) -> str:
        return str(obj)

    def to_internal_value(self, data: Any) -> Any:
        """NFC, and no invisible or direction-changing characters in names, codes, titles (IO-01)."""
        values = super().to_internal_value(data)
        model = getattr(getattr(self, "Meta", None), "model", None)
        errors: dict[str, list[str]] = {}
        for name, value in list(values.items()):
            if isinstance(value, str) and value:
                value = text.normalize(value)
                wrong = text.problem(value, one_line=not text.is_free_text(model, name))
                if wrong:
                    errors[name] = [wrong]
                values[name] = value
        if errors:
            raise serializers.ValidationError(errors)
        return values

    def include_extra_kwargs(self, kwargs: MutableMapping[str, Any],
                             extra_kwargs: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        """Keep ``allow_blank`` on read-only fields with choices: DRF drops it, and the OpenAPI
        document then claims a blank choice field (no decision yet) can never be ``""``."""
        blank_choices = bool(kwargs.get("allow_blank")) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choices and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


class IdField(serializers.IntegerField):
    """The id of a row given as a plain number: within a 64-bit key (SQLite overflows beyond)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class BriefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``?brief=1``: id and display text only (for pickers and mobile lists)."""

    id = serializers.IntegerField(read_only=True)
    display = serializers.SerializerMethodField()

    def get_display(self, obj: Any) -> str:
        return str(obj)
